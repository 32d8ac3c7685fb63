"""A busy group stalls no one: chats answered side by side, each in order, and a quick stop."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest
from aiohttp import web

from adapters.chat_services import ChatServices
from adapters.standins.telegram import BotApiStandin, ChatRef, TestUser
from adapters.telegram.application import build_application
from adapters.telegram.bot import WEBHOOK_PATH, TelegramBot
from tests.adapters.telegram.people import RunningBot
from tests.telegram_fixtures import TOKEN, call_api

# Far more than the 20 messages a minute Telegram lets a group have.
FLOOD = 60
GROUP_PER_MINUTE = 20
# A behavioural bound, not a benchmark: a reply held behind the group would take a minute.
PROMPTLY = 2.0
STOP_TIMEOUT = 1.0
TITLE_QUESTION = "What is your campaign called? At most 80 characters. /cancel stops."


@pytest.fixture
def stop_timeout() -> float:
    """Stopping gives the group's update in hand a second, not the shipped ten."""
    return STOP_TIMEOUT


async def flood(standin: BotApiStandin, member: TestUser) -> ChatRef:
    """A group where a member sends FLOOD numbered searches in a row."""
    group = standin.group(-1001, "Lamp lovers", members=[member])
    for number in range(FLOOD):
        await member.send(group, f"/search lamp{number}")
    return group


async def replies(standin: BotApiStandin, chat: ChatRef, count: int) -> list[str]:
    """The first line of the bot's next `count` messages in the chat."""
    return [
        (await standin.next_message(chat, timeout=PROMPTLY))["text"].split("\n")[0]
        for _ in range(count)
    ]


async def webhook_error(standin: BotApiStandin) -> str | None:
    """Why Telegram's last post to the webhook failed, as getWebhookInfo says."""
    _, info = await call_api(standin, "getWebhookInfo")
    error: str | None = info["result"].get("last_error_message")
    return error


def searches(numbers: range) -> list[str]:
    """What the bot answers to the searches with these numbers, in order."""
    return [f"Results for “lamp{number}”" for number in numbers]


async def test_a_private_chat_is_answered_while_a_group_floods_the_bot(
    telegram_bot: RunningBot, telegram_standin: BotApiStandin
) -> None:
    telegram_standin.enforce_rate_limits()
    ada = telegram_standin.user(42, "Ada")
    bob = telegram_bot.person(43, "Bob")
    group = await flood(telegram_standin, ada)

    await bob.user.send(bob.chat, "/start")

    welcome = await telegram_standin.next_message(bob.chat, timeout=PROMPTLY)
    assert welcome["text"].startswith("Welcome to Backit!")
    assert await replies(telegram_standin, group, GROUP_PER_MINUTE) == searches(
        range(GROUP_PER_MINUTE)
    )
    # The group's 21st answer waits for its minute on Backit's side: Telegram refused none.
    assert telegram_standin.throttled_count == 0


async def test_a_group_refused_by_telegram_waits_alone(
    telegram_bot: RunningBot, telegram_standin: BotApiStandin
) -> None:
    ada = telegram_standin.user(42, "Ada")
    bob = telegram_bot.person(43, "Bob")
    group = telegram_standin.group(-1001, "Lamp lovers", members=[ada])
    await ada.send(group, "/search lamp0")
    assert await replies(telegram_standin, group, 1) == searches(range(1))

    # Telegram tells the group's next answer to wait a minute.
    telegram_standin.inject_flood(retry_after=60)
    await ada.send(group, "/search lamp1")
    async with asyncio.timeout(PROMPTLY):
        # The stand-in signals no refusal: look until it has refused the group's answer.
        while telegram_standin.throttled_count == 0:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    await bob.user.send(bob.chat, "/start")

    welcome = await telegram_standin.next_message(bob.chat, timeout=PROMPTLY)
    assert welcome["text"].startswith("Welcome to Backit!")
    # The group's answer still waits out its minute.
    assert telegram_standin.messages(group)[-1]["text"] == "/search lamp1"


