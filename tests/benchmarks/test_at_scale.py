"""Backit's bots on a catalog at scale, beside bare bots, and the memory they take.

`make bench` runs it. The Telegram and Discord benchmarks run twice in one test: on their own
small catalogs, then on 1,000 campaigns with 500,000 pledges (tests/benchmarks/at_scale.py), each
time beside their bare bots. The aims, printed "met" or "NOT met": Backit's rate as a share of
the bare bot's is at scale no more than 20 % below the same share on the small catalog, and
Backit's process never holds more than 300 MB resident. It measures; it asserts only that the
seeded totals agree with the pledges and that every reply arrived and says what it should.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest

from adapters.chat_services import ChatServices
from adapters.storage import Database
from tests.benchmarks import test_discord_throughput as discord
from tests.benchmarks import test_telegram_throughput as telegram
from tests.benchmarks.at_scale import (
    BACKERS,
    CAMPAIGNS,
    PLEDGES_PER_BACKER,
    catalog_agrees,
    migrated_database,
    seed_at_scale,
)
from tests.benchmarks.measurement import Measurement, peak_rss_mb

# At scale, a Backit/bare ratio may fall this far below the small catalog's.
RATIO_LOSS = 0.20
RSS_LIMIT_MB = 300.0
T = TypeVar("T")


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    """Directories for the catalog at scale and for the Discord benchmark's small one."""
    scale, small = tmp_path / "scale", tmp_path / "small"
    scale.mkdir()
    small.mkdir()
    return scale, small


def verdict(met: bool) -> str:
    """How an aim fared."""
    return "met" if met else "NOT met"


def compare(what: str, small: float, scale: float) -> str:
    """A Backit/bare ratio on both catalogs, and whether scale kept it."""
    kept = scale >= small * (1 - RATIO_LOSS)
    return (
        f"  {what:<34} small {small:6.2f}   at scale {scale:6.2f}   "
        f"({scale / small - 1:+.0%}): {verdict(kept)}"
    )


def memory(what: str, before: str, small: float, scale: float) -> str:
    """Peak resident memory before and after the run at scale, and whether it kept the limit."""
    return (
        f"  {what:<34} peak RSS {before} {small:6.1f} MB, at scale {scale:6.1f} MB "
        f"(aim < {RSS_LIMIT_MB:.0f} MB): {verdict(scale < RSS_LIMIT_MB)}"
    )


def ratio(backit: list[Measurement], bare: list[Measurement], scenario: str) -> float:
    """Backit's rate without the rate limiter over the bare bot's, for one scenario."""
    mine = next(m for m in backit if m.name == f"Backit, no rate limiter: {scenario}")
    theirs = next(m for m in bare if m.name.endswith(f": {scenario}"))
    return mine.rate / theirs.rate


async def finished(run: Awaitable[T], what: str) -> T | None:
    """The run's figures, or None (and why) when a reply took longer than the bots' timeouts."""
    try:
        return await run
    except* TimeoutError as timeouts:
        print(f"\n{what}: did not finish, {len(timeouts.exceptions)} replies timed out")
    return None


async def two_pages(services: ChatServices) -> float:
    """Seconds Backit takes to read the first two /discover pages, one after the other."""
    started = time.perf_counter()
    await telegram.backit_pages(services)
    return time.perf_counter() - started


async def test_bots_at_scale_beside_bare_bots(
    backend: str, database: Database, places: tuple[Path, Path]
) -> None:
    """Both benchmarks on their small catalogs, then on the catalog at scale."""
    scale_dir, small_dir = places
    async with migrated_database(backend, scale_dir) as scale_url:
        async with Database.connect(scale_url) as scaled:
            seeded = await seed_at_scale(scaled, datetime.now(UTC))
            print(f"\n\n{seeded.summary(backend)}")
            assert seeded.rows["pledges"] == BACKERS * PLEDGES_PER_BACKER
            assert seeded.rows["campaigns"] == CAMPAIGNS
            await catalog_agrees(scaled)
            start_rss = peak_rss_mb()

            small_services = await telegram.seed_demo_catalog(database)
            scale_services = telegram.chat_services(scaled)
            print(
                f"Two /discover pages read by Backit: demo catalog "
                f"{await two_pages(small_services):.3f} s, "
                f"at scale {await two_pages(scale_services):.3f} s"
            )
            small_tg = await telegram.measure_bots(small_services)
            telegram.report(f"{backend}, demo catalog", *small_tg)
            before_tg = peak_rss_mb()
            scale_tg = await finished(
                telegram.measure_bots(scale_services), f"Telegram at scale on {backend}"
            )
            if scale_tg is not None:
                telegram.report(f"{backend}, at scale", *scale_tg)
            after_tg = peak_rss_mb()
            await catalog_agrees(scaled)

        async with migrated_database(backend, small_dir) as small_url:
            await discord.seed_bench_catalog(small_url)
            small_dc = await discord.measure_bots(small_url, small_dir)
        print(discord.report(f"backit ({backend})", backend, small_dc))
        scale_dc = await finished(
            discord.measure_bots(scale_url, scale_dir), f"Discord at scale on {backend}"
        )
        if scale_dc is not None:
            print(discord.report(f"backit ({backend}, at scale)", backend, scale_dc))

    lines = [f"  (this process after seeding: peak RSS {start_rss:.1f} MB)"]
    if scale_tg is not None:
        lines += [
            compare(
                f"Telegram {scenario}",
                ratio(small_tg[2], small_tg[1], scenario),
                ratio(scale_tg[2], scale_tg[1], scenario),
            )
            for scenario in ("/discover", "paging button")
        ]
    else:
        lines.append("  Telegram ratios: NOT met (did not finish)")
    lines.append(memory("Telegram, Backit in this process", "before", before_tg, after_tg))
    if scale_dc is not None:
        lines += [
            compare(
                "Discord /discover",
                small_dc.backit.slash.rate / small_dc.bare.slash.rate,
                scale_dc.backit.slash.rate / scale_dc.bare.slash.rate,
            ),
            compare(
                "Discord button",
                small_dc.backit.press.rate / small_dc.bare.press.rate,
                scale_dc.backit.press.rate / scale_dc.bare.press.rate,
            ),
            memory("Discord, Backit's own process", "small", small_dc.peak_mb, scale_dc.peak_mb),
        ]
    else:
        lines.append("  Discord ratios and Backit's own process's memory: NOT met (did not finish)")
    print(
        f"\nAims at scale on {backend}: Backit/bare within {RATIO_LOSS:.0%} of the small "
        f"catalog's, and under {RSS_LIMIT_MB:.0f} MB resident\n" + "\n".join(lines)
    )
    assert scale_tg is not None, "every Telegram reply arrives at scale"
    assert scale_dc is not None, "every Discord interaction is answered at scale"
