"""Rendering cards and lists as Telegram HTML within its limits."""

from __future__ import annotations

from adapters.telegram.limits import CAPTION_LIMIT, TEXT_LIMIT, cut, telegram_length
from adapters.telegram.render import render_card, render_list
from core.views.intents import Browse, Follow, Intent, Pledge, Show
from core.views.model import Button, Card, Field, ListItem, ListPage, Progress


def card(**changes: object) -> Card:
    """A card with hostile, long text where a creator could put it."""
    values: dict[str, object] = {
        "title": "<b>x</b> & <script>",
        "subtitle": "by Ada · Design",
        "body": "A warm lamp.",
        "progress": Progress(62, "▰▰▰▰▰▰▱▱▱▱"),
        "fields": (Field("Raised", "€625.50 of €1,000.00"),),
        "image_url": None,
        "buttons": (
            (Button("Early bird · €50.00", Pledge(1, 2)),),
            (Button("Follow", Follow(1)),),
        ),
    }
    values.update(changes)
    return Card(**values)  # type: ignore[arg-type]


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


def test_a_card_with_an_image_is_a_photo_whose_caption_fits() -> None:
    rendered = render_card(card(body="é" * 5000, image_url="https://img.test/a.png"))
    assert rendered.photo == "https://img.test/a.png"
    assert CAPTION_LIMIT - 5 <= visible_length(rendered.html) <= CAPTION_LIMIT


def test_cutting_counts_emoji_as_telegram_does() -> None:
    assert cut("🎉" * 10, 10) == "🎉" * 4 + "…"
    assert telegram_length(cut("🎉" * 10, 10)) <= 10
    assert cut("short", 10) == "short"


def test_a_list_gets_a_button_per_line_and_keeps_its_own_buttons() -> None:
    page = ListPage(
        title="Trending",
        items=(ListItem("Lamp", "62 %", Show(1)),),
        buttons=((Button("Next ▶", Browse(offset=5)),),),
        empty_text="Nothing yet.",
        footer="Page 1 of 2",
    )
    rendered = render_list(page)
    assert rendered.html == "<b>Trending</b>\n\n1. <b>Lamp</b>\n62 %\n\n<i>Page 1 of 2</i>"
    assert rendered.keyboard is not None
    labels = [row[0].text for row in rendered.keyboard.inline_keyboard]
    assert labels == ["1. Lamp", "Next ▶"]


def test_a_very_long_list_stops_before_the_limit() -> None:
    items = tuple(ListItem("t" * 80, "d" * 200, Show(n)) for n in range(40))
    rendered = render_list(ListPage("Yours", items, (), "Nothing."))
    assert TEXT_LIMIT - 400 < visible_length(rendered.html) <= TEXT_LIMIT
    assert rendered.html.endswith("…")
