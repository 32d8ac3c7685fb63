"""A creator update fanned out to 100,000 followers on Telegram, end to end, beside a bare loop.

`make bench` runs it. Each run has three processes: this one sets the database up; the Bot API
stand-in serves from its own (tests/benchmarks/fanout_standin.py), so that Telegram's side
counts in neither Backit's CPU nor its memory; and the sending side runs in a third
(tests/benchmarks/fanout_dispatcher.py), whose peak resident memory (VmHWM: interpreter,
libraries and database driver included) is the pipeline's.

With the stand-in's limits lifted and the sender's overall limit raised to 1,000,000/s (each
person still gets one message, so the 1/s per chat never binds), the update goes out on SQLite
and on PostgreSQL: queued by `post_update` (one INSERT ... SELECT, timed), with its delivery
reported to the creator as /update on Telegram asks; then Backit's Dispatcher, started as
`backit run` starts it, with the shipped batch size and connections, sends until every message
is sent and recorded. The yardstick, measured once, sends the same notice to as many chats
through the same sender with as many sends under way, and does nothing else. Then, on SQLite,
with Telegram's limits on both sides (30/s per bot, 1/s per chat), 600 people: the achieved
rate by the stand-in's own clock, n messages spanning n - 1 intervals from first to last.

It measures; it asserts only that every person got the update exactly once, that every row
is recorded as sent, and that Telegram never refused a message with 429.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import pytest

from adapters.storage import Database, upgrade
from bots.clock import SystemClock
from core.identity import Identity, Platform
from core.outbox import OutboxStatus
from core.updates import UpdateAudience
from core.usecases.updating import post_update
from tests.adapters.storage.builders import CREATOR, a_campaign, committed
from tests.benchmarks.fanout_dispatcher import TOKEN, UPDATE_TEXT
from tests.bots.conftest import ROOT
from tests.delivery.audiences import add_followers
from tests.storage_fixtures import POSTGRES_URL_ENV, blank_postgres_database

PEOPLE = 100_000
PACED_PEOPLE = 600
FIRST_ID = 10_000_000
LIFTED_PER_SECOND = 1_000_000
TELEGRAM_PER_SECOND = 30
PROCESS_WITHIN = 1_200.0


@dataclass(frozen=True)
class Sending:
    """What the sending process measured of itself."""

    messages: int
    seconds: float
    cpu_seconds: float
    rss_before_kb: int
    peak_rss_kb: int

    @property
    def rate(self) -> float:
        """Messages sent per second."""
        return self.messages / self.seconds

    def row(self, label: str) -> str:
        """One line of the summary."""
        return (
            f"  {label:<26}{self.rate:>8,.0f} msg/s {self.seconds:>7.1f} s"
            f"   CPU {self.cpu_seconds / self.seconds:>4.0%} of a core"
            f"   peak RSS {self.peak_rss_kb / 1024:>5.0f} MB"
            f" ({self.rss_before_kb / 1024:.0f} MB before sending)"
        )


@dataclass(frozen=True)
class Received:
    """What the stand-in received, by its own clock."""

    chats_by_count: dict[str, int]
    creator_messages: int
    messages: int
    first: float
    last: float
    throttled: int
    cpu_seconds: float

    @property
    def rate(self) -> float:
        """Messages per second from the first to the last: n messages, n - 1 intervals."""
        return (self.messages - 1) / (self.last - self.first)


async def fan_out(
    log: Path, people: int, sending: Sequence[str], *, creator: bool, enforce: bool
) -> tuple[Sending, Received]:
    """The stand-in in one child process, the sending side (`sending`: its arguments after
    the stand-in's base URL) in another, until the sender is done; what each measured."""
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "PTB_TIMEDELTA": "1"}
    standin_argv = [TOKEN, str(FIRST_ID), str(people), *([CREATOR.user_id] if creator else [])]
    standin_argv += ["--enforce"] if enforce else []
    children: list[asyncio.subprocess.Process] = []
    with (log / "standin.log").open("wb") as standin_log, (log / "sender.log").open("wb") as errors:
        try:
            async with asyncio.timeout(PROCESS_WITHIN):
                standin = await _child(
                    children,
                    ["tests.benchmarks.fanout_standin", *standin_argv],
                    env=env,
                    stdin=asyncio.subprocess.PIPE,
                    stderr=standin_log,
                )
                assert standin.stdin is not None
                assert standin.stdout is not None
                base_url = (await standin.stdout.readline()).decode().strip()
                assert base_url.startswith("http://"), f"no stand-in; see {standin_log.name}"
                sender = await _child(
                    children,
                    [
                        "tests.benchmarks.fanout_dispatcher",
                        sending[0],
                        base_url,
                        str(people),
                        *sending[1:],
                    ],
                    env=env,
                    stderr=errors,
                )
                output, _ = await sender.communicate()
                assert sender.returncode == 0, f"the sender failed; see {errors.name}"
                standin.stdin.close()
                report = await standin.stdout.read()
                assert await standin.wait() == 0, f"the stand-in failed; see {standin_log.name}"
        finally:
            for child in children:
                if child.returncode is None:
                    child.kill()
                    await child.wait()
    return Sending(**json.loads(output)), Received(**json.loads(report))


