"""A campaign's card as a picture: a PNG of 1200×675 drawn with Pillow from core's CardPicture,
over the campaign's cover or its category's colours."""

from __future__ import annotations

import io
import random
from functools import cache

from PIL import Image, ImageDraw

from adapters.images.lettering import Lettering, lettering
from core.views.pictures import CardPicture

WIDTH, HEIGHT = 1200, 675
MARGIN = 64
TEXT_WIDTH = WIDTH - 2 * MARGIN
# The figures sit on a darker panel from here down; the heading stays above it.
PANEL_TOP = 420
BAR_TOP, BAR_HEIGHT = 520, 30
LINE_HEIGHT = 1.15
WHITE = (255, 255, 255)
SOFT_WHITE = (255, 255, 255, 215)
PANEL = (12, 16, 28, 150)
BAR_TRACK = (255, 255, 255, 70)
FUNDED = (22, 163, 74)
ENDED = (71, 84, 103)
CELEBRATION = (217, 119, 6)
# Confetti over the heading's area of a milestone's picture: the same pieces every time.
CONFETTI_PIECES, CONFETTI_SEED = 90, 2026
CONFETTI_COLOURS = (
    (250, 204, 21, 230),
    (255, 255, 255, 210),
    (244, 114, 182, 220),
    (56, 189, 248, 220),
    (74, 222, 128, 220),
)
# Each category's two colours, from the top left corner to the bottom right.
COLOURS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "art": ((190, 24, 93), (251, 146, 60)),
    "comics": ((220, 38, 38), (250, 204, 21)),
    "design": ((15, 118, 110), (56, 189, 248)),
    "film": ((30, 27, 75), (147, 51, 234)),
    "food": ((194, 65, 12), (234, 179, 8)),
    "games": ((67, 56, 202), (236, 72, 153)),
    "music": ((88, 28, 135), (59, 130, 246)),
    "publishing": ((120, 53, 15), (217, 119, 6)),
    "technology": ((15, 23, 42), (37, 99, 235)),
    "community": ((21, 128, 61), (132, 204, 22)),
}
OTHER = ((51, 65, 85), (100, 116, 139))
# How dark a cover is made behind the words (alpha of black): most behind the title at the top,
# least in the middle, where the picture shows best, and more again behind the panel.
SHADE_TOP, SHADE_MIDDLE, SHADE_BOTTOM = 150, 70, 130
# Title sizes tried in turn, and the lines it may take at each before it is shortened.
TITLE_SIZES = (68, 58, 50)
TITLE_LINES = 3
ELLIPSIS = "…"


def card_png(picture: CardPicture, cover: bytes | None = None) -> bytes:
    """The card drawn and encoded over `cover` (the JPEG of picture.cover, when it has one):
    the same picture always gives the same bytes."""
    image = _covered(cover) if cover is not None else _background(picture.category).copy()
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    if picture.milestone is not None:
        _confetti(draw)
    draw.rounded_rectangle((32, PANEL_TOP, WIDTH - 32, HEIGHT - 32), radius=28, fill=PANEL)
    _heading(draw, picture)
    _figures(draw, picture)
    image.alpha_composite(layer)
    encoded = io.BytesIO()
    # Measured on a card: zlib's level 3 takes 14 ms for 77 KB, its default 21 ms for 60 KB,
    # `optimize` 97 ms for 53 KB. The picture is drawn once per state; readers wait for it.
    image.convert("RGB").save(encoded, format="PNG", compress_level=3)
    return encoded.getvalue()


@cache
def _background(category: str) -> Image.Image:
    """A diagonal gradient between the category's colours (shared: copy it to draw on it)."""
    start, end = COLOURS.get(category, OTHER)
    # Drawn small and enlarged: a gradient has no detail to lose, and this is cheap.
    small = Image.new("RGB", (48, 27))
    for x in range(48):
        for y in range(27):
            share = (x / 47 + y / 26) / 2
            small.putpixel(
                (x, y), tuple(round(a + (b - a) * share) for a, b in zip(start, end, strict=True))
            )
    return small.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC).convert("RGBA")


def _confetti(draw: ImageDraw.ImageDraw) -> None:
    """Small tilted pieces of paper scattered above the panel, fixed by a seed."""
    pieces = random.Random(CONFETTI_SEED)  # noqa: S311 - a pattern, not a secret
    for _ in range(CONFETTI_PIECES):
        x, y = pieces.uniform(0, WIDTH), pieces.uniform(0, PANEL_TOP - 20)
        size, tilt = pieces.uniform(7, 15), pieces.uniform(0, 180)
        colour = pieces.choice(CONFETTI_COLOURS)
        draw.regular_polygon((x, y, size), 4, rotation=tilt, fill=colour)


def _badge_colour(picture: CardPicture) -> tuple[int, int, int]:
    """Amber for a milestone, green once funded, grey once ended."""
    if picture.milestone is not None:
        return CELEBRATION
    return FUNDED if picture.funded else ENDED


