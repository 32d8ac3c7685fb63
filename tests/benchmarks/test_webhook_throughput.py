"""Signed Stripe webhooks applied per second end to end, beside a bare aiohttp handler.

`make bench` runs it. `backit run` and a bare aiohttp handler each serve from a child process
on this machine; one aiohttp client with a pool of connections sends both the same load over
real HTTP. Backit verifies each signature, applies the event in a transaction (shared with the
events that arrived meanwhile, each in its own savepoint) and commits before it answers. It
measures; it asserts only that every pledge was paid exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from adapters.standins.stripe.webhooks import signature_header
from adapters.storage import Database, upgrade
from bots.catalog import parse_catalog
from bots.clock import SystemClock
from bots.seeding import seed_catalog
from core.backers import Backer
from core.identity import Identity, Platform
from core.money import Money
from core.pledges import Pledge, PledgeStatus
from core.usecases.pledging import PledgeLimits
from tests.benchmarks.measurement import Measurement
from tests.bots.conftest import ROOT, write_config
from tests.storage_fixtures import POSTGRES_URL_ENV, blank_postgres_database

WARM_UP = 200
BURST = 2_000
PACED_RATE = 200
PACED_SECONDS = 5
CONNECTIONS = 16
PLEDGE_AMOUNT = 500
WEBHOOK_SECRET = "whsec_benchmark"
SECRETS = {
    "STRIPE_SECRET_KEY": "sk_test_benchmark",
    "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "BACKIT_LINK_SECRET": "benchmark link secret, at least 32 bytes",
}
# The goal is out of reach, so no milestone fans out to every backer: this measures the
# steady state of one pledge changing per event.
CATALOG = """
[[campaigns]]
slug = "bench"
title = "Benchmark"
blurb = "Webhooks per second."
creator = "Backit"
category = "technology"
currency = "EUR"
goal = "5000000"
funding = "flexible"
starts = "-1d"
ends = "+30d"
"""
LISTENING = re.compile(rb"web server listening on http://127\.0\.0\.1:(\d+)")


@dataclass(frozen=True)
class Delivery:
    """One signed event, ready to POST."""

    body: bytes
    signature: str


def signed_events(pledge_ids: Sequence[int]) -> list[Delivery]:
    """Signed `async_payment_succeeded` events, one per pledge; Backit asks Stripe nothing."""
    now = int(time.time())
    deliveries = []
    for pledge_id in pledge_ids:
        body = json.dumps(
            {
                "id": f"evt_bench_{pledge_id}",
                "object": "event",
                "type": "checkout.session.async_payment_succeeded",
                "created": now,
                "data": {
                    "object": {
                        "id": f"cs_bench_{pledge_id}",
                        "object": "checkout.session",
                        "mode": "payment",
                        "amount_total": PLEDGE_AMOUNT,
                        "currency": "eur",
                        "metadata": {"pledge_id": str(pledge_id)},
                    }
                },
            }
        )
        deliveries.append(Delivery(body.encode(), signature_header(body, WEBHOOK_SECRET, now)))
    return deliveries


async def post_event(http: aiohttp.ClientSession, url: str, delivery: Delivery) -> float:
    """POST one event; the seconds until it was acknowledged, which must be with a 200."""
    started = time.perf_counter()
    async with http.post(
        url,
        data=delivery.body,
        headers={"Stripe-Signature": delivery.signature, "Content-Type": "application/json"},
    ) as response:
        await response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - started


async def burst(
    http: aiohttp.ClientSession, url: str, deliveries: Sequence[Delivery]
) -> Measurement:
    """As fast as the server acknowledges, one request at a time on each pooled connection."""
    queue = iter(deliveries)
    latencies: list[float] = []

    async def sender() -> None:
        for delivery in queue:
            latencies.append(await post_event(http, url, delivery))

    started = time.perf_counter()
    async with asyncio.TaskGroup() as senders:
        for _ in range(CONNECTIONS):
            senders.create_task(sender())
    return Measurement(time.perf_counter() - started, latencies)


async def paced(
    http: aiohttp.ClientSession, url: str, deliveries: Sequence[Delivery], rate: int = PACED_RATE
) -> Measurement:
    """At `rate` events per second whatever the answers, as Stripe delivers."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with asyncio.TaskGroup() as requests:
        sent = []
        for index, delivery in enumerate(deliveries):
            await asyncio.sleep(max(0.0, started + index / rate - loop.time()))
            sent.append(requests.create_task(post_event(http, url, delivery)))
    return Measurement(loop.time() - started, [task.result() for task in sent])


@dataclass(frozen=True)
class Served:
    """A server running in a child process: where it listens, and its process id."""

    port: int
    pid: int


@asynccontextmanager
async def serving(argv: Sequence[str], env: dict[str, str], log: Path) -> AsyncIterator[Served]:
    """A server in a child process, its port found on its output; SIGTERM must end it with 0."""
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable, *argv, cwd=ROOT, env=env, stdout=output, stderr=output
        )
        try:
            async with asyncio.timeout(30):
                while not (port := _port(await asyncio.to_thread(log.read_bytes))):
                    assert process.returncode is None, f"the server did not start; see {log}"
                    await asyncio.sleep(0.05)
            yield Served(port, process.pid)
            process.send_signal(signal.SIGTERM)
            async with asyncio.timeout(30):
                assert await process.wait() == 0, f"the server did not stop cleanly; see {log}"
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


