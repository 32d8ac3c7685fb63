"""`backit dispatch` and `backit outbox status` as real processes on the Telegram stand-in."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from adapters.standins.telegram import BotApiStandin, ChatEvent, TestUser
from adapters.storage import Database
from adapters.storage.tables import OutboxRow
from bots.clock import SystemClock
from core.identity import Identity, Platform
from core.outbox import OutboxStatus
from core.updates import UpdateAudience
from core.usecases.updating import post_update
from tests.adapters.storage.builders import CREATOR, a_campaign, committed
from tests.bots.conftest import ROOT, SHIPPED_CONFIG, Run
from tests.delivery.audiences import add_followers
from tests.telegram_fixtures import TOKEN

# [dispatcher] connections, batch_size and stop_timeout_seconds as shipped: requests under
# way at once, messages claimed at a time, and how long a stopping dispatcher lets the sends
# it claimed finish.
CONNECTIONS = 8
BATCH_SIZE = 100
STOP_TIMEOUT = 10.0
# Messages per second for the tests about crashes rather than pacing, on both sides.
FAST = 400
# The rate limiter spaces slots 2 % wider than the limit strictly needs (core/rate_limits.py).
FAST_SENDS_PER_SECOND = FAST / 1.02
# The longest one write of the delivery log takes: an UPDATE of the ids sent and a commit,
# after its turn behind a claim on SQLite. Timed in `backit dispatch` at 400/s on both
# backends: 6-14 ms typically, 17-43 ms at the 99th percentile, 245 ms the slowest seen (a
# checkpoint or an fsync stalling) over some 7,000 writes.
WRITE_SECONDS = 0.25
# Messages delivered but not yet recorded when a dispatcher dies are sent again by the next:
# those are the only duplicates. The delivery log writes every outcome waiting as soon as its
# previous write ends (core/usecases/delivery_log.py). Let A be the last write that committed
# before the kill and t the moment it took its batch: whatever completed before t was in A or
# earlier, whatever completed after is in the write under way (not committed) or waiting for
# the next. So at the kill, delivered but unrecorded are at most:
# - the requests under way, which the stand-in may have answered: CONNECTIONS;
# - the sends completed since t, less than two writes ago (A's, then the one under way).
#   Slots come evenly spaced at FAST_SENDS_PER_SECOND and the limiter never catches up after
#   a stall, so in T seconds at most that rate times T, plus one, sends start, and at most
#   CONNECTIONS already under way complete besides.
# That is two group commits' worth besides the requests in flight, not one: the batch being
# written holds what completed during the write before it, and the kill may come just before
# its commit, with the next batch gathering meanwhile. With writes of WRITE_SECONDS, 213; the
# typical write makes it about 20 (the measured figure is printed).
MAX_DUPLICATES = CONNECTIONS + int(FAST_SENDS_PER_SECOND * 2 * WRITE_SECONDS) + 1 + CONNECTIONS
EVERYONE = 5_000
KILLED_AFTER = 2_000


class Running:
    """A `backit` process whose log is read as it comes, so that its pipe never fills."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self._log = asyncio.create_task(self._read(process.stderr))
        self._output = asyncio.create_task(self._read(process.stdout))

    async def finish(self, within: float = 20.0) -> Run:
        """The exit code, what it printed and its log, once the process has ended."""
        async with asyncio.timeout(within):
            out, err = await self._output, await self._log
            return Run(await self.process.wait(), out, err)

    @staticmethod
    async def _read(stream: asyncio.StreamReader | None) -> str:
        assert stream is not None
        return (await stream.read()).decode()


@asynccontextmanager
async def backit(*argv: str, **env: str) -> AsyncIterator[Running]:
    """`python -m bots ARGV` with the shipped config and `env` set; killed if left running."""
    # The checkout under test comes first, even where another copy of backit is installed.
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bots", "--config", str(SHIPPED_CONFIG), *argv),
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    running = Running(process)
    try:
        yield running
    finally:
        if process.returncode is None:
            process.kill()
        await running.finish()


async def backit_run(*argv: str, **env: str) -> Run:
    """Run one `backit` command to its end."""
    async with backit(*argv, **env) as running:
        return await running.finish(within=60.0)


def on_standin(database_url: str, standin: BotApiStandin, **overrides: str) -> dict[str, str]:
    """The environment of a dispatcher on the database, delivering through the stand-in."""
    return {
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "BACKIT_TELEGRAM__BASE_URL": standin.base_url,
        **overrides,
    }


def leaks_the_token(*runs: Run) -> bool:
    """Whether any of the runs printed or logged the bot token, or its secret half."""
    secrets = (TOKEN, TOKEN.split(":")[1])
    return any(secret in run.out + run.err for run in runs for secret in secrets)


