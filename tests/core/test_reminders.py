"""Deadline reminders: followers who have not backed hear once that a campaign ends soon."""

from __future__ import annotations

from datetime import timedelta

from core.campaigns import Campaign
from core.communities import Community
from core.identity import Platform
from core.payments import OutcomeKind
from core.usecases.dispatching import Dispatcher, DispatchSettings
from core.usecases.following import follow, set_muted
from core.usecases.managing import create_campaign, publish_campaign
from core.usecases.reminding import remind_followers
from tests.core.conftest import apply, caller, draft, pledged
from tests.delivery_fakes import FakeLinks, RecordingSender
from tests.fakes import FakeDatabase, FixedClock


def reminded(db: FakeDatabase) -> list[str]:
    """Who has a reminder queued, by address."""
    return sorted(m.recipient.address for m in db.state.outbox if m.notification.type == "reminder")


async def test_followers_who_have_not_backed_are_reminded_once_in_the_last_48_hours(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    for user in (1, 2, 3):
        await follow(db.unit_of_work(), clock, caller(user), campaign.id)
    await set_muted(db.unit_of_work(), caller(3), campaign.id, True)
    await apply(db, clock, await pledged(db, clock, campaign, 1, 5_000), OutcomeKind.PAID)
    async with db.unit_of_work() as uow:
        group = await uow.communities.save(Community(0, Platform.TELEGRAM, "-100", "Group"))
        await uow.communities.link(group.id, campaign.id)
        await uow.commit()

    clock.current = campaign.ends_at - timedelta(hours=48, seconds=1)
    assert await remind_followers(db.unit_of_work, clock) == []
    clock.advance(timedelta(seconds=1))
    assert [c.id for c in await remind_followers(db.unit_of_work, clock)] == [campaign.id]
    assert reminded(db) == ["2"]

    await follow(db.unit_of_work(), clock, caller(4), campaign.id)
    clock.advance(timedelta(hours=1))
    assert await remind_followers(db.unit_of_work, clock) == []
    assert reminded(db) == ["2"]

    sender = RecordingSender(Platform.TELEGRAM)
    await Dispatcher(db.unit_of_work, clock, [sender], FakeLinks(), DispatchSettings()).drain()
    [reminder] = sender.delivered_to("2")
    assert reminder.title == "The Reading Lamp ends soon"
    assert reminder.text.startswith("47 hours left: €50.00 of €1,000.00 (5%).")


async def test_campaigns_not_live_or_already_over_are_not_reminded_of(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await create_campaign(
        db.unit_of_work(), draft(clock, slug="soon", ends_at=clock.now() + timedelta(days=1))
    )
    for user in (1, 2):
        await follow(db.unit_of_work(), clock, caller(user), campaign.id)
    # The draft ends tomorrow, but is not live.
    assert await remind_followers(db.unit_of_work, clock) == []
    # The live campaign's end has just passed; it is not closed yet.
    clock.current = campaign.ends_at
    assert await remind_followers(db.unit_of_work, clock) == []
    assert reminded(db) == []


async def test_each_campaign_entering_its_last_days_is_reminded_of_separately(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await create_campaign(
        db.unit_of_work(), draft(clock, slug="later", ends_at=campaign.ends_at + timedelta(days=3))
    )
    later = await publish_campaign(db.unit_of_work(), clock, "later")
    for campaign_id in (campaign.id, later.id):
        await follow(db.unit_of_work(), clock, caller(1), campaign_id)

    clock.current = campaign.ends_at - timedelta(hours=1)
    assert [c.slug for c in await remind_followers(db.unit_of_work, clock)] == ["lamp"]
    clock.current = later.ends_at - timedelta(hours=1)
    assert [c.slug for c in await remind_followers(db.unit_of_work, clock)] == ["later"]
    assert reminded(db) == ["1", "1"]
