"""Telegram's HTML subset and length limits, measured after entity parsing."""

from __future__ import annotations

import pytest
from telegram.constants import ParseMode
from telegram.error import BadRequest

from adapters.standins.telegram import BotApiStandin
from adapters.standins.telegram.formatting import parse_html
from tests.telegram_fixtures import application_builder, call_api, png


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("é <b>x</i>", 'Unmatched end tag at byte offset 7, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a href=x", "Unclosed start tag at byte offset 0"),
    ],
)
async def test_malformed_html_is_refused_with_telegrams_description(
    telegram_standin: BotApiStandin, html: str, reason: str
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    status, body = await call_api(
        telegram_standin, "sendMessage", chat_id=chat.id, text=html, parse_mode="HTML"
    )

    assert status == 400
    assert body["description"] == f"Bad Request: can't parse entities: {reason}"
    assert telegram_standin.messages(chat) == []


def test_the_html_subset_becomes_entities_with_utf16_offsets() -> None:
    text, entities = parse_html(
        '🎉 <b>Lamp &amp; <i>light</i></b> <a href="https://backit.test/?a=1&amp;b=2">page</a>'
        ' <span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler> <u>u</u> <s>v</s>'
        ' <pre><code class="language-python">w</code></pre> <blockquote expandable>q</blockquote>'
        " &lt;&gt;&quot;&#65;&#x42; &nbsp; AT&T"
    )

    assert text == '🎉 Lamp & light page s t u v w q <>"AB &nbsp; AT&T'
    assert sorted(entities, key=lambda e: (e["offset"], -e["length"])) == [
        {"type": "bold", "offset": 3, "length": 12},
        {"type": "italic", "offset": 10, "length": 5},
        {"type": "text_link", "offset": 16, "length": 4, "url": "https://backit.test/?a=1&b=2"},
        {"type": "spoiler", "offset": 21, "length": 1},
        {"type": "spoiler", "offset": 23, "length": 1},
        {"type": "underline", "offset": 25, "length": 1},
        {"type": "strikethrough", "offset": 27, "length": 1},
        {"type": "pre", "offset": 29, "length": 1, "language": "python"},
        {"type": "expandable_blockquote", "offset": 31, "length": 1},
    ]


async def test_the_bot_sees_parsed_entities_and_the_driver_keeps_the_html(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = application_builder(telegram_standin).build()

    async with app:
        sent = await app.bot.send_message(
            chat.id, "  <b>Lamp</b> &lt;3  ", parse_mode=ParseMode.HTML
        )

    assert sent.text == "Lamp <3"
    assert sent.text_html == "<b>Lamp</b> &lt;3"
    [shown] = telegram_standin.messages(chat)
    assert shown["html"] == "  <b>Lamp</b> &lt;3  "
    assert shown["entities"] == [{"type": "bold", "offset": 0, "length": 4}]


@pytest.mark.parametrize(
    "text",
    [
        "x" * 4096,
        "<b>" + "x" * 4096 + "</b>",
        "&amp;" * 4096,
        "  " + "x" * 4096 + "\n\n",
    ],
)
async def test_4096_characters_after_parsing_are_accepted(
    telegram_standin: BotApiStandin, text: str
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = application_builder(telegram_standin).build()

    async with app:
        sent = await app.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML)

    assert sent.text is not None
    assert len(sent.text) == 4096


@pytest.mark.parametrize("text", ["x" * 4097, "<i>" + "é" * 4097 + "</i>"])
async def test_4097_characters_after_parsing_are_too_long(
    telegram_standin: BotApiStandin, text: str
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    status, body = await call_api(
        telegram_standin, "sendMessage", chat_id=chat.id, text=text, parse_mode="HTML"
    )

    assert (status, body["description"]) == (400, "Bad Request: message is too long")


@pytest.mark.parametrize("text", ["", "   \n", "<b></b>", "<b> </b>"])
async def test_an_empty_text_is_refused(telegram_standin: BotApiStandin, text: str) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = application_builder(telegram_standin).build()

    async with app:
        with pytest.raises(BadRequest, match="Message text is empty"):
            await app.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML)


async def test_a_caption_is_at_most_1024_characters_after_parsing(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = application_builder(telegram_standin).build()

    async with app:
        fits = "<b>" + "x" * 1024 + "</b>"
        sent = await app.bot.send_photo(chat.id, png(4, 4), caption=fits, parse_mode="HTML")
        with pytest.raises(BadRequest, match="Message caption is too long"):
            await app.bot.send_photo(chat.id, png(4, 4), caption="x" * 1025)

    assert sent.caption == "x" * 1024
    assert len(telegram_standin.messages(chat)) == 1


async def test_explicit_entities_replace_parse_mode(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    status, body = await call_api(
        telegram_standin,
        "sendMessage",
        chat_id=chat.id,
        text="<b>raw</b>",
        parse_mode="HTML",
        entities=[{"type": "italic", "offset": 0, "length": 3}],
    )

    assert status == 200
    assert body["result"]["text"] == "<b>raw</b>"
    assert body["result"]["entities"] == [{"type": "italic", "offset": 0, "length": 3}]
