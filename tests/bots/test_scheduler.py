"""The deadline scheduler closes what is due, logs it, and survives a failing tick."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from adapters.storage import Database
from bots.catalog import parse_catalog
from bots.clock import SystemClock
from bots.scheduler import DeadlineScheduler
from bots.seeding import seed_catalog
from core.campaigns import CampaignStatus
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.usecases.pledging import PledgeLimits
from tests.bots.test_cli import CATALOG
from tests.fakes import FixedClock

LIMITS = PledgeLimits()


@pytest.fixture
async def seeded(database: Database) -> Database:
    """The shared test database, holding the two-campaign catalog of the CLI tests."""
    entries = parse_catalog(CATALOG, "shop.toml", datetime.now(UTC), LIMITS)
    await seed_catalog(database.unit_of_work, SystemClock(), LIMITS, entries)
    return database


async def _status(db: Database, slug: str) -> CampaignStatus:
    async with db.unit_of_work() as uow:
        campaign = await uow.campaigns.by_slug(slug)
    assert campaign is not None
    return campaign.status


def _after_every_deadline() -> FixedClock:
    return FixedClock(datetime.now(UTC) + timedelta(days=100))


async def test_a_tick_closes_live_campaigns_past_their_deadline_and_logs_them(
    seeded: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="bots.scheduler")
    scheduler = DeadlineScheduler(seeded.unit_of_work, _after_every_deadline(), interval=30)

    closed = await scheduler.tick()

    assert [campaign.slug for campaign in closed] == ["river-book"]
    assert await _status(seeded, "river-book") is CampaignStatus.SUCCESSFUL
    assert await _status(seeded, "night-synth") is CampaignStatus.DRAFT
    assert "closed river-book: successful with £200.00 of £100.00 (200%)" in caplog.messages


async def test_a_tick_before_any_deadline_closes_nothing(seeded: Database) -> None:
    scheduler = DeadlineScheduler(seeded.unit_of_work, SystemClock(), interval=30)

    assert not await scheduler.tick()
    assert await _status(seeded, "river-book") is CampaignStatus.LIVE


class FailingOnce:
    """A unit-of-work factory whose first call fails, as a database restarting would."""

    def __init__(self, real: UnitOfWorkFactory) -> None:
        self.real = real
        self.calls = 0

    def __call__(self) -> UnitOfWork:
        """A real unit of work, except the first time."""
        self.calls += 1
        if self.calls == 1:
            raise ConnectionError("database restarting")
        return self.real()


async def test_a_failing_tick_is_logged_and_the_next_one_still_runs(
    seeded: Database, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler = DeadlineScheduler(
        FailingOnce(seeded.unit_of_work), _after_every_deadline(), interval=0.01
    )

    await scheduler.start()
    try:
        async with asyncio.timeout(5):
            # The stored status is what the loop changes; nothing else could signal it.
            while await _status(seeded, "river-book") is CampaignStatus.LIVE:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    finally:
        await scheduler.stop()

    assert "closing due campaigns failed; retrying next tick" in caplog.messages
    assert await _status(seeded, "river-book") is CampaignStatus.SUCCESSFUL


async def test_stopping_cancels_the_background_task(seeded: Database) -> None:
    scheduler = DeadlineScheduler(seeded.unit_of_work, SystemClock(), interval=30)
    await scheduler.start()

    await scheduler.stop()

    assert not [task for task in asyncio.all_tasks() if task.get_name() == scheduler.name]
