"""Updates reach the real python-telegram-bot by long polling and by webhook, as on Telegram."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from telegram import Bot
from telegram.error import BadRequest, Conflict, EndPointNotFound, InvalidToken

from adapters.standins.telegram import BotApiStandin
from tests.telegram_fixtures import (
    CAMPAIGN_KEYBOARD,
    TOKEN,
    application_builder,
    call_api,
    polling,
    tiny_bot,
    webhook_mode,
)


def bot_of(standin: BotApiStandin, token: str = TOKEN) -> Bot:
    """A bare Bot, without an Application, talking to the stand-in."""
    return Bot(
        token,
        base_url=f"{standin.base_url}/bot",
        base_file_url=f"{standin.base_url}/file/bot",
    )


async def test_a_polling_application_echoes_a_private_message(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada", username="ada")
    chat = telegram_standin.private_chat(ada)

    async with polling(tiny_bot(application_builder(telegram_standin))):
        sent = await ada.send(chat, "hello there")
        reply = await telegram_standin.next_message(chat)

    assert reply["text"] == "hello there"
    assert reply["from"]["username"] == "backit_test_bot"
    assert reply["message_id"] == sent["message_id"] + 1
    assert [message["text"] for message in telegram_standin.messages(chat)] == [
        "hello there",
        "hello there",
    ]


async def test_a_held_long_poll_answers_as_soon_as_an_update_arrives(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    loop = asyncio.get_running_loop()

    async with polling(tiny_bot(application_builder(telegram_standin)), poll_seconds=30):
        for text in ("first", "second", "third"):
            started = loop.time()
            await ada.send(chat, text)
            assert (await telegram_standin.next_message(chat))["text"] == text
            # The library is holding a 30-second poll: only a wake-up explains a quick reply.
            assert loop.time() - started < 2


async def test_get_updates_confirms_by_offset_and_honours_the_limit(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    for text in ("one", "two", "three"):
        await ada.send(chat, text)

    async with bot_of(telegram_standin) as bot:
        first = await bot.get_updates(limit=2)
        again = await bot.get_updates(limit=2)
        rest = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
        empty = await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0)

    assert [u.message.text for u in first if u.message] == ["one", "two"]
    assert [u.update_id for u in again] == [u.update_id for u in first]
    assert [u.message.text for u in rest if u.message] == ["three"]
    assert empty == ()


async def test_a_webhook_delivers_updates_with_the_secret_header(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = tiny_bot(application_builder(telegram_standin).updater(None))

    async with webhook_mode(app) as endpoint:
        await ada.send(chat, "/start")
        reply = await telegram_standin.next_message(chat)
        info = await app.bot.get_webhook_info()

    assert reply["text"] == "Welcome"
    assert endpoint.refused == 0
    assert info.url == endpoint.url
    assert info.pending_update_count == 0


async def test_failed_webhook_deliveries_are_retried_and_the_last_error_reported(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = tiny_bot(application_builder(telegram_standin).updater(None))

    async with webhook_mode(app, failures=2):
        await ada.send(chat, "still there?")
        reply = await telegram_standin.next_message(chat)
        info = await app.bot.get_webhook_info()

    assert reply["text"] == "still there?"
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.last_error_date is not None


async def test_get_updates_while_a_webhook_is_set_is_a_conflict(
    telegram_standin: BotApiStandin,
) -> None:
    async with bot_of(telegram_standin) as bot:
        await bot.set_webhook("http://127.0.0.1:9/telegram", secret_token="s3cret")
        with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
            await bot.get_updates()
        await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()


@pytest.mark.parametrize("secret", ["has space", "x" * 257, "naïve"])
async def test_a_webhook_secret_is_1_to_256_base64url_characters(
    telegram_standin: BotApiStandin, secret: str
) -> None:
    async with bot_of(telegram_standin) as bot:
        with pytest.raises(BadRequest, match="Secret token"):
            await bot.set_webhook("http://127.0.0.1:9/telegram", secret_token=secret)


async def test_an_unknown_token_is_refused_as_unauthorized(
    telegram_standin: BotApiStandin,
) -> None:
    status, body = await call_api(telegram_standin, "getMe", token="999:unknown")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})

    with pytest.raises(InvalidToken):
        async with bot_of(telegram_standin, "999:unknown"):
            pass


async def test_an_unknown_method_is_not_found(telegram_standin: BotApiStandin) -> None:
    status, body = await call_api(telegram_standin, "sendTelepathy", chat_id=42)
    assert status == 404
    assert body["description"] == "Not Found: method not found"

    async with bot_of(telegram_standin) as bot:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 42})


async def test_method_names_are_case_insensitive(
    telegram_standin: BotApiStandin,
) -> None:
    status, body = await call_api(telegram_standin, "GETME")
    assert status == 200
    assert body["result"]["username"] == "backit_test_bot"


async def test_a_json_body_is_read_like_a_form(telegram_standin: BotApiStandin) -> None:
    chat = telegram_standin.private_chat(telegram_standin.user(42, "Ada"))
    keyboard = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}

    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{telegram_standin.base_url}/bot{TOKEN}/sendMessage",
            json={
                "chat_id": chat.id,
                "text": "<i>Lamp</i>",
                "parse_mode": "HTML",
                "reply_markup": keyboard,
            },
        ) as response,
    ):
        body = await response.json()

    assert body["ok"]
    assert body["result"]["reply_markup"] == keyboard
    assert body["result"]["entities"] == [{"type": "italic", "offset": 0, "length": 4}]


async def test_allowed_updates_filter_what_a_bot_receives(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    async with bot_of(telegram_standin) as bot:
        card = await bot.send_message(chat.id, "Pick", reply_markup=CAMPAIGN_KEYBOARD)
        await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
        await ada.send(chat, "ignored")
        await ada.press(card.to_dict(), "Back it")
        updates = await bot.get_updates(timeout=0)
        await bot.delete_webhook(drop_pending_updates=True)
        dropped = await bot.get_updates(timeout=0)

    assert [update.callback_query.data for update in updates if update.callback_query] == [
        "back:lamp"
    ]
    assert len(updates) == 1
    assert dropped == ()


async def test_a_second_poller_terminates_the_first_with_a_conflict(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    async with bot_of(telegram_standin) as one, bot_of(telegram_standin) as other:
        polls = {
            asyncio.create_task(one.get_updates(timeout=5)),
            asyncio.create_task(other.get_updates(timeout=5)),
        }
        # Whichever poll came first is answered 409 as soon as the other one arrives.
        done, waiting = await asyncio.wait(polls, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        await ada.send(chat, "which instance gets me?")
        [updates] = await asyncio.wait_for(asyncio.gather(*waiting), 5)

    [replaced] = done
    assert isinstance(replaced.exception(), Conflict)
    assert "terminated by other getUpdates request" in str(replaced.exception())
    assert [update.message.text for update in updates if update.message] == [
        "which instance gets me?"
    ]
