"""Following and unfollowing campaigns."""

from __future__ import annotations

import pytest

from core.campaigns import Campaign
from core.errors import CampaignNotFound
from core.payments import OutcomeKind
from core.usecases.cached_reads import CachedReads
from core.usecases.following import follow, following, unfollow
from tests.core.conftest import apply, caller, pledged
from tests.fakes import FakeDatabase, FixedClock


async def test_follow_is_remembered_and_shown_on_the_detail(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await follow(db.unit_of_work(), clock, caller(1), campaign.id)
    await follow(db.unit_of_work(), clock, caller(1), campaign.id)
    assert [c.slug for c in await following(db.unit_of_work(), caller(1))] == ["lamp"]
    reads = CachedReads(db.unit_of_work, db.counters, clock)
    detail = await reads.campaign_detail("lamp", caller(1).identity, ())
    assert detail.following
    assert len(db.state.follows) == 1


async def test_unfollow_forgets_and_is_harmless_twice(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await follow(db.unit_of_work(), clock, caller(1), campaign.id)
    await unfollow(db.unit_of_work(), caller(1), campaign.id)
    await unfollow(db.unit_of_work(), caller(1), campaign.id)
    assert await following(db.unit_of_work(), caller(1)) == []
    reads = CachedReads(db.unit_of_work, db.counters, clock)
    assert not (await reads.campaign_detail("lamp", caller(1).identity, ())).following


async def test_following_an_unknown_campaign_writes_nothing(
    db: FakeDatabase, clock: FixedClock
) -> None:
    with pytest.raises(CampaignNotFound):
        await follow(db.unit_of_work(), clock, caller(1), 424242)
    assert db.state.backers == {}


async def test_follow_and_unfollow_return_the_campaign_as_its_backer_sees_it(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge_id = await pledged(db, clock, campaign, 1, 2_000)
    await apply(db, clock, pledge_id, OutcomeKind.PAID)

    followed = await follow(db.unit_of_work(), clock, caller(1), campaign.id)
    unfollowed = await unfollow(db.unit_of_work(), caller(1), campaign.id)

    assert (followed.following, unfollowed.following) == (True, False)
    assert followed.backed is not None
    assert followed.backed.id == pledge_id
    assert unfollowed.backed == followed.backed
