"""`backit run` with no account configured opens the sandbox, and stops cleanly with a page open."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from adapters.storage import upgrade
from bots.config import load_settings
from bots.sandbox import STRIPE_CONNECT_WEBHOOK_SECRET, Sandbox
from tests.bots.conftest import ROOT, Backit, write_config


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_without_accounts_run_opens_the_sandbox_and_stops_with_a_page_still_open(
    tmp_path: Path,
) -> None:
    port = _free_port()
    page = f"http://127.0.0.1:{port}/"
    config = write_config(
        tmp_path,
        **{
            "port = 8080": f"port = {port}",
            'public_url = "http://127.0.0.1:8080"': f'public_url = "{page.rstrip("/")}"',
        },
    )
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}")
    backit = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "bots", "--config", str(config), "run"),
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert backit.stdout is not None
        async with asyncio.timeout(30):
            banner = [(await backit.stdout.readline()).decode() for _ in range(3)]
        assert f"Backit sandbox: open {page}" in "".join(banner)
        async with aiohttp.ClientSession() as http, asyncio.timeout(30):
            while True:
                try:
                    async with http.get(f"{page}healthz") as health:
                        if health.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            async with http.get(page) as chat_page:
                assert chat_page.status == 200
                assert "Backit" in await chat_page.text()
            # A page left open holds its live stream: stopping must not wait on it.
            async with http.get(f"{page}sandbox/api/stream") as stream:
                await stream.content.readline()
                backit.send_signal(signal.SIGTERM)
                async with asyncio.timeout(8):
                    code = await backit.wait()
        _, log = await backit.communicate()
    finally:
        if backit.returncode is None:
            backit.kill()
            await backit.communicate()
    assert code == 0, log.decode()
    assert "running: stripe client, web server, telegram bot, discord bot, dispatcher" in (
        log.decode()
    )
    assert "Traceback" not in log.decode()


async def test_the_sandbox_with_connect_on_has_its_connect_webhook_secret(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, **{"connect = false": "connect = true"}), {})
    sandbox = Sandbox(settings)
    await sandbox.start()
    try:
        sandboxed = sandbox.settings(settings).secrets
    finally:
        await sandbox.stop()

    assert sandboxed.connect_webhook(sandboxed.payments(), connect=True) == (
        STRIPE_CONNECT_WEBHOOK_SECRET
    )


async def _sandbox_run(config: Path, page: str, cwd: Path) -> tuple[int, str]:
    """Run `backit run` (the sandbox) until its web server answers, post a forged Connect
    event, stop it; the status the event got, and what the process logged."""
    log_path = cwd / "sandbox.log"
    # A file, not a pipe: nobody reads the log while the sandbox runs, and it says a lot.
    with log_path.open("wb") as log_file:
        backit = await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "bots", "--config", str(config), "run"),
            cwd=cwd,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=log_file,
        )
    try:
        async with aiohttp.ClientSession() as http, asyncio.timeout(30):
            while True:
                try:
                    async with http.get(f"{page}healthz") as health:
                        if health.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            async with http.post(
                f"{page}stripe/connect-webhook",
                data=b"{}",
                headers={"Stripe-Signature": "t=1,v1=forged"},
            ) as forged:
                status = forged.status
        backit.send_signal(signal.SIGTERM)
        async with asyncio.timeout(8):
            code = await backit.wait()
    finally:
        if backit.returncode is None:
            backit.kill()
            await backit.wait()
    log = log_path.read_text(encoding="utf-8")
    assert code == 0, log
    return status, log


async def test_each_sandbox_start_has_the_demo_creators_accounts_onboarded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _free_port()
    page = f"http://127.0.0.1:{port}/"
    config = write_config(
        tmp_path,
        **{
            "port = 8080": f"port = {port}",
            'public_url = "http://127.0.0.1:8080"': f'public_url = "{page.rstrip("/")}"',
        },
    )
    backit = Backit(capsys, config)
    # As `make run` does: the demo catalog seeded by its own command, connect off.
    assert (await backit.in_thread("db", "upgrade")).code == 0
    assert (await backit.in_thread("seed")).code == 0

    first = await _sandbox_run(config, page, tmp_path)
    second = await _sandbox_run(config, page, tmp_path)
    listed = await backit.in_thread("creators", "list")
    accounts = listed.out.splitlines()[1:]

    # The Connect endpoint is served, and checks signatures.
    assert (first[0], second[0]) == (400, 400)
    assert "payout accounts: 0 had again, 14 opened" in first[1]
    assert "payout accounts: 14 had again, 0 opened" in second[1]
    assert "Traceback" not in first[1] + second[1]
    # One per demo creator, each on Telegram and Discord, taking payments.
    assert len(accounts) == 14
    assert all("telegram:" in line and "discord:" in line for line in accounts)
