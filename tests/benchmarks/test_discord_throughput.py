"""Discord interactions handled per second end to end, beside a bare discord.py bot.

`make bench` runs it. The Discord stand-in runs here, with members who use the bot as fast as it
answers, then at a steady pace; `backit run` (with DISCORD_BOT_TOKEN), then a bare discord.py
bot answering every interaction with Backit's own listing, then the same bot answering with a
fixed message, each connect to it from a child process, one after the other. The button is a
listing's "New", which sorts the list anew and stays on the message however often it is
pressed. Latencies are the stand-in's own: from dispatching an interaction to the bot's
callback. It measures; it asserts only that every one was answered.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.standins.discord import DiscordStandin, Interaction, Member, Message
from adapters.storage import Database
from bots.catalog import parse_catalog
from bots.clock import SystemClock
from bots.seeding import seed_catalog
from core.usecases.pledging import PledgeLimits
from tests.benchmarks.at_scale import migrated_database
from tests.benchmarks.measurement import Measurement, collector_settled, peak_rss_mb
from tests.bots.conftest import ROOT, write_config

WARM_UP = 100
BURST = 1_000
MEMBERS = 16
PACED_RATE = 50
PACED_SECONDS = 4
CAMPAIGNS = 12
TOKEN = "MTA1NzY.benchmark.bot-token"
Act = Callable[[Member], Awaitable[Interaction]]
# What the listing sender sends of Backit's listing.
RECORDED = ("content", "embeds", "components")


def _catalog(count: int) -> str:
    """`count` live campaigns: by default, enough for two pages of /discover."""
    return "\n".join(
        f"""
[[campaigns]]
slug = "bench-{number}"
title = "Benchmark {number}"
blurb = "Interactions per second."
creator = "Backit"
category = "technology"
currency = "EUR"
goal = "5000"
funding = "flexible"
starts = "-{number % 30 + 1}d"
ends = "+30d"

[[campaigns.tiers]]
title = "Thanks"
amount = "10"
"""
        for number in range(count)
    )


async def burst(members: Sequence[Member], count: int, act: Act) -> Measurement:
    """`count` interactions, each member using the bot again as soon as it has answered."""
    left = iter(range(count))
    answered: list[Interaction] = []

    async def member_acts(member: Member) -> None:
        for _ in left:
            interaction = await act(member)
            await interaction.response(within=10)
            answered.append(interaction)

    with collector_settled():
        started = time.perf_counter()
        async with asyncio.TaskGroup() as acting:
            for member in members:
                acting.create_task(member_acts(member))
        seconds = time.perf_counter() - started
    latencies = [i.acknowledged_after for i in answered if i.acknowledged_after is not None]
    assert len(latencies) == count, "every interaction is answered"
    return Measurement(seconds, latencies)


async def paced(members: Sequence[Member], act: Act, seconds: int = PACED_SECONDS) -> Measurement:
    """At PACED_RATE interactions per second whatever the answers, as a busy server would."""
    loop = asyncio.get_running_loop()
    count = PACED_RATE * seconds
    with collector_settled():
        started = loop.time()
        async with asyncio.TaskGroup() as waiting:
            sent = []
            for index in range(count):
                await asyncio.sleep(max(0.0, started + index / PACED_RATE - loop.time()))
                interaction = await act(members[index % len(members)])
                sent.append(interaction)
                waiting.create_task(interaction.response(within=10))
    latencies = [i.acknowledged_after for i in sent if i.acknowledged_after is not None]
    assert len(latencies) == count, "every interaction is answered"
    return Measurement(loop.time() - started, latencies)


@dataclass(frozen=True)
class Run:
    """One bot's figures: /discover and a button as fast as it answers, /discover paced."""

    slash: Measurement
    press: Measurement
    steady: Measurement


async def measure(members: Sequence[Member], listing: Message) -> Run:
    """/discover, then a listing's "New" button (a list sorted anew), each after a warm-up."""
    newest = _custom_id(listing, "New")

    async def discover(member: Member) -> Interaction:
        return await member.slash("discover")

    async def resort(member: Member) -> Interaction:
        return await member.press(listing, newest)

    await burst(members, WARM_UP, discover)
    slash = await burst(members, BURST, discover)
    await burst(members, WARM_UP, resort)
    press = await burst(members, BURST, resort)
    return Run(slash, press, await paced(members, discover))


def _custom_id(message: Message, label: str) -> str:
    found = [
        c["custom_id"] for c in message.interactive() if c.get("label") in (label, f"• {label}")
    ]
    assert found, f"no {label!r} button"
    return str(found[0])


@asynccontextmanager
async def _running(
    argv: Sequence[str], env: dict[str, str], log: Path, ready: bytes
) -> AsyncIterator[asyncio.subprocess.Process]:
    """A bot in a child process, until its log says it is ready; SIGTERM must end it with 0."""
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable, *argv, cwd=ROOT, env=env, stdout=output, stderr=output
        )
        try:
            async with asyncio.timeout(30):
                while ready not in await asyncio.to_thread(log.read_bytes):
                    assert process.returncode is None, f"the bot did not start; see {log}"
                    await asyncio.sleep(0.05)
            yield process
            process.send_signal(signal.SIGTERM)
            async with asyncio.timeout(30):
                assert await process.wait() == 0, f"the bot did not stop cleanly; see {log}"
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


