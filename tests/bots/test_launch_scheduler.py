"""Launches by the scheduler: however many run at once, a campaign goes live once and each
person waiting for it is told once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from adapters.storage import Database
from bots.scheduler import DeadlineScheduler
from core.campaigns import CampaignStatus, FundingModel
from core.communities import Community
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.ports import UnitOfWork
from core.usecases.following import follow
from core.usecases.managing import CampaignDraft, TierDraft, create_campaign, publish_campaign
from tests.adapters.storage.builders import CREATOR, NOW, committed
from tests.fakes import FixedClock

LAUNCH = NOW + timedelta(minutes=5)
FOLLOWERS = 20


def _draft() -> CampaignDraft:
    """A campaign launching five minutes from NOW, with an early bird for its first two days."""
    early_bird = TierDraft(
        "First run", "One print", 2_500, opens_at=LAUNCH, closes_at=LAUNCH + timedelta(days=2)
    )
    return CampaignDraft(
        slug="prints",
        title="Harbour Prints",
        blurb="Linocuts of the old harbour.",
        description="",
        creator_name="Ada",
        creator_identities=(CREATOR,),
        category="art",
        goal=Money(100_000, "EUR"),
        funding_model=FundingModel.FLEXIBLE,
        starts_at=LAUNCH,
        ends_at=LAUNCH + timedelta(days=30),
        tiers=(early_bird,),
    )


async def _waiting(database: Database, clock: FixedClock) -> int:
    """The coming-soon campaign, its followers on both platforms, and an announcing group."""
    await create_campaign(database.unit_of_work(), _draft())
    campaign = await publish_campaign(database.unit_of_work(), clock, "prints")
    assert campaign.status is CampaignStatus.COMING_SOON
    for user in range(FOLLOWERS):
        platform = Platform.TELEGRAM if user % 2 else Platform.DISCORD
        person = Caller(Identity(platform, str(7000 + user)), f"Person {user}", "en")
        await follow(database.unit_of_work(), clock, person, campaign.id)

    async def announcing_group(uow: UnitOfWork) -> None:
        community = await uow.communities.save(Community(0, Platform.TELEGRAM, "-100", "Makers"))
        await uow.communities.link(community.id, campaign.id)

    await committed(database, announcing_group)
    return campaign.id


async def test_two_schedulers_launching_at_once_make_it_live_once_and_tell_each_follower_once(
    migrated_database_url: str,
) -> None:
    clock = FixedClock(NOW)
    # Two processes: each its own engine and connections on the same database.
    async with (
        Database.connect(migrated_database_url) as one,
        Database.connect(migrated_database_url) as other,
    ):
        campaign_id = await _waiting(one, clock)
        schedulers = [DeadlineScheduler(db.unit_of_work, clock, interval=30) for db in (one, other)]
        early = await asyncio.gather(*(s.tick() for s in schedulers))
        clock.advance(LAUNCH - NOW)
        ticks = [
            tick for _ in range(3) for tick in await asyncio.gather(*(s.tick() for s in schedulers))
        ]

        async with one.unit_of_work() as uow:
            launched = await uow.campaigns.get(campaign_id)
            queued = await uow.outbox.pending(limit=1_000)
    assert not any(t.launched for t in early)
    assert [c.slug for tick in ticks for c in tick.launched] == ["prints"]
    assert launched is not None
    assert launched.status is CampaignStatus.LIVE
    told = Counter(
        (m.recipient.platform, m.recipient.address)
        for m in queued
        if m.notification.type == "launched"
    )
    assert len(told) == FOLLOWERS + 1
    assert set(told.values()) == {1}
    assert told[(Platform.TELEGRAM, "-100")] == 1


async def test_the_scheduler_logs_each_launch(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="bots.scheduler")
    clock = FixedClock(NOW)
    await _waiting(database, clock)
    clock.advance(LAUNCH - NOW)

    await DeadlineScheduler(database.unit_of_work, clock, interval=30).tick()

    assert "launched prints" in caplog.messages