def _covered(cover: bytes) -> Image.Image:
    """The cover, shaded so that white words stay legible on any picture."""
    with Image.open(io.BytesIO(cover), formats=("JPEG",)) as opened:
        image = opened.convert("RGBA")
    if image.size != (WIDTH, HEIGHT):
        image = image.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    image.alpha_composite(_shade())
    return image


@cache
def _shade() -> Image.Image:
    """Black, from SHADE_TOP's alpha at the top to SHADE_MIDDLE's and SHADE_BOTTOM's."""
    middle = HEIGHT // 2
    alphas = [
        round(SHADE_TOP + (SHADE_MIDDLE - SHADE_TOP) * y / middle)
        if y < middle
        else round(SHADE_MIDDLE + (SHADE_BOTTOM - SHADE_MIDDLE) * (y - middle) / (HEIGHT - middle))
        for y in range(HEIGHT)
    ]
    column = Image.new("L", (1, HEIGHT))
    column.putdata(alphas)
    shade = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    shade.putalpha(column.resize((WIDTH, HEIGHT)))
    return shade


def _heading(draw: ImageDraw.ImageDraw, picture: CardPicture) -> None:
    """The state badge, the title (wrapped, shortened if it must be) and the byline."""
    top = MARGIN
    if picture.state is not None:
        badge = lettering(bold=True, size=30)
        width = badge.length(draw, picture.state)
        draw.rounded_rectangle(
            (MARGIN, top, MARGIN + width + 40, top + 50), radius=25, fill=_badge_colour(picture)
        )
        badge.write(draw, (MARGIN + 20, top + 25), picture.state, WHITE, "lm")
        top += 74
    # Room for the title once the byline's line is kept below it.
    room = PANEL_TOP - top - 60
    for size in TITLE_SIZES:
        font = lettering(bold=True, size=size)
        lines = _wrapped(draw, picture.title, font, TEXT_WIDTH)
        if len(lines) * size * LINE_HEIGHT <= room and len(lines) <= TITLE_LINES:
            break
    fitting = max(1, min(TITLE_LINES, int(room // (size * LINE_HEIGHT))))
    if len(lines) > fitting:
        lines = [*lines[: fitting - 1], _shortened(draw, " ".join(lines[fitting - 1 :]), font)]
    for line in lines:
        font.write(draw, (MARGIN, top), line, WHITE)
        top += round(size * LINE_HEIGHT)
    byline = lettering(bold=False, size=30)
    byline.write(draw, (MARGIN, top + 8), _shortened(draw, picture.byline, byline), WHITE)


def _figures(draw: ImageDraw.ImageDraw, picture: CardPicture) -> None:
    """The percentage and raised of goal above the bar, backers and time left below it."""
    big, small = lettering(bold=True, size=52), lettering(bold=False, size=30)
    big.write(draw, (MARGIN, BAR_TOP - 18), picture.percent, WHITE, "ls")
    left = MARGIN + big.length(draw, picture.percent) + 24
    raised = _shortened(draw, picture.raised, small, WIDTH - MARGIN - left)
    small.write(draw, (left, BAR_TOP - 22), raised, SOFT_WHITE, "ls")
    right = WIDTH - MARGIN
    draw.rounded_rectangle((MARGIN, BAR_TOP, right, BAR_TOP + BAR_HEIGHT), 15, fill=BAR_TRACK)
    filled = round(TEXT_WIDTH * min(picture.filled, 1.0))
    if filled > 0:
        bar = (MARGIN, BAR_TOP, MARGIN + max(filled, BAR_HEIGHT), BAR_TOP + BAR_HEIGHT)
        draw.rounded_rectangle(bar, radius=15, fill=WHITE)
    for mark in picture.marks:
        x = MARGIN + round(TEXT_WIDTH * mark)
        draw.line((x, BAR_TOP - 8, x, BAR_TOP + BAR_HEIGHT + 8), fill=WHITE, width=4)
    below = " · ".join(part for part in (picture.backers, picture.time_left) if part)
    shown = _shortened(draw, below, small)
    small.write(draw, (MARGIN, BAR_TOP + BAR_HEIGHT + 24), shown, SOFT_WHITE, "lt")


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font: Lettering, width: int) -> list[str]:
    """Lines of `text` no wider than `width`, broken between words (or within a word too
    long for a line)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.length(draw, candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.length(draw, word) > width:
            cut = _fitting(draw, word, font, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def _shortened(
    draw: ImageDraw.ImageDraw, text: str, font: Lettering, width: float = TEXT_WIDTH
) -> str:
    """`text`, cut and ended with an ellipsis if it is wider than `width`."""
    if font.length(draw, text) <= width:
        return text
    room = width - font.length(draw, ELLIPSIS)
    return text[: _fitting(draw, text, font, room)].rstrip() + ELLIPSIS


def _fitting(draw: ImageDraw.ImageDraw, text: str, font: Lettering, width: float) -> int:
    """How many of `text`'s first characters fit in `width` (at least one)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if font.length(draw, text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low