def _environment(**extra: str) -> dict[str, str]:
    """A clean environment with the bot's token: nothing from the developer's shell counts."""
    return {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(ROOT),
        "DISCORD_BOT_TOKEN": TOKEN,
        **extra,
    }


@pytest.fixture
async def bench_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated database of the backend, holding the benchmark's campaigns."""
    async with migrated_database(backend, tmp_path) as url:
        await seed_bench_catalog(url)
        yield url


async def seed_bench_catalog(url: str, campaigns: int = CAMPAIGNS) -> None:
    """The benchmark's campaigns, in a migrated database."""
    entries = parse_catalog(_catalog(campaigns), "bench.toml", datetime.now(UTC), PledgeLimits())
    async with Database.connect(url) as db:
        await seed_catalog(db.unit_of_work, SystemClock(), PledgeLimits(), entries)


def _row(label: str, run: Measurement) -> str:
    return (
        f"  {label:<30}{run.rate:>8,.0f}/s   p50 {run.percentile_ms(50):6.1f} ms"
        f"   p99 {run.percentile_ms(99):6.1f} ms"
    )


async def test_discord_throughput(backend: str, bench_database: str, tmp_path: Path) -> None:
    print(report(f"backit ({backend})", backend, await measure_bots(bench_database, tmp_path)))


@dataclass(frozen=True)
class Bots:
    """The three bots' figures, and Backit's process's peak RSS."""

    bare: Run
    echo: Run
    backit: Run
    peak_mb: float


async def measure_bots(database_url: str, directory: Path) -> Bots:
    """Backit on the database, then the bare bot answering with Backit's own listing, then the
    bare bot with its fixed message."""
    standin = DiscordStandin(token=TOKEN)
    await standin.start()
    try:
        guild = standin.guild("Bench", channels=[f"room-{n}" for n in range(MEMBERS)])
        rooms = list(guild.channels.values())
        members = [standin.member(guild, standin.user(f"member-{n}")) for n in range(MEMBERS)]
        for member, room in zip(members, rooms, strict=True):
            member.channel = room
        place = {
            "BACKIT_DISCORD__API_BASE": standin.api_base,
            "BACKIT_DISCORD__GATEWAY_URL": standin.gateway_url,
        }
        backit_env = _environment(**place, DATABASE_URL=database_url)
        argv = ["-m", "bots", "--config", str(write_config(directory)), "run"]
        log = directory / "backit.log"
        async with _running(argv, backit_env, log, b"running: discord bot") as process:
            listing = await first_listing(standin, members[0])
            backit = await measure(members, listing)
            peak = peak_rss_mb(process.pid)
        recorded = directory / "listing.json"
        recorded.write_text(json.dumps({k: listing.payload[k] for k in RECORDED}))
        bare_env = _environment(
            DISCORD_API_BASE=standin.api_base, DISCORD_GATEWAY_URL=standin.gateway_url
        )
        bare_argv = ["-m", "tests.benchmarks.bare_discord_bot"]
        echo_env = {**bare_env, "DISCORD_REPLY": str(recorded)}
        async with _running(bare_argv, echo_env, directory / "echo.log", b"ready"):
            echo = await measure(members, listing)
        async with _running(bare_argv, bare_env, directory / "bare.log", b"ready"):
            bare = await measure(members, listing)
    finally:
        await standin.stop()
    return Bots(bare, echo, backit, peak)


async def first_listing(standin: DiscordStandin, member: Member) -> Message:
    """The member's /discover list once it shows its buttons: a slow answer is deferred first."""
    edits = standin.stream(member.channel)
    try:
        answer = await member.slash("discover")
        await answer.response(within=30)
        while answer.original is None or not answer.original.interactive():
            await edits.next("message_edited", within=30)
    finally:
        edits.close()
    return answer.original


def report(label: str, backend: str, bots: Bots) -> str:
    """Every figure of the three bots, Backit's rates also as a share of the other two's."""
    bare, echo, backit = bots.bare, bots.echo, bots.backit
    return (
        f"\n\nDiscord interactions, {backend}: {BURST:,} of each kind, {MEMBERS} members each "
        "using the bot again as soon as it answers\n"
        f"{_row('bare bot, /discover', bare.slash)}\n"
        f"{_row('bare bot sending the listing', echo.slash)}\n"
        f"{_row(f'{label}, /discover', backit.slash)}\n"
        f"  backit / bare: {backit.slash.rate / bare.slash.rate:.0%}"
        f"   backit / listing sender: {backit.slash.rate / echo.slash.rate:.0%}\n"
        f"{_row('bare bot, button', bare.press)}\n"
        f"{_row('bare bot sending the listing', echo.press)}\n"
        f"{_row(f'{label}, button', backit.press)}\n"
        f"  backit / bare: {backit.press.rate / bare.press.rate:.0%}"
        f"   backit / listing sender: {backit.press.rate / echo.press.rate:.0%}\n"
        f"/discover paced at {PACED_RATE}/s for {PACED_SECONDS} s\n"
        f"{_row('bare bot', bare.steady)}\n"
        f"{_row('bare bot sending the listing', echo.steady)}\n"
        f"{_row(label, backit.steady)}\n"
        f"({os.cpu_count()} CPUs; the stand-in, its members, the bots and the database share "
        "them; latencies run from dispatch to the bot's callback, as the stand-in saw them. The "
        "listing sender is the bare bot answering with Backit's own listing, built anew each "
        "time: the stand-in's and discord.py's share of a reply that size)"
    )
