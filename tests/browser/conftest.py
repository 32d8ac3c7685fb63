"""`backit run --sandbox` as a real process on a seeded SQLite file, and Debian's Chromium
driven by Playwright to use its chat page as a person would.

One process serves the modules, and one browser; each test opens the page in a fresh browser
context. The process has one "you" on each platform, whose pledges, follows, links and chats
stay for the modules after: each module pledges to campaigns of its own, counts messages
before and after, and leaves the page in English. A module whose tests need a you that no
other module has acted as starts a process of its own with `own_sandbox`, on the same seeded
database. What the processes log and the screenshots the tests take land in
test-artifacts/browser/.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "browser"
# The sandbox is up once every component runs: the bots have logged in to their stand-ins.
RUNNING = "bots.process: running:"
STARTS_WITHIN = 30.0
STOPS_WITHIN = 20.0
DATABASE = "backit.db"
# As long as an action may take: with the other test workers busy, a bot's answer can take more
# than Playwright's five seconds to show.
expect.set_options(timeout=10_000)


@dataclass(frozen=True)
class Sandbox:
    """The running process: where its page is, and its log so far."""

    url: str
    log: Path
    home: Path
    env: dict[str, str]

    def logged(self) -> str:
        """Everything the process wrote."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def backit(self, *argv: str) -> None:
        """Run an operator's `backit` command on the sandbox's database, as it runs."""
        _backit(*argv, home=self.home, env=self.env)


def _environment(home: Path, port: int) -> dict[str, str]:
    """The developer's environment without Backit's settings or secrets, plus the sandbox's."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("BACKIT_", "TELEGRAM_", "DISCORD_", "STRIPE_"))
        and name != "DATABASE_URL"
    }
    return {
        **kept,
        # The checkout under test, even where another copy of backit is installed.
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite+aiosqlite:///{home / DATABASE}",
        "BACKIT_WEB__PORT": str(port),
        "BACKIT_WEB__PUBLIC_URL": f"http://127.0.0.1:{port}",
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _backit(*argv: str, home: Path, env: dict[str, str]) -> None:
    """Run one `backit` command to completion; its output is shown if it fails."""
    done = subprocess.run(  # noqa: S603 - our own CLI, with arguments written here
        [sys.executable, "-m", "bots", *argv],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _wait_until_running(process: subprocess.Popen[bytes], sandbox: Sandbox) -> None:
    deadline = time.monotonic() + STARTS_WITHIN
    while RUNNING not in sandbox.logged():
        assert process.poll() is None, f"backit run --sandbox ended:\n{sandbox.logged()}"
        assert time.monotonic() < deadline, f"not running in time:\n{sandbox.logged()}"
        time.sleep(0.1)
    with urllib.request.urlopen(f"{sandbox.url}sandbox/api/state", timeout=5) as answer:  # noqa: S310
        assert answer.status == 200


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo catalog, upgraded and seeded once: each process starts on a copy of it."""
    home = tmp_path_factory.mktemp("seeded")
    env = _environment(home, _free_port())
    _backit("db", "upgrade", home=home, env=env)
    _backit("seed", home=home, env=env)
    return home / DATABASE


@contextmanager
def own_sandbox(
    seeded: Path, home: Path, log_name: str, settings: dict[str, str] | None = None
) -> Iterator[Sandbox]:
    """`backit run --sandbox` on a copy of the seeded demo catalog, with `settings` (BACKIT_
    variables) if any, logging to `log_name` in test-artifacts/browser/; stopped with SIGTERM
    at the end, which it must survive without a traceback."""
    port = _free_port()
    env = {**_environment(home, port), **(settings or {})}
    # SQLite's backup copies the database whole, whatever its write-ahead log still holds.
    with (
        closing(sqlite3.connect(seeded)) as source,
        closing(sqlite3.connect(home / DATABASE)) as target,
    ):
        source.backup(target)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    sandbox = Sandbox(f"http://127.0.0.1:{port}/", ARTIFACTS / log_name, home, env)
    with sandbox.log.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bots", "run", "--sandbox"],
            cwd=home,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_running(process, sandbox)
        yield sandbox
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(STOPS_WITHIN)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    assert code == 0, sandbox.logged()
    assert "Traceback" not in sandbox.logged()


@pytest.fixture(scope="session")
def sandbox(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """`backit run --sandbox` on the demo catalog, shared by the modules; stopped with
    SIGTERM once they have all run."""
    with own_sandbox(seeded, tmp_path_factory.mktemp("sandbox"), "backit.log") as shared:
        yield shared


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, for the module: its sync API runs an event loop on this thread,
    which the asyncio tests collected after tests/browser could not run beside."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless: Playwright's own browsers are never downloaded."""
    if not CHROMIUM.exists():
        # `make test` installs it where it can (root with apt-get); elsewhere, say so.
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` to run the browser tests")
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Browser, sandbox: Sandbox) -> Iterator[Page]:
    """The chat page in a fresh context, live; any script error on it fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    chat = context.new_page()
    errors: list[str] = []
    chat.on("pageerror", lambda error: errors.append(str(error)))
    # Pictures from the internet may fail to load offline; what the page's policy blocks may not.
    chat.on(
        "console",
        lambda message: errors.append(message.text) if "Content Security" in message.text else None,
    )
    chat.goto(sandbox.url)
    try:
        expect(chat.locator("#connection")).to_have_text("live")
    except AssertionError as error:
        raise AssertionError(f"the page did not go live; its errors: {errors}") from error
    yield chat
    context.close()
    assert errors == []
