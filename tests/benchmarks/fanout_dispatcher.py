"""The fan-out benchmark's sending side, in a process of its own so that its memory is its own.

Run as `python -m tests.benchmarks.fanout_dispatcher MODE BASE_URL PEOPLE ...`, with the shipped
config's dispatch settings, connections and Telegram limits (the overall one raised with
--overall). `backit DATABASE_URL` runs Backit's Dispatcher as `backit run` does (start, then
stop) until PEOPLE messages are sent and recorded; `bare FIRST_ID` sends the update's notice,
written once, to people FIRST_ID onwards through the same sender with as many sends under
way, and nothing else: no database, no claims, no notices written, no outcomes recorded. It
prints one JSON line: messages, seconds, CPU seconds, and resident memory before sending and
at its peak (VmRSS and VmHWM, in kB: everything the process held, interpreter and libraries
included). Not ru_maxrss, which on Linux keeps the high-water mark of the process before it
exec'd this one: the parent's, when a large test process spawns it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from adapters.storage import Database
from adapters.telegram.notices import TelegramSender, telegram_sender
from adapters.web.services import WebLinks
from bots.clock import SystemClock
from bots.config import SHIPPED_NAME, Settings, load_settings
from core.i18n import use_locale
from core.identity import Platform
from core.outbox import Recipient, RecipientKind, UpdatePosted
from core.pledge_links import PledgeLinkSigner
from core.rate_limits import Rate, RateLimiter
from core.usecases.dispatching import Dispatcher
from core.views.model import Notice
from core.views.notices import NoticeContext, notice
from tests.adapters.storage.builders import a_campaign

TOKEN = "100000003:fanout-benchmark"
UPDATE_TEXT = (
    "The first lamps are out of the kiln! Every one of them was fired twice, and the glaze "
    "came out a little warmer than the samples. We start packing on Monday: backers of the "
    "early bird tier will hear from us with tracking numbers within two weeks."
)
LINKS = WebLinks(
    "https://backit.test",
    PledgeLinkSigner("fan-out benchmark link secret, 32 bytes+", timedelta(hours=1)),
)
RUN_WITHIN = 900.0


class CountingSender:
    """A MessageSender that passes everything on, and says when `expected` notices went."""

    def __init__(self, sender: TelegramSender, expected: int) -> None:
        self._sender = sender
        self._left = expected
        self.all_sent = asyncio.Event()

    @property
    def platform(self) -> Platform:
        """The wrapped sender's."""
        return self._sender.platform

    async def send(self, recipient: Recipient, notice: Notice, *, skip_parts: int = 0) -> None:
        """Send, and count it once sent."""
        await self._sender.send(recipient, notice, skip_parts=skip_parts)
        self._left -= 1
        if self._left == 0:
            self.all_sent.set()

    async def post_report(self, chat_id: str, text: str) -> str:
        """Post, uncounted."""
        return await self._sender.post_report(chat_id, text)

    async def edit_report(self, chat_id: str, message_id: str, text: str) -> None:
        """Edit, uncounted."""
        await self._sender.edit_report(chat_id, message_id, text)


def shipped_settings() -> Settings:
    """The shipped config, not a developer's."""
    return load_settings(Path(str(files("bots").joinpath(SHIPPED_NAME))), env={})


def update_notice() -> Notice:
    """The update's notice as Backit's dispatcher writes it for the benchmark's campaign."""
    with use_locale("en"):
        campaign = a_campaign()
        return notice(
            UpdatePosted(campaign.id, 1, UPDATE_TEXT),
            NoticeContext(campaign, None, LINKS, datetime.now(UTC)),
        )


async def backit(sender: TelegramSender, settings: Settings, url: str, people: int) -> None:
    """Backit's dispatcher, started, then stopped once every message is sent and recorded."""
    counting = CountingSender(sender, people)
    async with Database.connect(url) as database:
        dispatcher = Dispatcher(
            database.unit_of_work, SystemClock(), [counting], LINKS, settings.dispatcher.dispatch
        )
        await dispatcher.start()
        try:
            await counting.all_sent.wait()
        finally:
            await dispatcher.stop()


async def bare(sender: TelegramSender, settings: Settings, first: int, people: int) -> None:
    """The notice sent to every person, batch_size sends under way, as the dispatcher keeps."""
    written = update_notice()
    chats = iter(range(first, first + people))

    async def sending() -> None:
        for chat in chats:
            recipient = Recipient(Platform.TELEGRAM, RecipientKind.USER, str(chat), "en")
            await sender.send(recipient, written)

    async with asyncio.TaskGroup() as senders:
        for _ in range(settings.dispatcher.batch_size):
            senders.create_task(sending())


def resident_kb(field: str) -> int:
    """A figure of the process's resident memory, in kB: VmRSS now, or VmHWM at its peak."""
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(line.split()[1] for line in status if line.startswith(f"{field}:")))


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Send as the mode says, timed from the first claim or send to the last one recorded."""
    settings = shipped_settings()
    limits = settings.telegram.send_limits
    if args.overall is not None:
        limits = replace(limits, overall=Rate(int(args.overall), 1.0))
    people = int(args.people)
    connections = settings.dispatcher.connections
    async with telegram_sender(
        TOKEN, str(args.base_url), RateLimiter(limits, connections)
    ) as sender:
        before = resident_kb("VmRSS")
        cpu = time.process_time()
        started = time.perf_counter()
        async with asyncio.timeout(RUN_WITHIN):
            if args.mode == "backit":
                await backit(sender, settings, str(args.target), people)
            else:
                await bare(sender, settings, int(args.target), people)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu
    return {
        "messages": people,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rss_before_kb": before,
        "peak_rss_kb": resident_kb("VmHWM"),
    }


def main() -> None:
    """Parse the arguments, run, and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["backit", "bare"])
    parser.add_argument("base_url")
    parser.add_argument("people", type=int)
    parser.add_argument("target", help="backit: the database URL; bare: the first chat id")
    parser.add_argument("--overall", type=int, help="messages a second overall, if not 30")
    print(json.dumps(asyncio.run(run(parser.parse_args()))), flush=True)


if __name__ == "__main__":
    main()
