"""Inline keyboards: callback data round trips, its 64-byte limit, and answering presses."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from adapters.standins.telegram import BotApiStandin
from tests.telegram_fixtures import (
    CAMPAIGN_KEYBOARD,
    application_builder,
    call_api,
    polling,
    tiny_bot,
)


async def test_a_press_reaches_the_bot_which_edits_the_message_and_answers(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    async with polling(tiny_bot(application_builder(telegram_standin))):
        await ada.send(chat, "/start")
        card = await telegram_standin.next_message(chat)
        press = await ada.press(card, "Back it")
        answer = await press.answer()
        edited = await telegram_standin.next_message(chat)

    assert press.update is not None
    query = press.update["callback_query"]
    assert query["data"] == "back:lamp"
    assert query["message"]["message_id"] == card["message_id"]
    assert query["from"]["id"] == 42
    assert answer.text == "Got back:lamp"
    assert not answer.show_alert
    assert edited["message_id"] == card["message_id"]
    assert edited["text"] == "You chose back:lamp"
    assert "edit_date" in edited
    assert telegram_standin.messages(chat)[-1]["text"] == "You chose back:lamp"


async def test_an_edit_that_changes_nothing_is_not_modified(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    async with polling(tiny_bot(application_builder(telegram_standin))):
        await ada.send(chat, "/start")
        card = await telegram_standin.next_message(chat)
        await (await ada.press(card, "back:lamp")).answer()
        # The tiny bot catches "message is not modified" and answers with an alert instead.
        second = await (await ada.press(card, "Back it")).answer()

    assert second.text == "Already chosen"
    assert second.show_alert


async def test_the_driver_presses_only_buttons_that_send_callback_data(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    async with polling(tiny_bot(application_builder(telegram_standin))):
        await ada.send(chat, "/start")
        card = await telegram_standin.next_message(chat)

    with pytest.raises(ValueError, match=r"https://backit\.test/lamp"):
        await ada.press(card, "Website")
    with pytest.raises(LookupError, match="'Back it', 'Website', 'Share'"):
        await ada.press(card, "Refund me")


@pytest.mark.parametrize(
    ("data", "accepted"),
    [("x" * 64, True), ("x" * 65, False), ("é" * 32, True), ("é" * 33, False)],
)
async def test_callback_data_is_at_most_64_bytes(
    telegram_standin: BotApiStandin, data: str, accepted: bool
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data=data)]])
    app = application_builder(telegram_standin).build()

    async with app:
        if accepted:
            await app.bot.send_message(chat.id, "Pick", reply_markup=keyboard)
        else:
            with pytest.raises(BadRequest, match="Button_data_invalid"):
                await app.bot.send_message(chat.id, "Pick", reply_markup=keyboard)

    status, body = await call_api(
        telegram_standin,
        "sendMessage",
        chat_id=chat.id,
        text="Pick",
        reply_markup=keyboard.to_dict(),
    )
    assert (status, body.get("description")) == (
        (200, None) if accepted else (400, "Bad Request: BUTTON_DATA_INVALID")
    )


async def test_a_button_without_an_action_is_refused(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    status, body = await call_api(
        telegram_standin,
        "sendMessage",
        chat_id=chat.id,
        text="Pick",
        reply_markup={"inline_keyboard": [[{"text": "Nothing"}]]},
    )

    assert status == 400
    assert body["description"] == "Bad Request: text buttons are unallowed in the inline keyboard"


async def test_a_press_is_answered_once_only(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = application_builder(telegram_standin).build()

    async with app:
        card = await app.bot.send_message(chat.id, "Pick", reply_markup=CAMPAIGN_KEYBOARD)
        press = await ada.press(card.to_dict(), "Back it")
        assert await app.bot.answer_callback_query(press.id, "Noted", show_alert=True)
        with pytest.raises(BadRequest, match="Query is too old"):
            await app.bot.answer_callback_query(press.id, "Noted twice")
        with pytest.raises(BadRequest, match="Query is too old"):
            await app.bot.answer_callback_query("1234", "Never asked")
        second = await ada.press(card.to_dict(), "Back it")
        with pytest.raises(BadRequest, match="Message_too_long"):
            await app.bot.answer_callback_query(second.id, "x" * 201)

    answer = await press.answer()
    assert (answer.text, answer.show_alert) == ("Noted", True)
