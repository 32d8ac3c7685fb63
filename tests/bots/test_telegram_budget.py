"""What `backit run` builds for a Telegram token, the bot and the dispatcher, sends within one
budget of 30 messages a second: people's answers first, the fan-out in the slots they leave."""

from __future__ import annotations

import logging
import time
from collections import Counter

import pytest

from adapters.standins.telegram import BotApiStandin
from adapters.storage import Database
from bots.config import load_settings
from bots.process import components
from tests.bots.conftest import SHIPPED_CONFIG
from tests.bots.test_dispatch_process import delivered, on_standin, received, update_queued_for

# Two seconds of Telegram's 30 messages a second for the fan-out, one for the answers: either
# would take the whole budget alone.
FOLLOWERS = 60
PEOPLE = 30
FIRST_PERSON = 20_000
# Notices out before people start talking: the fan-out is under way.
UNDER_WAY = 10
# Where Backit and python-telegram-bot log what went wrong.
OUR_LOGGERS = ("adapters", "bots", "core", "telegram")


async def test_the_bot_and_the_dispatcher_send_within_one_budget_answers_first(
    database: Database,
    migrated_database_url: str,
    telegram_standin: BotApiStandin,
    caplog: pytest.LogCaptureFixture,
) -> None:
    queued = await update_queued_for(database, telegram_standin, FOLLOWERS)
    people = [telegram_standin.user(FIRST_PERSON + n, f"P{n}") for n in range(PEOPLE)]
    chats = [telegram_standin.private_chat(person) for person in people]
    telegram_standin.enforce_rate_limits()
    settings = load_settings(SHIPPED_CONFIG, on_standin(migrated_database_url, telegram_standin))
    parts = components(settings, None, database.unit_of_work, database.counters)
    assert [part.name for part in parts] == ["telegram bot", "dispatcher", "deadline scheduler"]

    with caplog.at_level(logging.WARNING):
        for part in parts:
            await part.start()
        try:
            await delivered(telegram_standin, UNDER_WAY)
            asked = time.monotonic()
            for person, chat in zip(people, chats, strict=True):
                await person.send(chat, "/start")
            await delivered(telegram_standin, FOLLOWERS + PEOPLE)
        finally:
            for part in reversed(parts):
                await part.stop()

    # Telegram refused nothing: together the answers and the notices kept to 30 a second.
    assert telegram_standin.throttled_count == 0
    # No answer failed, nor any send: Backit and python-telegram-bot logged nothing wrong.
    assert [record.getMessage() for record in caplog.records if _ours(record)] == []
    answered = {person.id for person in people}
    followers = [user.id for user in queued]
    assert received(telegram_standin) == Counter(dict.fromkeys([*followers, *answered], 1))
    for chat in chats:
        assert telegram_standin.messages(chat)[-1]["text"].startswith("Welcome to Backit!")
    answers = [record.at for record in telegram_standin.send_log if record.chat_id in answered]
    notices = [record.at for record in telegram_standin.send_log if record.chat_id not in answered]
    print(
        f"answers sent {max(answers) - asked:.2f} s after people asked, "
        f"the fan-out ended {max(notices) - asked:.2f} s after"
    )
    # Most of the fan-out was still to go when people asked, and it waited for their answers.
    assert max(answers) < max(notices)


def _ours(record: logging.LogRecord) -> bool:
    """Whether Backit or python-telegram-bot logged the record."""
    return record.name.split(".")[0] in OUR_LOGGERS