async def test_a_conversation_keeps_its_order_beside_a_busy_group(
    telegram_bot: RunningBot, telegram_standin: BotApiStandin
) -> None:
    ada = telegram_standin.user(42, "Ada")
    await flood(telegram_standin, telegram_standin.user(44, "Cy"))
    chat = telegram_standin.private_chat(ada)

    # Typed faster than the bot answers: each step must see the state the one before left.
    for text in (
        "/newcampaign",
        "The Reading Lamp",
        "A warm lamp for long nights.",
        "Oak and brass.",
        "5000",
    ):
        await ada.send(chat, text)

    questions = [
        TITLE_QUESTION,
        "In one sentence,",
        "Now the longer story",
        "How much do you need?",
        "How long will",
    ]
    answers = await replies(telegram_standin, chat, len(questions))
    assert [a[: len(q)] for a, q in zip(answers, questions, strict=True)] == questions


async def test_stopping_with_a_backlog_finishes_in_time_and_drops_the_rest(
    telegram_standin: BotApiStandin,
    telegram_services: ChatServices,
    caplog: pytest.LogCaptureFixture,
) -> None:
    telegram_standin.enforce_rate_limits()
    application = build_application(
        TOKEN, telegram_services, base_url=telegram_standin.base_url, polling=True
    )
    bot = TelegramBot(application, poll_timeout=1, stop_timeout=STOP_TIMEOUT)
    await bot.start()
    group = await flood(telegram_standin, telegram_standin.user(42, "Ada"))
    assert await replies(telegram_standin, group, GROUP_PER_MINUTE) == searches(
        range(GROUP_PER_MINUTE)
    )

    with caplog.at_level(logging.WARNING, logger="adapters.telegram"):
        await asyncio.wait_for(bot.stop(), STOP_TIMEOUT + PROMPTLY)

    assert len(telegram_standin.messages(group)) == FLOOD + GROUP_PER_MINUTE
    # Polling confirmed every update it fetched: Telegram will not send the dropped ones again.
    assert telegram_standin.pending_updates() == []
    dropped = FLOOD - GROUP_PER_MINUTE - 1
    assert caplog.messages == [
        f"telegram: stopped with {dropped} updates dropped before they started and 1 cut short"
    ]


async def test_in_webhook_mode_updates_posted_while_stopping_are_left_with_telegram(
    telegram_standin: BotApiStandin, telegram_services: ChatServices
) -> None:
    application = build_application(
        TOKEN, telegram_services, base_url=telegram_standin.base_url, polling=False
    )
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listening.getsockname()[1]}{WEBHOOK_PATH}"
    bot = TelegramBot(
        application, webhook_url=url, webhook_secret="secret-1", stop_timeout=STOP_TIMEOUT
    )
    server = web.Application()
    server.add_routes(bot.webhook_routes())
    runner = web.AppRunner(server, shutdown_timeout=1.0)
    await runner.setup()
    await web.SockSite(runner, listening).start()
    await bot.start()
    bob = telegram_standin.user(43, "Bob")
    # The web server outlives the bot in `backit run`: it stops after the bots do.
    await asyncio.wait_for(bot.stop(), STOP_TIMEOUT + PROMPTLY)
    try:
        await bob.send(telegram_standin.private_chat(bob), "/start")
        async with asyncio.timeout(PROMPTLY):
            # The stand-in signals no delivery attempt: ask it until it reports the refusal.
            while not await webhook_error(telegram_standin):  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    finally:
        await runner.cleanup()

    error = await webhook_error(telegram_standin)
    assert error == "Wrong response from the webhook: 503 Service Unavailable"
    # Kept by Telegram, to be posted again to the next process.
    assert [u["message"]["text"] for u in telegram_standin.pending_updates()] == ["/start"]
