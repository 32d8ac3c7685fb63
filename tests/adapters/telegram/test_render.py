"""Rendering cards and lists as Telegram HTML within its limits."""

from __future__ import annotations

from adapters.telegram.limits import CAPTION_LIMIT, TEXT_LIMIT, cut, telegram_length
from adapters.telegram.render import render_card, render_list
from core.i18n import use_locale
from core.views.intents import Browse, Follow, Intent, Pledge, Show
from core.views.model import Button, Card, Entry, Field, ListItem, ListPage, Progress, Section
from core.views.pictures import card_picture
from tests.core.test_pictures import NOW, lamp


def card(**changes: object) -> Card:
    """A card with hostile, long text where a creator could put it."""
    values: dict[str, object] = {
        "title": "<b>x</b> & <script>",
        "subtitle": "by Ada · Design",
        "body": "A warm lamp.",
        "progress": Progress(62, "▰▰▰▰▰▰▱▱▱▱", "62%"),
        "fields": (Field("Raised", "€625.50 of €1,000.00"),),
        "image_url": None,
        "buttons": (
            (Button("Early bird · €50.00", Pledge(1, 2)),),
            (Button("Follow", Follow(1)),),
        ),
    }
    values.update(changes)
    return Card(**values)  # type: ignore[arg-type]


# What the card picture shows does not change how its caption is cut.
PICTURE = card_picture(lamp(62_550), NOW)


def visible_length(html: str) -> int:
    """What Telegram counts: the text once tags are dropped and entities read."""
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        html = html.replace(tag, "")
    for entity in ("&lt;", "&gt;", "&amp;"):
        html = html.replace(entity, "x")
    return telegram_length(html)


def test_user_text_is_escaped() -> None:
    html = render_card(card()).html
    assert html.startswith("<b>&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;</b>")
    assert "<script>" not in html


def test_a_label_is_held_to_its_value_the_readers_way() -> None:
    assert "<b>Raised:</b> €625.50 of €1,000.00" in render_card(card()).html
    with use_locale("fr"):
        french = render_card(card(fields=(Field("Collecté", "625,50 €"),))).html
    assert "<b>Collecté\u00a0:</b> 625,50 €" in french


def test_buttons_carry_intents_unless_the_chat_maps_them_to_urls() -> None:
    def url_for(intent: Intent) -> str | None:
        return "https://pay.test/t" if isinstance(intent, Pledge) else None

    markup = render_card(card(), url_for).keyboard
    assert markup is not None
    pledge, follow = markup.inline_keyboard[0][0], markup.inline_keyboard[1][0]
    assert (pledge.url, pledge.callback_data) == ("https://pay.test/t", None)
    assert (follow.url, follow.callback_data) == (None, "f:1")


def test_a_long_description_is_cut_to_the_message_limit() -> None:
    html = render_card(card(body="word " * 2000)).html
    assert visible_length(html) <= TEXT_LIMIT
    assert "…" in html


def test_a_card_with_its_picture_is_a_photo_whose_caption_fits() -> None:
    rendered = render_card(card(body="é" * 5000), picture=PICTURE)
    assert rendered.picture == PICTURE
    assert CAPTION_LIMIT - 5 <= visible_length(rendered.html) <= CAPTION_LIMIT


def test_the_creators_own_image_is_never_sent_for_telegram_to_fetch() -> None:
    rendered = render_card(card(body="é" * 5000, image_url="https://img.test/a.png"))
    assert rendered.picture is None
    assert "img.test" not in rendered.html
    assert CAPTION_LIMIT < visible_length(rendered.html) <= TEXT_LIMIT


def test_cutting_counts_emoji_as_telegram_does() -> None:
    assert cut("🎉" * 10, 10) == "🎉" * 4 + "…"
    assert telegram_length(cut("🎉" * 10, 10)) <= 10
    assert cut("short", 10) == "short"


def test_a_list_gets_a_button_per_line_and_keeps_its_own_buttons() -> None:
    page = ListPage(
        title="Trending",
        items=(ListItem("Lamp", "62%", Show(1)),),
        buttons=((Button("Next ▶", Browse(offset=5)),),),
        empty_text="Nothing yet.",
        footer="Page 1 of 2",
    )
    rendered = render_list(page)
    assert rendered.html == "<b>Trending</b>\n\n1. <b>Lamp</b>\n62%\n\n<i>Page 1 of 2</i>"
    assert rendered.keyboard is not None
    labels = [row[0].text for row in rendered.keyboard.inline_keyboard]
    assert labels == ["1. Lamp", "Next ▶"]


def test_a_very_long_list_stops_before_the_limit() -> None:
    items = tuple(ListItem("t" * 80, "d" * 200, Show(n)) for n in range(40))
    rendered = render_list(ListPage("Yours", items, (), "Nothing."))
    assert TEXT_LIMIT - 400 < visible_length(rendered.html) <= TEXT_LIMIT
    assert rendered.html.endswith("…")


def catalog(count: int, description: str = "Oak and brass, turned by hand.") -> tuple[Section, ...]:
    """Stretch goals, then `count` rewards with every detail."""
    rewards = tuple(
        Entry(
            f"Reward {n} · €{n}.00",
            (description, "Estimated delivery: March 2027", "Ships to France", "3 backers"),
        )
        for n in range(1, count + 1)
    )
    stretch = (Entry("✓ €6,000.00 reached"), Entry("€8,000.00: €1,200.00 to go"))
    return (Section("Stretch goals", stretch), Section("Rewards <all>", rewards))


def test_rewards_and_stretch_goals_follow_the_figures_escaped() -> None:
    html = render_card(card(sections=catalog(2))).html
    assert html.endswith(
        "<b>Raised:</b> €625.50 of €1,000.00\n\n"
        "<b>Stretch goals</b>\n✓ €6,000.00 reached\n€8,000.00: €1,200.00 to go\n\n"
        "<b>Rewards &lt;all&gt;</b>\n"
        "▸ <b>Reward 1 · €1.00</b>\nOak and brass, turned by hand.\n"
        "Estimated delivery: March 2027\nShips to France\n3 backers\n"
        "▸ <b>Reward 2 · €2.00</b>\nOak and brass, turned by hand.\n"
        "Estimated delivery: March 2027\nShips to France\n3 backers"
    )


def test_a_long_catalog_keeps_whole_rewards_within_the_message_and_says_how_many_are_left() -> None:
    rendered = render_card(card(body="word " * 2000, sections=catalog(60)))
    html = rendered.html
    assert TEXT_LIMIT - 200 <= visible_length(html) <= TEXT_LIMIT
    shown = html.count("▸ <b>Reward ")
    assert 10 < shown < 60
    assert html.endswith(f"3 backers\n… and {60 - shown} more")
    # The story gave way but kept its first lines.
    assert "word word word" in html


def test_a_photo_card_fits_its_caption_whatever_the_catalog() -> None:
    rendered = render_card(card(body="é" * 3000, sections=catalog(40, "d" * 900)), picture=PICTURE)
    assert visible_length(rendered.html) <= CAPTION_LIMIT
    assert "<b>Stretch goals</b>" in rendered.html
    # A description longer than a reward's share of a card is cut.
    assert "d" * 301 not in rendered.html
