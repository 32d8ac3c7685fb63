"""Discord's answer times while card pictures are drawn at a thousand a minute, beside the same
bot with nothing drawn.

`make bench` runs it. One `backit run` serves Discord (the stand-in runs here) and the web
server. Members use /discover at a steady pace; first with nothing else happening, then while
an aiohttp client asks for the card pictures of campaigns no one asked for before, one every
60 ms, so that each is drawn. Drawing runs in worker threads: what this shows is how much the
bots feel it. It measures; it asserts only that every interaction was answered and every
picture was a PNG.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from adapters.standins.discord import DiscordStandin, Interaction, Member
from tests.benchmarks.at_scale import migrated_database
from tests.benchmarks.measurement import Measurement
from tests.benchmarks.test_discord_throughput import (
    MEMBERS,
    PACED_RATE,
    TOKEN,
    first_listing,
    paced,
    seed_bench_catalog,
)
from tests.benchmarks.test_webhook_throughput import SECRETS, environment, serving
from tests.bots.conftest import write_config

# The aim: a thousand cards a minute without the interactive bots slowing.
CARDS_PER_MINUTE = 1_000
SECONDS = 15
# Every picture asked for is a campaign's first: none comes from the cache.
CAMPAIGNS = CARDS_PER_MINUTE * SECONDS // 60 + 20


@pytest.fixture
async def drawing_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated database of the backend with a campaign for every picture drawn."""
    async with migrated_database(backend, tmp_path) as url:
        await seed_bench_catalog(url, CAMPAIGNS)
        yield url


async def draw_cards(http: aiohttp.ClientSession, base: str, times: list[float]) -> None:
    """Each campaign's card picture in turn, at CARDS_PER_MINUTE, until cancelled."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with asyncio.TaskGroup() as fetching:
        for number in range(CAMPAIGNS):
            await asyncio.sleep(max(0.0, started + number * 60 / CARDS_PER_MINUTE - loop.time()))
            fetching.create_task(card(http, f"{base}/c/bench-{number}/card.png?lang=en", times))


async def card(http: aiohttp.ClientSession, url: str, times: list[float]) -> None:
    """GET one picture, which must be a PNG; its time is added to `times`."""
    started = time.perf_counter()
    async with http.get(url) as response:
        body = await response.read()
        assert response.status == 200, response.status
        assert body.startswith(b"\x89PNG"), body[:100]
    times.append(time.perf_counter() - started)


async def test_replies_while_drawing(backend: str, drawing_database: str, tmp_path: Path) -> None:
    standin = DiscordStandin(token=TOKEN)
    await standin.start()
    try:
        guild = standin.guild("Bench", channels=[f"room-{n}" for n in range(MEMBERS)])
        members = [standin.member(guild, standin.user(f"member-{n}")) for n in range(MEMBERS)]
        for member, room in zip(members, guild.channels.values(), strict=True):
            member.channel = room
        config = write_config(
            tmp_path,
            **{"port = 8080": "port = 0", 'api_base = ""': 'api_base = "http://127.0.0.1:9"'},
        )
        env = environment(
            **SECRETS,
            DATABASE_URL=drawing_database,
            DISCORD_BOT_TOKEN=TOKEN,
            BACKIT_DISCORD__API_BASE=standin.api_base,
            BACKIT_DISCORD__GATEWAY_URL=standin.gateway_url,
        )
        argv = ["-m", "bots", "--config", str(config), "run"]
        async with (
            serving(argv, env, tmp_path / "backit.log") as server,
            aiohttp.ClientSession() as http,
        ):
            await first_listing(standin, members[0])

            async def discover(member: Member) -> Interaction:
                return await member.slash("discover")

            await paced(members, discover, 2)
            quiet = await paced(members, discover, SECONDS)
            drawn: list[float] = []
            drawing = asyncio.create_task(
                draw_cards(http, f"http://127.0.0.1:{server.port}", drawn)
            )
            busy = await paced(members, discover, SECONDS)
            drawing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await drawing
    finally:
        await standin.stop()
    pictures = Measurement(SECONDS, drawn)
    print(report(backend, quiet, busy, pictures))


def report(backend: str, quiet: Measurement, busy: Measurement, pictures: Measurement) -> str:
    """The bot's answer times with and without drawing, and the pictures' own."""
    return (
        f"\n\nDiscord /discover at {PACED_RATE}/s for {SECONDS} s, {backend}, one `backit run`\n"
        f"  nothing drawn:          p50 {quiet.percentile_ms(50):6.1f} ms"
        f"   p99 {quiet.percentile_ms(99):6.1f} ms\n"
        f"  {CARDS_PER_MINUTE:,} cards a minute:  p50 {busy.percentile_ms(50):6.1f} ms"
        f"   p99 {busy.percentile_ms(99):6.1f} ms"
        f"   (p99 {busy.percentile_ms(99) / quiet.percentile_ms(99):.2f}× the quiet one)\n"
        f"  pictures: {len(pictures.latencies)} drawn, each answered in"
        f" p50 {pictures.percentile_ms(50):.1f} ms, p99 {pictures.percentile_ms(99):.1f} ms\n"
        f"({os.cpu_count()} CPUs shared by the stand-in, its members, Backit and the database)"
    )
