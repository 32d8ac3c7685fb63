"""Photos, edits, deletions and replies, as the chat shows them afterwards."""

from __future__ import annotations

import asyncio

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    ReplyParameters,
)
from telegram.error import BadRequest

from adapters.standins.telegram import BotApiStandin, ChatEvent
from tests.telegram_fixtures import (
    CAMPAIGN_KEYBOARD,
    application_builder,
    png,
    polling,
    tiny_bot,
)


async def test_an_uploaded_photo_keeps_its_size_caption_and_bytes(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = tiny_bot(application_builder(telegram_standin))

    async with polling(app):
        await ada.send(chat, "/photo")
        shown = await telegram_standin.next_message(chat)
        largest = Message.de_json(shown, app.bot).photo[-1]
        downloaded = await (await app.bot.get_file(largest.file_id)).download_as_bytearray()

    assert (largest.width, largest.height) == (3, 2)
    assert shown["caption"] == "Lamp & light"
    assert shown["caption_entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert shown["html"] == "<b>Lamp</b> &amp; light"
    assert bytes(downloaded) == png(3, 2)


async def test_a_photo_can_be_sent_by_url_and_again_by_file_id(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = application_builder(telegram_standin).build()

    async with app:
        by_url = await app.bot.send_photo(chat.id, "https://picsum.photos/seed/lamp/1200/675")
        again = await app.bot.send_photo(chat.id, by_url.photo[-1].file_id, caption="Again")
        with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
            await app.bot.send_photo(chat.id, "not-a-file-id")
        with pytest.raises(BadRequest, match="Image_process_failed"):
            await app.bot.send_photo(chat.id, b"not an image")

    assert again.photo[-1].file_id == by_url.photo[-1].file_id
    assert [message.get("caption") for message in telegram_standin.messages(chat)] == [
        None,
        "Again",
    ]


async def test_edits_change_what_the_chat_shows(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = application_builder(telegram_standin).build()

    async with app:
        card = await app.bot.send_message(chat.id, "Lamp: 10%", reply_markup=CAMPAIGN_KEYBOARD)
        edited = await card.edit_text("Lamp: <b>20%</b>", parse_mode="HTML")
        assert isinstance(edited, Message)
        with pytest.raises(BadRequest, match="Message is not modified"):
            await edited.edit_text("Lamp: <b>20%</b>", parse_mode="HTML")
        assert await edited.edit_reply_markup(CAMPAIGN_KEYBOARD)
        with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
            await card.edit_caption("A caption")
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await app.bot.edit_message_text("Gone", chat_id=chat.id, message_id=999)

    [shown] = telegram_standin.messages(chat)
    assert shown["text"] == "Lamp: 20%"
    assert shown["entities"] == [{"type": "bold", "offset": 6, "length": 3}]
    assert shown["reply_markup"] == CAMPAIGN_KEYBOARD.to_dict()
    # An edit without a keyboard removed it; the last edit put it back.
    assert edited.reply_markup is None


async def test_a_photo_is_replaced_uploaded_or_by_file_id_with_the_medias_caption(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = application_builder(telegram_standin).build()

    async with app:
        card = await app.bot.send_photo(chat.id, png(3, 2), caption="10%")
        uploaded = await card.edit_media(
            InputMediaPhoto(png(4, 2), caption="<b>20%</b>", parse_mode="HTML"),
            reply_markup=CAMPAIGN_KEYBOARD,
        )
        assert isinstance(uploaded, Message)
        # An InputMedia without a caption and an edit without a keyboard remove them.
        again = await uploaded.edit_media(InputMediaPhoto(card.photo[-1].file_id))
        assert isinstance(again, Message)
        with pytest.raises(BadRequest, match="Message is not modified"):
            await again.edit_media(InputMediaPhoto(card.photo[-1].file_id))
        with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
            await again.edit_media(InputMediaPhoto("not-a-file-id"))
        text = await app.bot.send_message(chat.id, "Lamp")
        became = await text.edit_media(InputMediaPhoto(card.photo[-1].file_id, caption="Lamp"))
        assert isinstance(became, Message)

    assert (uploaded.photo[-1].width, uploaded.caption) == (4, "20%")
    assert uploaded.reply_markup == CAMPAIGN_KEYBOARD
    assert again.photo[-1].file_unique_id == card.photo[-1].file_unique_id
    assert (again.caption, again.reply_markup) == (None, None)
    assert (became.text, became.caption, became.photo[-1].width) == (None, "Lamp", 3)
    assert telegram_standin.photo_uploads == 2


async def test_a_bot_cannot_edit_a_users_message(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    sent = await ada.send(chat, "mine")
    app = application_builder(telegram_standin).build()

    async with app:
        with pytest.raises(BadRequest, match="Message can't be edited"):
            await app.bot.edit_message_text("yours", chat_id=chat.id, message_id=sent["message_id"])


async def test_deleting_a_message_removes_it_and_tells_followers(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    events: list[ChatEvent] = []
    unsubscribe = telegram_standin.subscribe(events.append)
    app = application_builder(telegram_standin).build()

    async with app:
        first = await app.bot.send_message(chat.id, "first")
        await app.bot.send_message(chat.id, "second")
        assert await first.delete()
        with pytest.raises(BadRequest, match="Message to delete not found"):
            await first.delete()
    unsubscribe()
    await ada.send(chat, "after unsubscribing")

    assert [message["text"] for message in telegram_standin.messages(chat)] == [
        "second",
        "after unsubscribing",
    ]
    assert [(event.kind, event.message_id, event.by_bot) for event in events] == [
        ("sent", 1, True),
        ("sent", 2, True),
        ("deleted", 1, True),
    ]
    assert events[-1].message is None
    assert events[0].chat == chat


async def test_a_reply_carries_the_message_it_answers(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    question = await ada.send(chat, "How far along is the lamp?")
    app = application_builder(telegram_standin).build()

    async with app:
        answer = await app.bot.send_message(
            chat.id, "20%", reply_parameters=ReplyParameters(question["message_id"])
        )
        with pytest.raises(BadRequest, match="Message to be replied not found"):
            await app.bot.send_message(chat.id, "?", reply_parameters=ReplyParameters(999))
        orphan = await app.bot.send_message(
            chat.id, "!", reply_parameters=ReplyParameters(999, allow_sending_without_reply=True)
        )

    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "How far along is the lamp?"
    assert orphan.reply_to_message is None


async def test_changes_can_be_followed_as_a_stream(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    other = telegram_standin.private_chat(telegram_standin.user(43, "Grace"))
    stream = telegram_standin.changes(chat)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    app = application_builder(telegram_standin).build()

    async with app, asyncio.timeout(5):
        await app.bot.send_message(other.id, "elsewhere")
        card = await app.bot.send_message(chat.id, "here", reply_markup=keyboard)
        press = await ada.press(card.to_dict(), "Go")
        await app.bot.answer_callback_query(press.id, "Pressed")
        first = await anext(stream)
        answered = await anext(stream)
    stream.close()

    assert (first.kind, first.message_id) == ("sent", card.message_id)
    assert answered.kind == "callback_answered"
    assert answered.answer is not None
    assert answered.answer.text == "Pressed"
