"""The card picture itself, measured in its pixels: its size, its bar filled to the percentage,
its stretch goals marked, its words in each language, and titles no font could fit or draw."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image, ImageChops

from adapters.images.card_image import (
    BAR_HEIGHT,
    BAR_TOP,
    CELEBRATION,
    HEIGHT,
    MARGIN,
    PANEL_TOP,
    WIDTH,
    card_png,
)
from core.i18n import use_locale
from core.milestones import MilestoneKind
from core.views.pictures import CardPicture, card_picture, celebration_picture
from tests.core.test_pictures import NOW, lamp

BAR_MIDDLE = BAR_TOP + BAR_HEIGHT // 2


def drawn(picture: CardPicture, cover: bytes | None = None) -> Image.Image:
    """The picture as Pillow reads back its PNG."""
    return Image.open(io.BytesIO(card_png(picture, cover))).convert("RGB")


def solid_cover(colour: tuple[int, int, int]) -> bytes:
    """A cover's JPEG of one colour."""
    encoded = io.BytesIO()
    Image.new("RGB", (WIDTH, HEIGHT), colour).save(encoded, format="JPEG", quality=85)
    return encoded.getvalue()


def white(pixel: tuple[int, ...]) -> bool:
    return all(channel >= 250 for channel in pixel[:3])


def filled_share(image: Image.Image) -> float:
    """How much of the bar's middle row is the fill's white."""
    row = [image.getpixel((x, BAR_MIDDLE)) for x in range(MARGIN, WIDTH - MARGIN)]
    return sum(white(pixel) for pixel in row) / len(row)  # type: ignore[arg-type]


def test_a_card_is_a_png_of_1200_by_675_under_250_kb() -> None:
    png = card_png(card_picture(lamp(87_000), NOW))

    assert png.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(png)).size == (WIDTH, HEIGHT) == (1200, 675)
    assert len(png) < 250_000


@pytest.mark.parametrize("raised", [5_000, 25_000, 50_000, 87_000, 99_000])
def test_the_bar_is_filled_to_the_percentage(raised: int) -> None:
    share = filled_share(drawn(card_picture(lamp(raised), NOW)))

    assert share == pytest.approx(raised / 100_000, abs=0.01)


def test_nothing_raised_leaves_the_bar_empty() -> None:
    assert filled_share(drawn(card_picture(lamp(0), NOW))) == 0


def test_past_the_goal_the_goal_is_marked_on_the_bar() -> None:
    picture = card_picture(lamp(120_000), NOW)
    image = drawn(picture)

    goal_x = MARGIN + round((WIDTH - 2 * MARGIN) * picture.marks[0])
    above_bar = BAR_TOP - 5
    assert white(image.getpixel((goal_x, above_bar)))  # type: ignore[arg-type]
    assert not white(image.getpixel((goal_x - 40, above_bar)))  # type: ignore[arg-type]
    assert filled_share(image) == pytest.approx(120_000 / 150_000, abs=0.01)


def test_the_same_campaign_and_language_give_the_same_bytes_and_french_other_ones() -> None:
    english = card_png(card_picture(lamp(87_000), NOW))
    again = card_png(card_picture(lamp(87_000), NOW))
    with use_locale("fr"):
        french = card_png(card_picture(lamp(87_000), NOW))

    assert english == again
    assert french != english


@pytest.mark.parametrize(
    "title",
    [
        "A lamp " * 29,  # 203 characters of words
        "Ω" * 200,  # one word wider than any line
        "夜の街 — 東京の真夜中の写真集",  # a script DejaVu does not have, from the fallback
        "Лампа для долгих ночей · Λάμπα",
        "",
    ],
    ids=["long", "one-word", "cjk", "cyrillic-greek", "empty"],
)
def test_any_title_renders_within_the_picture(title: str) -> None:
    image = drawn(card_picture(lamp(87_000, title=title), NOW))

    assert image.size == (WIDTH, HEIGHT)
    # The title and byline end above the figures' panel, whatever their length.
    panel = (0, PANEL_TOP, WIDTH, HEIGHT)
    short = drawn(card_picture(lamp(87_000, title="Lamp"), NOW))
    assert image.crop(panel).tobytes() == short.crop(panel).tobytes()


def test_a_milestones_picture_throws_confetti_over_the_heading_and_keeps_the_figures() -> None:
    campaign = lamp(50_500)
    plain = drawn(card_picture(campaign, NOW))
    celebrating = drawn(celebration_picture(campaign, MilestoneKind.PERCENT, 50, NOW))

    heading = (0, 0, WIDTH, PANEL_TOP)
    changed = ImageChops.difference(plain.crop(heading), celebrating.crop(heading)).getbbox()
    assert changed is not None
    assert changed[2] - changed[0] > WIDTH // 2
    panel = (0, PANEL_TOP, WIDTH, HEIGHT)
    assert ImageChops.difference(plain.crop(panel), celebrating.crop(panel)).getbbox() is None
    # The badge's amber, where a funded campaign's badge would be green.
    assert celebrating.getpixel((MARGIN + 6, MARGIN + 25)) == CELEBRATION


def test_a_cover_shows_behind_the_words_darkened_and_the_panel_stays() -> None:
    picture = replace(card_picture(lamp(87_000), NOW), cover="red")
    plain, covered = drawn(picture), drawn(picture, solid_cover((230, 20, 20)))
    # Top right, clear of the title: the red shows, darkened so white words stand out on it.
    red, green, blue = covered.getpixel((WIDTH - 40, 40))  # type: ignore[misc]
    assert 60 < red < 200
    assert red > 4 * max(green, blue)
    assert plain.getpixel((WIDTH - 40, 40)) != covered.getpixel((WIDTH - 40, 40))
    assert filled_share(covered) == filled_share(plain) == pytest.approx(0.87, abs=0.01)
    title_row = [covered.getpixel((x, MARGIN + 30)) for x in range(MARGIN, WIDTH // 2)]
    assert any(white(pixel) for pixel in title_row)  # type: ignore[arg-type]


def test_without_a_cover_the_card_keeps_its_category_colours() -> None:
    picture = card_picture(lamp(87_000), NOW)
    assert card_png(picture) == card_png(picture, None)
    red, _, blue = drawn(picture).getpixel((WIDTH - 40, 40))  # type: ignore[misc]
    assert blue > red


def test_characters_dejavu_lacks_are_drawn_by_the_fallback_font_not_as_boxes() -> None:
    def title_area(title: str) -> Image.Image:
        picture = replace(card_picture(lamp(87_000), NOW), title=title)
        return drawn(picture).crop((0, 0, WIDTH, PANEL_TOP))

    japanese, other_japanese = title_area("夜の街"), title_area("東京の")
    # Private-use characters no shipped font draws: DejaVu's empty box, three times.
    boxes = title_area("\ue000\ue001\ue002")

    assert ImageChops.difference(japanese, boxes).getbbox() is not None
    assert ImageChops.difference(japanese, other_japanese).getbbox() is not None
