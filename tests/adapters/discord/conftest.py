"""Backit's real Discord bot (discord.py) connected to the stand-in, storing in a real database.

Each test that asks for `discord_bot` gets the bot started on `discord_services`; a test module
overrides `clock`, `unit_of_work_factory`, `pledge_signer`, `payment_gateway` or `payouts` to
run it on other services.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from adapters.chat_services import ChatServices, Payouts
from adapters.images.progress_charts import ProgressCharts
from adapters.standins.discord import DiscordStandin
from adapters.storage import Database
from core.pledge_links import PledgeLinkSigner
from core.ports import Clock, PaymentGateway, UnitOfWorkFactory
from core.usecases.cached_reads import CachedReads
from core.usecases.pledging import PledgeLimits
from tests.adapters.discord.people import OPERATOR, RunningBot
from tests.fakes import FixedClock

# Where Backit's handlers and discord.py log what went wrong.
WATCHED_LOGGERS = ("adapters.discord", "discord")
# Production defers after 1.5 s (adapters.discord.client.DEFER_AFTER); see `defer_after`.
TESTS_DEFER_AFTER = 2.5


@pytest.fixture
def clock() -> Clock:
    """The bot's clock: 2026-11-01 12:00 UTC, still."""
    return FixedClock()


@pytest.fixture
def unit_of_work_factory(database: Database) -> UnitOfWorkFactory:
    """Units of work on the test database."""
    return database.unit_of_work


@pytest.fixture
def pledge_signer(link_signer: PledgeLinkSigner) -> PledgeLinkSigner | None:
    """The signer of pledge links, with the test key; a test gives None to turn payments off."""
    return link_signer


@pytest.fixture
def payment_gateway() -> PaymentGateway | None:
    """No payment provider: links are signed, cancelling a pledge is refused."""
    return None


@pytest.fixture
def payouts() -> Payouts | None:
    """No payout accounts: the team running Backit pays creators itself."""
    return None


@pytest.fixture
def public_url() -> str:
    """Where the bot says Backit's web server is; a test with a running one gives its own."""
    return "https://backit.test"


@pytest.fixture
def discord_services(
    public_url: str,
    database: Database,
    unit_of_work_factory: UnitOfWorkFactory,
    clock: Clock,
    pledge_signer: PledgeLinkSigner | None,
    payment_gateway: PaymentGateway | None,
    payouts: Payouts | None,
) -> ChatServices:
    """The services the bot runs on: the test database, pledge links signed with the test key."""
    reads = CachedReads(unit_of_work_factory, database.counters, clock)
    return ChatServices(
        uows=unit_of_work_factory,
        clock=clock,
        reads=reads,
        progress_charts=ProgressCharts(reads, clock),
        limits=PledgeLimits(),
        operators=frozenset({OPERATOR}),
        public_url=public_url,
        signer=pledge_signer,
        gateway=payment_gateway,
        payouts=payouts,
    )


@pytest.fixture
def defer_after() -> float:
    """How long the bot works before deferring its answer; 0 makes it always defer."""
    # Longer than in production, still within Discord's three seconds: with the other test
    # workers busy, an answer can take more than 1.5 s, and a test not about deferring would
    # see a deferral instead of it.
    return TESTS_DEFER_AFTER


@pytest.fixture
async def discord_bot(
    discord_standin: DiscordStandin, discord_services: ChatServices, defer_after: float
) -> AsyncIterator[RunningBot]:
    """Backit's bot connected to the stand-in on the services; closed after the test."""
    running = RunningBot(discord_standin, discord_services, defer_after)
    watched = [logging.getLogger(name) for name in WATCHED_LOGGERS]
    for logger in watched:
        logger.addHandler(running.errors)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
        for logger in watched:
            logger.removeHandler(running.errors)
    # A failure the bot answered politely still fails the test that caused it.
    assert [record.getMessage() for record in running.errors.records] == []