async def _child(
    children: list[asyncio.subprocess.Process],
    argv: Sequence[str],
    *,
    env: dict[str, str],
    stderr: IO[bytes],
    stdin: int | None = None,
) -> asyncio.subprocess.Process:
    """`python -m` a module of the project (`argv`), its output piped, added to `children`."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        *argv,
        cwd=ROOT,
        env=env,
        stdin=stdin,
        stdout=asyncio.subprocess.PIPE,
        stderr=stderr,
    )
    children.append(child)
    return child


@pytest.fixture
async def bench_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated database of the backend, with the campaign whose update fans out."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}"
        await prepare(url)
        yield url
    else:
        async with blank_postgres_database(os.environ[POSTGRES_URL_ENV]) as url:
            await prepare(url)
            yield url


async def prepare(url: str) -> None:
    """Migrate the database and add the campaign whose update fans out."""
    await upgrade(url)
    ends = datetime.now(UTC) + timedelta(days=28)
    async with Database.connect(url) as database:
        await committed(
            database,
            lambda uow: uow.campaigns.add(
                a_campaign(ends_at=ends, starts_at=ends - timedelta(days=30))
            ),
        )


async def queue_update(url: str, people: int) -> float:
    """`people` followers of the campaign, then its creator's update to them; seconds queuing."""
    async with Database.connect(url) as database:
        identities = [Identity(Platform.TELEGRAM, str(FIRST_ID + n)) for n in range(people)]
        async with database.unit_of_work() as uow:
            campaign = await uow.campaigns.by_slug("lamp")
        assert campaign is not None
        await add_followers(database, campaign.id, identities)
        started = time.perf_counter()
        posted = await post_update(
            database.unit_of_work(),
            SystemClock(),
            frozenset(),
            CREATOR,
            campaign.id,
            UPDATE_TEXT,
            UpdateAudience.EVERYONE,
            report_chat=CREATOR.user_id,
        )
        seconds = time.perf_counter() - started
    assert posted.queued == people
    return seconds


async def all_sent(url: str, people: int) -> None:
    """Every outbox row is recorded as sent."""
    async with Database.connect(url) as database, database.unit_of_work() as uow:
        counts = await uow.outbox.status_counts()
    assert counts == dict.fromkeys(OutboxStatus, 0) | {OutboxStatus.SENT: people}


def delivered_once(received: Received, people: int) -> None:
    """Every person's chat holds the update once; the creator's, the one report edited in place;
    Telegram refused nothing."""
    assert received.chats_by_count == {"1": people}
    assert received.creator_messages == 1
    assert received.throttled == 0


@pytest.fixture(scope="module")
def bare_loop(tmp_path_factory: pytest.TempPathFactory) -> Sending:
    """The yardstick, measured once for every database: the same sends, nothing else."""
    log = tmp_path_factory.mktemp("bare")
    sending = ["bare", str(FIRST_ID), "--overall", str(LIFTED_PER_SECOND)]
    bare, received = asyncio.run(fan_out(log, PEOPLE, sending, creator=False, enforce=False))
    assert received.chats_by_count == {"1": PEOPLE}
    return bare


async def test_fanout_with_limits_lifted(
    backend: str, bench_database: str, bare_loop: Sending, tmp_path: Path
) -> None:
    queuing = await queue_update(bench_database, PEOPLE)
    sending = ["backit", bench_database, "--overall", str(LIFTED_PER_SECOND)]
    backit, received = await fan_out(tmp_path, PEOPLE, sending, creator=True, enforce=False)
    print(
        f"\n\nFan-out of {PEOPLE:,} recipients on Telegram, {backend}, limits lifted "
        f"(stand-in unenforced, sender overall {LIFTED_PER_SECOND:,}/s, 1/s per chat)\n"
        f"  queuing the update (post_update): {PEOPLE:,} rows in {queuing:.2f} s\n"
        f"{bare_loop.row('bare sender loop')}\n"
        f"{backit.row(f'backit ({backend})')}\n"
        f"  backit / bare: {backit.rate / bare_loop.rate:.0%}\n"
        f"  the stand-in used {received.cpu_seconds:.0f} CPU s, {received.throttled} "
        "refused with 429\n"
        f"({os.cpu_count()} CPUs; the stand-in, the sender and the database share them)"
    )
    delivered_once(received, PEOPLE)
    await all_sent(bench_database, PEOPLE)


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_fanout_within_telegram_limits(
    backend: str, bench_database: str, tmp_path: Path
) -> None:
    await queue_update(bench_database, PACED_PEOPLE)
    _, received = await fan_out(
        tmp_path, PACED_PEOPLE, ["backit", bench_database], creator=True, enforce=True
    )
    print(
        f"\n\nFan-out of {PACED_PEOPLE:,} recipients on Telegram, {backend}, within its limits "
        f"(both sides: {TELEGRAM_PER_SECOND}/s per bot, 1/s per chat)\n"
        f"  achieved {received.rate:.2f} msg/s over {received.last - received.first:.1f} s "
        f"by the stand-in's clock: {received.rate / TELEGRAM_PER_SECOND:.1%} of "
        f"{TELEGRAM_PER_SECOND}/s, {received.messages:,} messages, "
        f"{received.throttled} refused with 429"
    )
    delivered_once(received, PACED_PEOPLE)
    await all_sent(bench_database, PACED_PEOPLE)
