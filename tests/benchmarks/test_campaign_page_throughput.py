"""A campaign's public page, where share links land, served per second beside bare aiohttp.

`make bench` runs it. When a campaign is shared in a big server or a launch is announced, the
share links bring people to `/c/<slug>` all at once. `backit run` and a bare aiohttp handler
serving the same page as a fixed file each run in a child process; one aiohttp client with a
pool of connections asks both for it over real HTTP, in both languages and from many sharers
(`?ref=`). Backit is measured twice: with nothing else happening, and while pledges are paid at
50 webhooks a second, each of which changes the campaign's figures. It measures; it asserts
only that every answer was the page.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import aiohttp
import pytest

from adapters.storage import Database
from tests.benchmarks.at_scale import migrated_database
from tests.benchmarks.measurement import Measurement
from tests.benchmarks.test_telegram_throughput import seed_demo_catalog
from tests.benchmarks.test_webhook_throughput import (
    SECRETS,
    environment,
    paced,
    pending_pledges,
    serving,
    signed_events,
)
from tests.benchmarks.test_webhook_throughput import prepare as add_pledge_campaign
from tests.bots.conftest import write_config

SLUG = "maree-lampe"
WARM_UP = 300
REQUESTS = 4_000
CONNECTIONS = 16
SHARERS = 50
WEBHOOKS_PER_SECOND = 50


def page_urls(base: str, count: int) -> list[str]:
    """The campaign's page as share links ask for it: each sharer's code, both languages."""
    return [
        f"{base}/c/{SLUG}?ref=s{index % SHARERS}&lang={('en', 'fr')[index % 2]}"
        for index in range(count)
    ]


async def get_page(http: aiohttp.ClientSession, url: str) -> float:
    """GET one page; the seconds until it was read, which must be the campaign's page."""
    started = time.perf_counter()
    async with http.get(url) as response:
        body = await response.read()
        assert response.status == 200, response.status
        assert b"<html" in body, body[:200]
    return time.perf_counter() - started


async def burst(http: aiohttp.ClientSession, urls: Sequence[str]) -> Measurement:
    """As fast as pages come back, one request at a time on each pooled connection."""
    queue = iter(urls)
    latencies: list[float] = []

    async def reader() -> None:
        for url in queue:
            latencies.append(await get_page(http, url))

    started = time.perf_counter()
    async with asyncio.TaskGroup() as readers:
        for _ in range(CONNECTIONS):
            readers.create_task(reader())
    return Measurement(time.perf_counter() - started, latencies)


@pytest.fixture
async def page_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated database of the backend with the demo catalog and a campaign to pay into."""
    async with migrated_database(backend, tmp_path) as url:
        await add_pledge_campaign(url)
        async with Database.connect(url) as database:
            await seed_demo_catalog(database)
        yield url


def _row(label: str, run: Measurement) -> str:
    return (
        f"  {label:<36}{run.rate:>8,.0f}/s   p50 {run.percentile_ms(50):6.1f} ms"
        f"   p99 {run.percentile_ms(99):6.1f} ms"
    )


async def test_campaign_page_throughput(backend: str, page_database: str, tmp_path: Path) -> None:
    # Pledges to pay for longer than the measured burst lasts, at Backit's slowest.
    paying_seconds = REQUESTS // 500 + 10
    pledge_ids = await pending_pledges(page_database, WEBHOOKS_PER_SECOND * paying_seconds)
    config = write_config(
        tmp_path, **{"port = 8080": "port = 0", 'api_base = ""': 'api_base = "http://127.0.0.1:9"'}
    )
    secrets = {**SECRETS, "DATABASE_URL": page_database} if backend != "sqlite" else SECRETS
    connector = aiohttp.TCPConnector(limit=CONNECTIONS + WEBHOOKS_PER_SECOND)
    page_file = tmp_path / "page.html"

    async with aiohttp.ClientSession(connector=connector) as http:
        backit_argv = ["-m", "bots", "--config", str(config), "run"]
        async with serving(backit_argv, environment(**secrets), tmp_path / "backit.log") as server:
            base = f"http://127.0.0.1:{server.port}"
            async with http.get(page_urls(base, 1)[0]) as response:
                page_file.write_bytes(await response.read())
            await burst(http, page_urls(base, WARM_UP))
            quiet = await burst(http, page_urls(base, REQUESTS))
            paying = asyncio.create_task(
                paced(
                    http,
                    f"{base}/stripe/webhook",
                    signed_events(pledge_ids),
                    rate=WEBHOOKS_PER_SECOND,
                )
            )
            while_paid = await burst(http, page_urls(base, REQUESTS))
            paying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await paying
        bare_argv = ["-m", "tests.benchmarks.bare_server", str(page_file)]
        async with serving(bare_argv, environment(), tmp_path / "bare.log") as server:
            base = f"http://127.0.0.1:{server.port}"
            await burst(http, page_urls(base, WARM_UP))
            bare = await burst(http, page_urls(base, REQUESTS))

    print(
        f"\n\nA campaign's page ({page_file.stat().st_size:,} bytes), {backend}: {REQUESTS:,} "
        f"requests as fast as answered over {CONNECTIONS} pooled connections\n"
        f"{_row('bare aiohttp, the same page', bare)}\n"
        f"{_row(f'backit ({backend})', quiet)}\n"
        f"{_row(f'backit, {WEBHOOKS_PER_SECOND} payments/s meanwhile', while_paid)}\n"
        f"  backit / bare: {quiet.rate / bare.rate:.0%} quiet, "
        f"{while_paid.rate / bare.rate:.0%} while pledges are paid\n"
        f"({os.cpu_count()} CPUs; client, servers and database share them)"
    )
