"""The deadline scheduler closes what is due, settles payments, logs it, and survives failures."""

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
from core.identity import Caller, Identity, Platform
from core.pledges import PledgeStatus
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.usecases.following import follow
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from tests.bots.test_cli import CATALOG
from tests.fakes import FakeGateway, FixedClock

LIMITS = PledgeLimits()
FUNDED_ALL_OR_NOTHING = """
[[campaigns]]
slug = "night-synth"
title = "Night Synth"
blurb = "A pocket synth."
creator = "Drift Circuits"
category = "technology"
currency = "USD"
goal = "100"
funding = "all_or_nothing"
starts = "-3d"
ends = "+2d"

[[campaigns.backing]]
count = 3
amount = "50"
"""


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

    tick = await scheduler.tick()

    assert [campaign.slug for campaign in tick.closed] == ["river-book"]
    assert await _status(seeded, "river-book") is CampaignStatus.SUCCESSFUL
    assert await _status(seeded, "night-synth") is CampaignStatus.DRAFT
    assert "closed river-book: successful with £200.00 of £100.00 (200%)" in caplog.messages


async def test_a_tick_before_any_deadline_closes_nothing(seeded: Database) -> None:
    scheduler = DeadlineScheduler(seeded.unit_of_work, SystemClock(), interval=30)

    assert not (await scheduler.tick()).closed
    assert await _status(seeded, "river-book") is CampaignStatus.LIVE


class FailingOnce:
    """A unit-of-work factory whose first call fails, as a database restarting would."""

    def __init__(self, real: UnitOfWorkFactory) -> None:
        self.real = real
        self.calls = 0

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """A real unit of work, except the first time."""
        self.calls += 1
        if self.calls == 1:
            raise ConnectionError("database restarting")
        return self.real(read_only=read_only)


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

    # The first step of the tick, launching, met the failure.
    assert "launching due campaigns failed; retrying next tick" in caplog.messages
    assert await _status(seeded, "river-book") is CampaignStatus.SUCCESSFUL


async def test_stopping_cancels_the_background_task(seeded: Database) -> None:
    scheduler = DeadlineScheduler(seeded.unit_of_work, SystemClock(), interval=30)
    await scheduler.start()

    await scheduler.stop()

    assert not [task for task in asyncio.all_tasks() if task.get_name() == scheduler.name]


@pytest.fixture
async def all_or_nothing(database: Database) -> Database:
    """The shared test database, holding a funded all-or-nothing campaign with saved cards."""
    entries = parse_catalog(FUNDED_ALL_OR_NOTHING, "synth.toml", datetime.now(UTC), LIMITS)
    await seed_catalog(database.unit_of_work, SystemClock(), LIMITS, entries)
    # Demo backers save no card; these stand for backers who did at checkout.
    async with database.unit_of_work() as uow:
        campaign = await uow.campaigns.by_slug("night-synth")
        assert campaign is not None
        for pledge in await uow.pledges.of_campaign(campaign.id):
            await uow.pledges.set_payment_refs(
                pledge.id, customer_id=f"cus_{pledge.id}", payment_method_id=f"pm_{pledge.id}"
            )
        await uow.commit()
    return database


async def _pledge_statuses(db: Database, slug: str) -> list[PledgeStatus]:
    async with db.unit_of_work() as uow:
        campaign = await uow.campaigns.by_slug(slug)
        assert campaign is not None
        return [pledge.status for pledge in await uow.pledges.of_campaign(campaign.id)]


async def test_with_payments_a_tick_charges_a_funded_campaign_once_its_deadline_passes(
    all_or_nothing: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="bots.scheduler")
    gateway = FakeGateway()
    scheduler = DeadlineScheduler(
        all_or_nothing.unit_of_work, _after_every_deadline(), interval=30, gateway=gateway
    )

    tick = await scheduler.tick()
    again = await scheduler.tick()

    assert [campaign.slug for campaign in tick.closed] == ["night-synth"]
    assert [(s.campaign.slug, s.charged) for s in tick.settled] == [("night-synth", 3)]
    assert not again.closed
    assert not again.settled
    assert len(gateway.charges) == 3
    assert await _pledge_statuses(all_or_nothing, "night-synth") == [PledgeStatus.PAID] * 3
    assert "settled night-synth: 3 charged, 0 declined, 0 released, 0 refunded" in caplog.messages


async def test_stripe_being_down_is_one_warning_a_tick_and_settling_resumes_after(
    all_or_nothing: Database, caplog: pytest.LogCaptureFixture
) -> None:
    gateway = FakeGateway()
    gateway.unavailable = True
    scheduler = DeadlineScheduler(
        all_or_nothing.unit_of_work, _after_every_deadline(), interval=30, gateway=gateway
    )

    down = await scheduler.tick()
    gateway.unavailable = False
    up = await scheduler.tick()

    assert [campaign.slug for campaign in down.closed] == ["night-synth"]
    assert not down.settled
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert caplog.messages == [
        "settling ended campaigns failed: Stripe is unavailable; retrying next tick"
    ]
    assert [(s.campaign.slug, s.charged) for s in up.settled] == [("night-synth", 3)]


async def test_with_payments_a_tick_expires_checkouts_that_outlived_their_page(
    seeded: Database,
) -> None:
    async with seeded.unit_of_work() as uow:
        campaign = await uow.campaigns.by_slug("river-book")
    assert campaign is not None
    hardback = campaign.tiers[0]
    caller = Caller(Identity(Platform.TELEGRAM, "42"), "Ada", "en")
    pending = await start_pledge(
        seeded.unit_of_work(),
        SystemClock(),
        LIMITS,
        PledgeRequest(caller, campaign.id, hardback.id),
    )
    an_hour_later = FixedClock(datetime.now(UTC) + timedelta(hours=1))
    scheduler = DeadlineScheduler(seeded.unit_of_work, an_hour_later, 30, FakeGateway())

    tick = await scheduler.tick()

    assert tick.swept == 1
    async with seeded.unit_of_work() as uow:
        expired = await uow.pledges.get(pending.id)
        after = await uow.campaigns.get(campaign.id)
    assert expired is not None
    assert expired.status is PledgeStatus.EXPIRED
    assert after is not None
    assert after.tiers[0].claimed == hardback.claimed


async def test_a_tick_reminds_followers_once_when_a_campaign_enters_its_last_two_days(
    seeded: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="bots.scheduler")
    async with seeded.unit_of_work() as uow:
        book = await uow.campaigns.by_slug("river-book")
    assert book is not None
    follower = Caller(Identity(Platform.TELEGRAM, "77"), "Follower", "fr")
    await follow(seeded.unit_of_work(), SystemClock(), follower, book.id)
    two_days_before = FixedClock(book.ends_at - timedelta(hours=47))

    first = await DeadlineScheduler(seeded.unit_of_work, two_days_before, interval=30).tick()
    # A restarted scheduler, a tick later: the campaign was reminded of already.
    again = await DeadlineScheduler(seeded.unit_of_work, two_days_before, interval=30).tick()

    assert [campaign.slug for campaign in first.reminded] == ["river-book"]
    assert again.reminded == []
    assert "reminded the followers of river-book that it ends soon" in caplog.messages
    async with seeded.unit_of_work() as uow:
        queued = await uow.outbox.pending(limit=100)
    # The seeded backers are demo backers, never messaged: only the follower hears of it.
    assert [(m.notification.type, m.recipient.address, m.recipient.locale) for m in queued] == [
        ("reminder", "77", "fr")
    ]
