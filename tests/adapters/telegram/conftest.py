"""Backit's real Telegram bot polling the Bot API stand-in, storing in a real database.

Each test that asks for `telegram_bot` gets the bot started on `telegram_services`. A module
overrides `clock`, `public_url`, `payment_gateway`, `payouts`, `unit_of_work_factory` or
`stop_timeout`, and a test parametrizes `unit_of_work_factory`, `pledge_signer`, `payouts` or
`card_images`, to run the bot on other services. Every error the bot logs fails the test,
unless the test looked at it and cleared it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from adapters.chat_services import ChatServices, Payouts
from adapters.images.card_images import card_images as drawn_card_images
from adapters.images.drawings import Drawings
from adapters.images.progress_charts import ProgressCharts
from adapters.standins.telegram import BotApiStandin
from adapters.storage import Database
from adapters.telegram.application import build_application
from adapters.telegram.bot import TelegramBot
from core.pledge_links import PledgeLinkSigner
from core.ports import Clock, PaymentGateway, UnitOfWorkFactory
from core.usecases.cached_reads import CachedReads
from core.usecases.pledging import PledgeLimits
from core.views.pictures import CardPicture
from tests.adapters.telegram.people import OPERATOR, RunningBot
from tests.fakes import FixedClock
from tests.telegram_fixtures import TOKEN

# Where Backit's handlers and python-telegram-bot log what went wrong.
WATCHED_LOGGERS = ("adapters.telegram", "telegram")


@pytest.fixture
def clock() -> Clock:
    """The bot's clock: 2026-11-01 12:00 UTC, still."""
    return FixedClock()


@pytest.fixture
def public_url() -> str:
    """Where pledge links point."""
    return "https://backit.test"


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
def card_images() -> Drawings[CardPicture]:
    """Card pictures drawn as shipped; a test gives its own drawing to see one fail."""
    return drawn_card_images()


@pytest.fixture
def telegram_services(
    database: Database,
    unit_of_work_factory: UnitOfWorkFactory,
    clock: Clock,
    public_url: str,
    pledge_signer: PledgeLinkSigner | None,
    payment_gateway: PaymentGateway | None,
    payouts: Payouts | None,
    card_images: Drawings[CardPicture],
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
        card_images=card_images,
    )


@pytest.fixture
def stop_timeout() -> float:
    """How long stopping the bot gives the updates in hand, as the shipped settings do."""
    return 10.0


@pytest.fixture
async def telegram_bot(
    telegram_standin: BotApiStandin, telegram_services: ChatServices, stop_timeout: float
) -> AsyncIterator[RunningBot]:
    """Backit's bot started on the services, long-polling the stand-in; stopped after the test."""
    application = build_application(
        TOKEN, telegram_services, base_url=telegram_standin.base_url, polling=True
    )
    running = RunningBot(telegram_standin, telegram_services, application)
    watched = [logging.getLogger(name) for name in WATCHED_LOGGERS]
    for logger in watched:
        logger.addHandler(running.errors)
    bot = TelegramBot(application, poll_timeout=1, stop_timeout=stop_timeout)
    await bot.start()
    try:
        yield running
    finally:
        await bot.stop()
        for logger in watched:
            logger.removeHandler(running.errors)
    # A failure the error handler swallowed still fails the test that caused it.
    assert [record.getMessage() for record in running.errors.records] == []
