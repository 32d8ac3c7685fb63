"""`backit run` with no account configured opens the sandbox, and stops cleanly with a page open."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from adapters.storage import upgrade
from bots.config import load_settings
from bots.sandbox import STRIPE_CONNECT_WEBHOOK_SECRET, Sandbox
from tests.bots.conftest import ROOT, write_config


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
