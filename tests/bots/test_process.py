"""`backit run` as a real process: it starts what the settings enable, and stops cleanly."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import re
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.standins.stripe.webhooks import signature_header
from adapters.storage import Database, upgrade
from bots.catalog import parse_catalog
from bots.clock import SystemClock
from bots.process import run_until_signalled
from bots.seeding import seed_catalog
from core.pledge_links import link_key
from core.pledges import Pledge, PledgeStatus
from core.usecases.pledging import PledgeLimits
from tests.bots.checkouts import CATALOG, PAYMENT_SECRETS, WEBHOOK_SECRET, checkouts, standin
from tests.bots.conftest import ROOT, write_config

LISTENING = re.compile(r"web server listening on http://127\.0\.0\.1:(\d+)")


class BackitProcess:
    """`python -m bots run` in a child process, with its log read as it goes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.log: list[str] = []

    async def wait_for(self, text: str) -> str:
        """Read the log until a line holds `text`; returns that line."""
        assert self.process.stderr is not None
        async with asyncio.timeout(20):
            while True:
                line = (await self.process.stderr.readline()).decode()
                assert line, "".join(self.log)
                self.log.append(line)
                if text in line:
                    return line

    async def finish(self) -> tuple[int, str]:
        """The exit code and the whole log, once the process has ended."""
        assert self.process.stderr is not None
        async with asyncio.timeout(20):
            self.log.append((await self.process.stderr.read()).decode())
            return await self.process.wait(), "".join(self.log)


