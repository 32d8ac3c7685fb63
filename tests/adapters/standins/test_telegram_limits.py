"""Optional enforcement: rate limits answered with 429, blocked and deactivated users with 403."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from telegram.error import Forbidden, RetryAfter
from telegram.ext import AIORateLimiter

from adapters.standins.telegram import BotApiStandin
from tests.telegram_fixtures import application_builder, call_api


async def test_a_429_retry_after_is_honoured_by_the_rate_limiter(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    telegram_standin.enforce_rate_limits()
    limiter = AIORateLimiter(max_retries=1)

    async with application_builder(telegram_standin).rate_limiter(limiter).build() as app:
        # The library does not pace private chats; the stand-in's 1 message/s limit answers 429.
        await app.bot.send_message(chat.id, "Your pledge is confirmed")
        await app.bot.send_message(chat.id, "Thanks for backing the lamp")

    assert [m["text"] for m in telegram_standin.messages(chat)] == [
        "Your pledge is confirmed",
        "Thanks for backing the lamp",
    ]
    assert telegram_standin.throttled_count == 1
    first, second = telegram_standin.send_log
    assert second.at - first.at >= 1.0


async def test_without_retries_a_429_raises_retry_after(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    telegram_standin.enforce_rate_limits()

    async with application_builder(telegram_standin).build() as app:
        await app.bot.send_message(chat.id, "one")
        with pytest.raises(RetryAfter) as refused:
            await app.bot.send_message(chat.id, "two")

    # PTB_TIMEDELTA is set (see the fixture), so periods are timedeltas.
    assert refused.value.retry_after == timedelta(seconds=1)
    status, body = await call_api(telegram_standin, "sendMessage", chat_id=chat.id, text="three")
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    assert body["description"] == "Too Many Requests: retry after 1"


async def test_a_group_takes_20_messages_a_minute(telegram_standin: BotApiStandin) -> None:
    group = telegram_standin.group(-1001, "Lamp lovers")
    other = telegram_standin.group(-1002, "Synth fans")
    telegram_standin.enforce_rate_limits()

    async with application_builder(telegram_standin).build() as app:
        for n in range(20):
            await app.bot.send_message(group.id, f"update {n}")
        with pytest.raises(RetryAfter) as refused:
            await app.bot.send_message(group.id, "one too many")
        await app.bot.send_message(other.id, "other groups are counted apart")

    retry_after = refused.value.retry_after
    assert isinstance(retry_after, timedelta)
    assert timedelta(seconds=59) <= retry_after <= timedelta(seconds=60)
    assert len(telegram_standin.messages(group)) == 20


async def test_a_bot_sends_at_most_30_messages_a_second(telegram_standin: BotApiStandin) -> None:
    users = [telegram_standin.user(100 + n, f"Backer {n}") for n in range(31)]
    chats = [telegram_standin.private_chat(user) for user in users]
    telegram_standin.enforce_rate_limits()

    async with application_builder(telegram_standin).build() as app:
        # All at once, so that the 30 fall well within one second even on a slow machine.
        await asyncio.gather(
            *(app.bot.send_message(chat.id, "The lamp is funded!") for chat in chats[:30])
        )
        with pytest.raises(RetryAfter):
            await app.bot.send_message(chats[30].id, "The lamp is funded!")

    log = telegram_standin.send_log
    assert len(log) == 30
    assert log[-1].at - log[0].at < 1.0


async def test_limits_are_off_unless_switched_on(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    async with application_builder(telegram_standin).build() as app:
        for n in range(5):
            await app.bot.send_message(chat.id, f"burst {n}")

    assert telegram_standin.throttled_count == 0
    assert len(telegram_standin.send_log) == 5


async def test_a_user_who_blocked_the_bot_is_forbidden_until_they_write_again(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    telegram_standin.block(ada)

    async with application_builder(telegram_standin).build() as app:
        with pytest.raises(Forbidden, match="Forbidden: bot was blocked by the user"):
            await app.bot.send_message(chat.id, "Your pledge is confirmed")
        await ada.send(chat, "/start")
        await app.bot.send_message(chat.id, "Welcome back")

    assert [m["text"] for m in telegram_standin.messages(chat)] == ["/start", "Welcome back"]


async def test_a_deactivated_user_is_forbidden(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    telegram_standin.deactivate(ada)

    status, body = await call_api(telegram_standin, "sendMessage", chat_id=chat.id, text="Hi")

    assert (status, body["description"]) == (403, "Forbidden: user is deactivated")


async def test_an_injected_flood_refuses_the_next_messages_as_telegram_does(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    telegram_standin.inject_flood(retry_after=7, times=2)

    status, body = await call_api(telegram_standin, "sendMessage", chat_id=chat.id, text="one")
    async with application_builder(telegram_standin).build() as app:
        with pytest.raises(RetryAfter) as refused:
            await app.bot.send_message(chat.id, "two")
        await app.bot.send_message(chat.id, "three")

    assert (status, body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        },
    )
    assert refused.value.retry_after == timedelta(seconds=7)
    assert [m["text"] for m in telegram_standin.messages(chat)] == ["three"]
    assert telegram_standin.throttled_count == 2


async def test_a_bot_kicked_from_a_group_is_told_and_forbidden_to_send(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    bob = telegram_standin.user(43, "Bob")
    supergroup = telegram_standin.group(-1001, "Lamp lovers", creator=ada, members=[bob])
    group = telegram_standin.group(-1002, "Lamp club", admins=[ada], kind="group")

    with pytest.raises(PermissionError):
        telegram_standin.kick_bot(supergroup, by=bob)
    telegram_standin.kick_bot(supergroup, by=ada)
    telegram_standin.kick_bot(group, by=ada)

    async with application_builder(telegram_standin).build() as app:
        updates = await app.bot.get_updates()
        with pytest.raises(Forbidden, match="Forbidden: bot was kicked from the supergroup chat"):
            await app.bot.send_message(supergroup.id, "Lamp funded!")
        with pytest.raises(Forbidden, match="Forbidden: bot was kicked from the group chat"):
            await app.bot.send_message(group.id, "Lamp funded!")

    changes = [update.my_chat_member for update in updates]
    assert [(c.chat.id, c.from_user.id) for c in changes if c] == [(-1001, 42), (-1002, 42)]
    assert {(c.old_chat_member.status, c.new_chat_member.status) for c in changes if c} == {
        ("member", "kicked")
    }


async def test_a_group_that_does_not_exist_is_not_found(telegram_standin: BotApiStandin) -> None:
    status, body = await call_api(telegram_standin, "sendMessage", chat_id=-1009, text="Hi")

    assert (status, body["description"]) == (400, "Bad Request: chat not found")