def _port(output: bytes) -> int | None:
    if (found := LISTENING.search(output)) and b"running: " in output:
        return int(found.group(1))
    if re.fullmatch(rb"\d+\n", output):
        return int(output)
    return None


def environment(**extra: str) -> dict[str, str]:
    """A clean environment: nothing from the developer's shell changes what is measured."""
    return {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), **extra}


@pytest.fixture
async def bench_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated database of the backend, holding the benchmark's campaign."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}"
        await prepare(url)
        yield url
    else:
        async with blank_postgres_database(os.environ[POSTGRES_URL_ENV]) as url:
            await prepare(url)
            yield url


async def prepare(url: str) -> None:
    """Migrate the database and seed the benchmark's campaign."""
    await upgrade(url)
    entries = parse_catalog(CATALOG, "bench.toml", datetime.now(UTC), PledgeLimits())
    async with Database.connect(url) as db:
        await seed_catalog(db.unit_of_work, SystemClock(), PledgeLimits(), entries)


async def pending_pledges(url: str, count: int) -> list[int]:
    """`count` pending pledges of as many backers, written in one transaction."""
    now = datetime.now(UTC)
    ids = []
    async with Database.connect(url) as db, db.unit_of_work() as uow:
        campaign = await uow.campaigns.by_slug("bench")
        assert campaign is not None
        for number in range(count):
            backer = await uow.backers.add(
                Backer(
                    0,
                    Identity(Platform.TELEGRAM, str(10_000 + number)),
                    "Bench",
                    "en",
                    f"b{number}",
                )
            )
            pledge = await uow.pledges.add(
                Pledge(
                    0,
                    backer.id,
                    campaign.id,
                    None,
                    Money(PLEDGE_AMOUNT, "EUR"),
                    PledgeStatus.PENDING,
                    now,
                    now,
                )
            )
            assert pledge is not None
            ids.append(pledge.id)
        await uow.commit()
    return ids


async def paid_exactly_once(url: str, count: int) -> None:
    async with Database.connect(url) as db, db.unit_of_work() as uow:
        campaign = await uow.campaigns.by_slug("bench")
        assert campaign is not None
        paid = await uow.pledges.of_campaign(campaign.id, frozenset({PledgeStatus.PAID}))
    assert len(paid) == count
    assert (campaign.raised, campaign.backers_count) == (count * PLEDGE_AMOUNT, count)


def _row(label: str, run: Measurement) -> str:
    return (
        f"  {label:<28}{run.rate:>9,.0f}/s   p50 {run.percentile_ms(50):6.1f} ms"
        f"   p99 {run.percentile_ms(99):6.1f} ms"
    )


async def test_webhook_throughput(backend: str, bench_database: str, tmp_path: Path) -> None:
    paced_count = PACED_RATE * PACED_SECONDS
    total = WARM_UP + BURST + paced_count
    pledge_ids = await pending_pledges(bench_database, total)
    warm_up = signed_events(pledge_ids[:WARM_UP])
    load = signed_events(pledge_ids[WARM_UP : WARM_UP + BURST])
    steady = signed_events(pledge_ids[WARM_UP + BURST :])
    config = write_config(
        tmp_path, **{"port = 8080": "port = 0", 'api_base = ""': 'api_base = "http://127.0.0.1:9"'}
    )
    secrets = {**SECRETS, "DATABASE_URL": bench_database} if backend != "sqlite" else SECRETS
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)

    async with aiohttp.ClientSession(connector=connector) as http:
        bare_argv = ["-m", "tests.benchmarks.bare_server"]
        async with serving(bare_argv, environment(), tmp_path / "bare.log") as server:
            url = f"http://127.0.0.1:{server.port}/stripe/webhook"
            await burst(http, url, warm_up)
            bare = await burst(http, url, load)
            bare_paced = await paced(http, url, steady)
        backit_argv = ["-m", "bots", "--config", str(config), "run"]
        async with serving(backit_argv, environment(**secrets), tmp_path / "backit.log") as server:
            url = f"http://127.0.0.1:{server.port}/stripe/webhook"
            await burst(http, url, warm_up)
            backit = await burst(http, url, load)
            backit_paced = await paced(http, url, steady)

    await paid_exactly_once(bench_database, total)
    print(
        f"\n\nSigned webhook events, {backend}: {BURST:,} as fast as acknowledged over "
        f"{CONNECTIONS} pooled connections\n"
        f"{_row('bare aiohttp handler', bare)}\n"
        f"{_row(f'backit ({backend})', backit)}\n"
        f"  backit / bare: {backit.rate / bare.rate:.0%}\n"
        f"Paced at {PACED_RATE} events/s for {PACED_SECONDS} s ({paced_count:,} events)\n"
        f"{_row('bare aiohttp handler', bare_paced)}\n"
        f"{_row(f'backit ({backend})', backit_paced)}\n"
        f"({os.cpu_count()} CPUs; client, servers and database share them; "
        f"backit logs each group of events at INFO, each event at DEBUG, as configured by default)"
    )