@asynccontextmanager
async def _run(
    tmp_path: Path, config: Path, *options: str, **secrets: str
) -> AsyncIterator[BackitProcess]:
    """The process, killed on the way out if a failing test left it running."""
    # The checkout under test comes first, even where another copy of backit is installed.
    env = {**os.environ, "PYTHONPATH": str(ROOT), **secrets}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "bots", "--config", str(config), "run", *options),
        cwd=tmp_path,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield BackitProcess(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.communicate()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_without_accounts_and_the_sandbox_run_says_what_is_off_and_stops_on_a_signal(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    config = write_config(tmp_path, **{"interval_seconds = 30": "interval_seconds = 1"})
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}")
    async with _run(tmp_path, config, "--no-sandbox") as backit:
        await backit.wait_for("running: deadline scheduler")
        backit.process.send_signal(stop_signal)
        code, output = await backit.finish()

    assert code == 0, output
    assert (
        "INFO bots.process: payments are off and the web server is not started: set "
        "STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and BACKIT_LINK_SECRET to enable them"
    ) in output
    assert "INFO bots.process: stopped" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("options", [("--no-sandbox",), ("--sandbox",)])
async def test_a_database_in_a_missing_folder_stops_run_at_start_with_one_line(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    config = write_config(tmp_path)
    folder = tmp_path / "typo"
    url = f"sqlite+aiosqlite:///{folder}/backit.db"
    async with _run(tmp_path, config, *options, DATABASE_URL=url, **PAYMENT_SECRETS) as backit:
        code, output = await backit.finish()

    assert code == 2, output
    errors = [line for line in output.splitlines() if "error" in line.lower()]
    assert errors == [f"error: database {folder}/backit.db: the folder {folder} does not exist"]
    assert "Traceback" not in output
    assert "web server listening" not in output
    assert not folder.exists()


@pytest.fixture
async def shop_database(tmp_path: Path) -> str:
    """A migrated SQLite file holding the flexible campaign of the payment tests."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}"
    await upgrade(url)
    entries = parse_catalog(CATALOG, "shop.toml", datetime.now(UTC), PledgeLimits())
    async with Database.connect(url) as db:
        await seed_catalog(db.unit_of_work, SystemClock(), PledgeLimits(), entries)
    return url


async def _refuses_connections(port: int) -> None:
    """Return once nothing accepts new connections on the port any more."""
    async with asyncio.timeout(10):
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except ConnectionRefusedError:
                return
            writer.close()
            await writer.wait_closed()
            await asyncio.sleep(0.01)


async def _held_write_lock(database: Path) -> sqlite3.Connection:
    """A connection holding SQLite's write lock until it rolls back."""
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    return connection


async def test_with_payments_run_serves_pledges_and_webhooks_and_drains_on_sigterm(
    tmp_path: Path, shop_database: str
) -> None:
    async with standin() as stripe, checkouts(shop_database, stripe) as pledges:
        config = write_config(
            tmp_path,
            **{"port = 8080": "port = 0", 'api_base = ""': f'api_base = "{stripe.base_url}"'},
        )
        async with _run(tmp_path, config, **PAYMENT_SECRETS) as backit:
            listening = await backit.wait_for("web server listening on")
            await backit.wait_for("running: stripe client, web server, deadline scheduler")
            match = LISTENING.search(listening)
            assert match is not None, listening
            port = int(match.group(1))
            base = f"http://127.0.0.1:{port}"
            stripe.webhook_url = f"{base}/stripe/webhook"

            async with aiohttp.ClientSession() as http:
                async with http.get(f"{base}/healthz") as health:
                    assert (health.status, await health.json()) == (200, {"status": "ok"})
                token = await pledges.link("tide-lamp", "Thanks", "Ada")
                async with http.get(f"{base}/pledge/{token}", allow_redirects=False) as tap:
                    assert tap.status == 303
                    assert tap.headers["Location"].startswith(f"{stripe.base_url}/checkout/")
            async with pledges.db.unit_of_work() as uow:
                tapped = await uow.pledges.by_link_key(link_key(token))
            assert tapped is not None
            await pledges.pay(tapped)
            await stripe.wait_for_deliveries()
            assert {delivery.status for delivery in stripe.deliveries} == {"delivered"}
            assert (await pledges.reload(tapped.id)).status is PledgeStatus.PAID

            # A webhook still being handled (waiting for the database) when SIGTERM comes is
            # answered, and its write committed, before the process exits.
            settling = await pledges.start("tide-lamp", "Thanks", "Grace")
            lock = await _held_write_lock(tmp_path / "backit.db")
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(_signed_webhook(port, _debit_succeeded(settling)))
            await writer.drain()
            backit.process.send_signal(signal.SIGTERM)
            await _refuses_connections(port)
            lock.rollback()
            lock.close()
            answer = await reader.read()
            writer.close()
            code, output = await backit.finish()

    assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer
    assert (await _status(shop_database, settling.id)) is PledgeStatus.PAID
    assert code == 0, output
    assert "INFO bots.process: stopped" in output
    assert "Traceback" not in output
    assert not [secret for secret in PAYMENT_SECRETS.values() if secret in output]


def _debit_succeeded(pledge: Pledge) -> dict[str, Any]:
    """The event Stripe sends when a pledge's delayed payment settles."""
    return {
        "id": f"evt_debit_{pledge.id}",
        "object": "event",
        "type": "checkout.session.async_payment_succeeded",
        "data": {
            "object": {
                "id": pledge.checkout_session_id,
                "object": "checkout.session",
                "mode": "payment",
                "amount_total": pledge.amount.amount,
                "currency": pledge.amount.currency.lower(),
                "metadata": {"pledge_id": str(pledge.id)},
            }
        },
    }


def _signed_webhook(port: int, event: dict[str, Any]) -> bytes:
    """A whole HTTP request delivering a signed event, as Stripe would."""
    body = json.dumps(event)
    signature = signature_header(body, WEBHOOK_SECRET, int(time.time()))
    head = (
        f"POST /stripe/webhook HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nStripe-Signature: {signature}\r\n"
        f"Content-Length: {len(body.encode())}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body.encode()


async def _status(database_url: str, pledge_id: int) -> PledgeStatus:
    async with Database.connect(database_url) as db, db.unit_of_work() as uow:
        pledge = await uow.pledges.get(pledge_id)
    assert pledge is not None
    return pledge.status


class _SignalsWhenStarted:
    """A component that asks the process to stop as soon as it is started."""

    name = "signaller"

    def __init__(self) -> None:
        self.frozen_while_running = 0

    async def start(self) -> None:
        """Send this process SIGTERM, handled once every component has started."""
        os.kill(os.getpid(), signal.SIGTERM)

    async def stop(self) -> None:
        """Note what the collector left out of its passes while running."""
        self.frozen_while_running = gc.get_freeze_count()


async def test_what_start_up_allocated_is_kept_out_of_garbage_collection_passes() -> None:
    part = _SignalsWhenStarted()
    try:
        await run_until_signalled([part])
    finally:
        gc.unfreeze()
    assert part.frozen_while_running > 0
