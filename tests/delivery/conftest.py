"""Delivering the outbox end to end: the real dispatcher and senders, real databases, the
Telegram and Discord stand-ins."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest

from adapters.discord.notices import DiscordSender, discord_sender
from adapters.standins.telegram import BotApiStandin
from adapters.storage import Database
from adapters.telegram.notices import TelegramSender, telegram_sender
from adapters.web.services import WebLinks
from bots.clock import SystemClock
from core.campaigns import Campaign
from core.delivery import MessageSender
from core.outbox import OutboxStatus
from core.pledge_links import PledgeLinkSigner
from core.rate_limits import Rate, RateLimiter, SendLimits
from core.usecases.dispatching import Dispatcher, DispatchSettings
from tests.adapters.storage.builders import a_campaign, committed
from tests.discord_fixtures import TOKEN as DISCORD_TOKEN
from tests.payment_fixtures import LINK_LIFETIME, LINK_SECRET
from tests.telegram_fixtures import TOKEN as TELEGRAM_TOKEN

PUBLIC_URL = "https://backit.test"
LINKS = WebLinks(PUBLIC_URL, PledgeLinkSigner(LINK_SECRET, LINK_LIFETIME))
# The platforms' own limits, as config.toml ships them.
TELEGRAM_LIMITS = SendLimits(Rate(30, 1.0), Rate(1, 1.0), Rate(20, 60.0))
DISCORD_LIMITS = SendLimits(Rate(50, 1.0), Rate(5, 5.0), Rate(5, 5.0))
# Quick rounds and retries, so that a test waits milliseconds where production waits seconds.
QUICK = DispatchSettings(
    batch_size=200,
    lease=timedelta(seconds=30),
    first_retry=timedelta(milliseconds=100),
    last_retry=timedelta(seconds=1),
    idle_seconds=0.02,
    report_every=timedelta(milliseconds=100),
    stop_timeout=5.0,
)
DELIVERED_WITHIN = 60.0


@pytest.fixture
async def campaign(database: Database) -> Campaign:
    """A live campaign ending in four weeks."""
    ends = datetime.now(UTC) + timedelta(days=28)
    return await committed(
        database,
        lambda uow: uow.campaigns.add(
            a_campaign(ends_at=ends, starts_at=ends - timedelta(days=30))
        ),
    )


@asynccontextmanager
async def telegram(
    standin: BotApiStandin, limits: SendLimits = TELEGRAM_LIMITS
) -> AsyncIterator[TelegramSender]:
    """The Telegram sender on the stand-in."""
    async with telegram_sender(TELEGRAM_TOKEN, standin.base_url, RateLimiter(limits)) as sender:
        yield sender


@asynccontextmanager
async def discord(limits: SendLimits = DISCORD_LIMITS) -> AsyncIterator[DiscordSender]:
    """The Discord sender on the stand-in discord.py is pointed at."""
    async with discord_sender(DISCORD_TOKEN, limits) as sender:
        yield sender


def dispatcher(
    database: Database, senders: Sequence[MessageSender], settings: DispatchSettings = QUICK
) -> Dispatcher:
    """A dispatcher over the database and senders, with the system clock."""
    return Dispatcher(database.unit_of_work, SystemClock(), senders, LINKS, settings)


async def undelivered(database: Database) -> int:
    """Messages still pending or being sent."""
    async with database.unit_of_work() as uow:
        counts = await uow.outbox.status_counts()
    return counts[OutboxStatus.PENDING] + counts[OutboxStatus.SENDING]


async def deliver_everything(
    database: Database, *dispatchers: Dispatcher, until: Callable[[], bool] = lambda: True
) -> None:
    """Run the dispatchers in the background, as `backit run` does, until nothing is left
    (and `until` holds)."""
    for running in dispatchers:
        await running.start()
    try:
        async with asyncio.timeout(DELIVERED_WITHIN):
            # The database is what changes, and nothing in this process signals it: poll.
            while await undelivered(database) or not until():  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        for running in dispatchers:
            await running.stop()
