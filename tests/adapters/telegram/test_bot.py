"""The bot as a whole: webhook mode behind its secret, command menus, the last-resort handler."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from adapters.chat_services import ChatServices
from adapters.standins.telegram import BotApiStandin
from adapters.telegram.application import build_application
from adapters.telegram.bot import SECRET_HEADER, WEBHOOK_PATH, TelegramBot
from core.ports import UnitOfWork
from tests.adapters.telegram.people import Person, RunningBot
from tests.telegram_fixtures import TOKEN

WEBHOOK_SECRET = "telegram-webhook-secret_42"
APOLOGY = "Sorry, something went wrong. Please try again."


@pytest.fixture
async def webhook_bot(
    telegram_standin: BotApiStandin, telegram_services: ChatServices
) -> AsyncIterator[str]:
    """Backit's bot in webhook mode on its own aiohttp server; the webhook's URL."""
    application = build_application(
        TOKEN, telegram_services, base_url=telegram_standin.base_url, polling=False
    )
    # Bound first, so the bot knows the address it asks Telegram to post to.
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listening.getsockname()[1]}{WEBHOOK_PATH}"
    bot = TelegramBot(application, webhook_url=url, webhook_secret=WEBHOOK_SECRET)
    server = web.Application()
    server.add_routes(bot.webhook_routes())
    runner = web.AppRunner(server, shutdown_timeout=1.0)
    await runner.setup()
    await web.SockSite(runner, listening).start()
    await bot.start()
    yield url
    await bot.stop()
    await runner.cleanup()


async def test_in_webhook_mode_updates_arrive_only_with_the_secret(
    webhook_bot: str, telegram_standin: BotApiStandin
) -> None:
    ada = Person(telegram_standin, telegram_standin.user(42, "Ada"))
    assert (await ada.says("/start"))["text"].startswith("Welcome to Backit!")

    update = {"update_id": 99, "message": {"message_id": 1, "date": 0, "chat": {"id": 1}}}
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {SECRET_HEADER: "guess"}):
            async with http.post(webhook_bot, json=update, headers=headers) as response:
                assert response.status == 403
        async with http.post(
            webhook_bot, data=b"not json", headers={SECRET_HEADER: WEBHOOK_SECRET}
        ) as response:
            assert response.status == 400


async def test_a_secret_header_that_is_not_ascii_is_refused_as_a_wrong_secret(
    webhook_bot: str,
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.post(webhook_bot, json={"update_id": 1}, headers={SECRET_HEADER: "sécret"}) as answer,
    ):
        assert answer.status == 403


@pytest.mark.parametrize(
    ("body", "logged"),
    [
        (b"[" * 100_000, "telegram webhook: refused a body that is not JSON"),
        (b"[]", "telegram webhook: refused JSON that is not an object"),
        (
            b'{"update_id": 1, "message": []}',
            "telegram webhook: refused an unreadable update (TypeError)",
        ),
        (
            b'{"update_id": 1, "message": {"message_id": 1, "date": 1'
            + b"0" * 400
            + b', "chat": {"id": 1, "type": "private"}}}',
            "telegram webhook: refused an unreadable update (OverflowError)",
        ),
    ],
)
async def test_a_body_with_the_secret_but_no_readable_update_is_refused_in_one_line(
    webhook_bot: str, caplog: pytest.LogCaptureFixture, body: bytes, logged: str
) -> None:
    with caplog.at_level(logging.INFO):
        async with (
            aiohttp.ClientSession() as http,
            http.post(webhook_bot, data=body, headers={SECRET_HEADER: WEBHOOK_SECRET}) as answer,
        ):
            assert answer.status == 400

    noted = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.getMessage(), r.exc_info) for r in noted] == [(logged, None)]


async def test_the_command_menus_are_set_in_english_and_french(telegram_bot: RunningBot) -> None:
    standin = telegram_bot.standin
    private = standin.commands({"type": "all_private_chats"})
    assert private[0] == {"command": "discover", "description": "Browse campaigns"}
    assert [command["command"] for command in private] == [
        "discover",
        "search",
        "updates",
        "following",
        "mypledges",
        "mycampaigns",
        "payouts",
        "update",
        "newcampaign",
        "submit",
        "cover",
        "launchdate",
        "ambassadors",
        "language",
    ]
    groups = standin.commands({"type": "all_group_chats"}, "fr")
    assert [command["command"] for command in groups] == [
        "discover",
        "search",
        "updates",
        "link",
        "unlink",
        "announce",
    ]
    assert groups[2]["description"] == "Les actualités passées d’une campagne"
    assert groups[3]["description"] == "Lier une campagne à ce groupe (admins)"


def unreachable_database(*, read_only: bool = False) -> UnitOfWork:
    """A database that cannot be reached: every use case fails before it starts."""
    raise ConnectionRefusedError("the database is not answering")


@pytest.mark.parametrize("unit_of_work_factory", [unreachable_database])
async def test_a_failure_is_logged_with_its_update_and_the_person_gets_an_apology(
    telegram_bot: RunningBot,
) -> None:
    ada = telegram_bot.person(42, "Ada")
    assert (await ada.says("/discover"))["text"] == APOLOGY
    await telegram_bot.application.bot.send_message(
        ada.user.id,
        "Earlier",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Follow", callback_data="f:1")]]),
    )
    answer = await ada.presses(await ada.reads(), "Follow")
    assert (answer.text, answer.show_alert) == (APOLOGY, True)

    records = telegram_bot.errors.records
    assert [record.getMessage() for record in records] == [
        "handling update 1 in chat 42 failed",
        "handling update 2 in chat 42 failed",
    ]
    assert all(
        record.exc_info and isinstance(record.exc_info[1], ConnectionRefusedError)
        for record in records
    )
    assert "the database is not answering" not in str(telegram_bot.standin.messages(ada.chat))
    # Seen and checked: the fixture need not fail the test for them.
    records.clear()
    assert logging.getLogger("httpx").level == logging.WARNING


async def test_the_way_back_from_a_browser_opens_the_persons_pledges_once_connected(
    telegram_standin: BotApiStandin, telegram_services: ChatServices
) -> None:
    application = build_application(
        TOKEN, telegram_services, base_url=telegram_standin.base_url, polling=True
    )
    bot = TelegramBot(application)
    assert bot.pledges_url() is None

    await bot.start()
    try:
        assert bot.pledges_url() == "https://t.me/backit_test_bot?start=mypledges"
    finally:
        await bot.stop()
