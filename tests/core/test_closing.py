"""Closing campaigns at their deadline."""

from __future__ import annotations

from datetime import timedelta

from core.campaigns import Campaign, CampaignStatus
from core.payments import OutcomeKind
from core.usecases.closing import close_campaign, close_due_campaigns
from core.usecases.following import follow
from tests.core.conftest import apply, caller, pledged
from tests.fakes import FakeDatabase, FixedClock


async def test_a_campaign_that_met_its_goal_closes_successful_once(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await apply(db, clock, await pledged(db, clock, campaign, 1, 100_000), OutcomeKind.PAID)
    await follow(db.unit_of_work(), clock, caller(2), campaign.id)
    clock.advance(timedelta(days=29))
    closed = await close_due_campaigns(db.unit_of_work, clock)
    again = await close_due_campaigns(db.unit_of_work, clock)
    assert [c.status for c in closed] == [CampaignStatus.SUCCESSFUL]
    assert again == []
    ended = [m for m in db.state.outbox if m.notification.type == "ended"]
    assert sorted(m.recipient.address for m in ended) == ["1", "2"]


async def test_a_campaign_short_of_its_goal_closes_failed(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await apply(db, clock, await pledged(db, clock, campaign, 1, 99_999), OutcomeKind.PAID)
    clock.advance(timedelta(days=29))
    closed = await close_campaign(db.unit_of_work(), clock, campaign.id)
    assert closed is not None
    assert closed.status is CampaignStatus.FAILED


async def test_nothing_closes_before_its_end_unless_forced(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    assert await close_due_campaigns(db.unit_of_work, clock) == []
    assert await close_campaign(db.unit_of_work(), clock, campaign.id) is None
    forced = await close_campaign(db.unit_of_work(), clock, campaign.id, force=True)
    assert forced is not None
    assert db.state.campaigns[campaign.id].status is CampaignStatus.FAILED