async def update_queued_for(
    database: Database, standin: BotApiStandin, people: int
) -> list[TestUser]:
    """People in private chats with the bot, each sent a creator update through the outbox."""
    ends = datetime.now(UTC) + timedelta(days=28)
    campaign = await committed(
        database,
        lambda uow: uow.campaigns.add(
            a_campaign(ends_at=ends, starts_at=ends - timedelta(days=30))
        ),
    )
    users = [standin.user(10_000 + n, f"F{n}") for n in range(people)]
    for user in users:
        standin.private_chat(user)
    identities = [Identity(Platform.TELEGRAM, str(user.id)) for user in users]
    await add_followers(database, campaign.id, identities)
    posted = await post_update(
        database.unit_of_work(),
        SystemClock(),
        frozenset(),
        CREATOR,
        campaign.id,
        "The first lamps are out of the kiln.",
        UpdateAudience.EVERYONE,
    )
    assert posted.queued == people
    return users


def received(standin: BotApiStandin) -> Counter[int]:
    """How many messages each chat received."""
    return Counter(record.chat_id for record in standin.send_log)


async def delivered(standin: BotApiStandin, count: int, within: float = 30.0) -> None:
    """Return once the stand-in has delivered `count` messages in all."""
    so_far = len(standin.send_log)
    enough = asyncio.Event()

    def count_one(event: ChatEvent) -> None:
        nonlocal so_far
        if event.by_bot and event.kind == "sent":
            so_far += 1
        if so_far >= count:
            enough.set()

    unsubscribe = standin.subscribe(count_one)
    try:
        if so_far < count:
            await asyncio.wait_for(enough.wait(), within)
    finally:
        unsubscribe()


async def statuses(database: Database) -> dict[int, OutboxStatus]:
    """The delivery state of each chat's message."""
    async with database.engine.connect() as connection:
        rows = await connection.execute(select(OutboxRow.recipient_address, OutboxRow.status))
    return {int(address): OutboxStatus(status) for address, status in rows}


async def settled(database: Database, within: float = 60.0) -> None:
    """Return once no message is pending or being sent."""
    undelivered = {OutboxStatus.PENDING, OutboxStatus.SENDING}
    async with asyncio.timeout(within):
        # Another process writes the database, and nothing here hears of it: poll.
        while undelivered & set((await statuses(database)).values()):  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def test_a_dispatcher_killed_halfway_leaves_the_rest_to_the_next_with_few_duplicates(
    database: Database, migrated_database_url: str, telegram_standin: BotApiStandin
) -> None:
    chats = [user.id for user in await update_queued_for(database, telegram_standin, EVERYONE)]
    telegram_standin.enforce_rate_limits(messages_per_second=FAST)
    env = on_standin(
        migrated_database_url,
        telegram_standin,
        BACKIT_TELEGRAM__MESSAGES_PER_SECOND=str(FAST),
        BACKIT_DISPATCHER__LEASE_SECONDS="2",
    )

    async with backit("dispatch", **env) as first:
        await delivered(telegram_standin, KILLED_AFTER)
        first.process.kill()
        killed = await first.finish()
    at_the_kill = await statuses(database)
    unrecorded = {
        chat for chat in received(telegram_standin) if at_the_kill[chat] != OutboxStatus.SENT
    }
    async with backit("dispatch", **env) as second:
        await settled(database)
        second.process.send_signal(signal.SIGTERM)
        stopped = await second.finish()

    assert killed.code == -signal.SIGKILL, killed.err
    assert stopped.code == 0, stopped.err
    assert "INFO bots.process: stopped" in stopped.err
    per_chat = received(telegram_standin)
    twice = {chat for chat, count in per_chat.items() if count == 2}
    print(
        f"killed after {KILLED_AFTER} of {EVERYONE}: {len(unrecorded)} delivered but not "
        f"recorded at the kill, {len(twice)} chats got the update twice (at most "
        f"{MAX_DUPLICATES} allowed)"
    )
    assert set(per_chat) == set(chats)
    assert max(per_chat.values()) == (2 if twice else 1)
    # What the database had not recorded as sent was sent again, and nothing else.
    assert unrecorded <= twice
    assert {chat for chat in twice if at_the_kill[chat] == OutboxStatus.SENT} == set()
    assert len(twice) <= MAX_DUPLICATES
    assert telegram_standin.throttled_count == 0
    assert set((await statuses(database)).values()) == {OutboxStatus.SENT}
    assert "Traceback" not in killed.err + stopped.err
    assert not leaks_the_token(killed, stopped)


async def test_sigterm_records_every_message_sent_and_dispatch_once_delivers_the_rest(
    database: Database, migrated_database_url: str, telegram_standin: BotApiStandin
) -> None:
    chats = [user.id for user in await update_queued_for(database, telegram_standin, 300)]
    telegram_standin.enforce_rate_limits()
    env = on_standin(migrated_database_url, telegram_standin)

    async with backit("dispatch", **env) as dispatching:
        # A second's worth of messages at Telegram's 30 a second.
        await delivered(telegram_standin, 30)
        dispatching.process.send_signal(signal.SIGTERM)
        stopped = await dispatching.finish(within=STOP_TIMEOUT + 10)
    after_the_stop = await statuses(database)
    sent_before = received(telegram_standin)
    telegram_standin.enforce_rate_limits(messages_per_second=FAST)
    once = await backit_run(
        "dispatch", "--once", **env, BACKIT_TELEGRAM__MESSAGES_PER_SECOND=str(FAST)
    )

    assert stopped.code == 0, stopped.err
    assert "INFO bots.process: stopped" in stopped.err
    print(f"stopped with {len(sent_before)} of {len(chats)} delivered")
    # Everything delivered before the stop was recorded sent, and nothing else was.
    sent = {chat for chat, status in after_the_stop.items() if status == OutboxStatus.SENT}
    assert sent == set(sent_before)
    assert set(sent_before.values()) == {1}
    # A dispatcher claims a batch again once half the last is out, so it holds at most one
    # and a half batches: 5 s of sends at 30 a second, well within the stop timeout. Every one
    # finished, so none was left leased, and the rest wait, pending, for the next dispatcher.
    assert len(sent_before) <= BATCH_SIZE * 3 // 2 < len(chats)
    assert set(after_the_stop.values()) == {OutboxStatus.SENT, OutboxStatus.PENDING}
    assert once.code == 0, once.err
    assert received(telegram_standin) == Counter(dict.fromkeys(chats, 1))
    assert set((await statuses(database)).values()) == {OutboxStatus.SENT}
    assert telegram_standin.throttled_count == 0
    assert "Traceback" not in stopped.err + once.err
    assert not leaks_the_token(stopped, once)


async def test_outbox_status_counts_messages_by_state_and_names_the_latest_failures(
    database: Database, migrated_database_url: str, telegram_standin: BotApiStandin
) -> None:
    people = await update_queued_for(database, telegram_standin, 20)
    blocker = people[7]
    telegram_standin.block(blocker)
    telegram_standin.enforce_rate_limits()
    env = on_standin(migrated_database_url, telegram_standin)

    once = await backit_run("dispatch", "--once", **env)
    status = await backit_run("outbox", "status", **env)

    assert once.code == 0, once.err
    assert status.code == 0, status.err
    counts, failures = status.out.split("\n\nLATEST FAILURES\n")
    assert counts.splitlines() == [
        "STATE    MESSAGES",
        "pending  0",
        "sending  0",
        "sent     19",
        "dead     1",
    ]
    header, *rows = failures.splitlines()
    assert header.split() == ["ID", "STATE", "ATTEMPTS", "PLATFORM", "RECIPIENT", "EVENT", "ERROR"]
    assert len(rows) == 1
    assert rows[0].split()[1:6] == ["dead", "1", "telegram", "user", str(blocker.id)]
    assert rows[0].endswith("  Forbidden: bot was blocked by the user")
    assert not leaks_the_token(once, status)


async def test_outbox_status_names_a_message_set_aside_after_an_unexpected_error(
    database: Database, migrated_database_url: str, telegram_standin: BotApiStandin
) -> None:
    [person] = await update_queued_for(database, telegram_standin, 1)
    reason = "unexpected KeyError: 'date' (after 2 attempts)"
    async with database.unit_of_work() as uow:
        [message] = await uow.outbox.pending()
        await uow.outbox.give_up(message.id, reason)
        await uow.commit()

    status = await backit_run(
        "outbox", "status", **on_standin(migrated_database_url, telegram_standin)
    )

    assert status.code == 0, status.err
    [row] = status.out.split("\n\nLATEST FAILURES\n")[1].splitlines()[1:]
    assert row.split()[1:6] == ["dead", "0", "telegram", "user", str(person.id)]
    assert row.endswith(f"  {reason}")


@pytest.mark.parametrize("argv", [["dispatch"], ["dispatch", "--once"]])
async def test_dispatch_without_a_bot_token_stops_with_one_clear_line(argv: list[str]) -> None:
    refused = await backit_run(*argv)

    assert refused.code == 1
    assert refused.out == ""
    assert refused.err == (
        "error: no platform to deliver on: set TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN\n"
    )
