"""Creator updates: who may post, and who hears about it."""

from __future__ import annotations

import pytest

from core.campaigns import Campaign
from core.communities import Community
from core.errors import CampaignNotFound, InvalidField, NotAllowed, TextTooLong
from core.identity import Platform
from core.outbox import RecipientKind
from core.payments import OutcomeKind
from core.updates import UpdateAudience
from core.usecases.following import follow
from core.usecases.managing import create_campaign
from core.usecases.updating import (
    UpdateReach,
    campaign_to_update,
    post_update,
    update_reach,
)
from tests.core.conftest import CREATOR, apply, caller, draft, pledged
from tests.fakes import FakeDatabase, FixedClock


async def audience(db: FakeDatabase, clock: FixedClock, campaign: Campaign) -> None:
    """User 1 backed, user 2 follows, a Telegram group linked the campaign."""
    await apply(db, clock, await pledged(db, clock, campaign, 1, 1_000), OutcomeKind.PAID)
    await follow(db.unit_of_work(), clock, caller(2), campaign.id)
    async with db.unit_of_work() as uow:
        group = await uow.communities.save(Community(0, Platform.TELEGRAM, "-100", "Group"))
        await uow.communities.link(group.id, campaign.id)
        await uow.commit()


def update_recipients(db: FakeDatabase) -> list[tuple[RecipientKind, str]]:
    """Who was queued the update."""
    return sorted(
        (m.recipient.kind, m.recipient.address)
        for m in db.state.outbox
        if m.notification.type == "update"
    )


async def test_a_public_update_reaches_followers_backers_and_communities(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await audience(db, clock, campaign)
    posted = await post_update(
        db.unit_of_work(), clock, (), CREATOR, campaign.id, " Shipping! ", UpdateAudience.EVERYONE
    )
    assert posted.queued == 3
    assert posted.update.text == "Shipping!"
    assert update_recipients(db) == [
        (RecipientKind.CHANNEL, "-100"),
        (RecipientKind.USER, "1"),
        (RecipientKind.USER, "2"),
    ]


async def test_a_backers_only_update_skips_followers_and_communities(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await audience(db, clock, campaign)
    await post_update(
        db.unit_of_work(), clock, (), CREATOR, campaign.id, "For you", UpdateAudience.BACKERS
    )
    assert update_recipients(db) == [(RecipientKind.USER, "1")]


async def test_only_the_creator_or_an_operator_may_post(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    stranger, operator = caller(5).identity, caller(6).identity
    with pytest.raises(NotAllowed):
        await post_update(
            db.unit_of_work(), clock, (), stranger, campaign.id, "Hi", UpdateAudience.EVERYONE
        )
    assert db.state.updates == {}
    await post_update(
        db.unit_of_work(), clock, (operator,), operator, campaign.id, "Hi", UpdateAudience.EVERYONE
    )
    assert len(db.state.updates) == 1


@pytest.mark.parametrize(("text", "error"), [("   ", InvalidField), ("x" * 10_001, TextTooLong)])
async def test_empty_or_overlong_updates_are_refused(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign, text: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await post_update(
            db.unit_of_work(), clock, (), CREATOR, campaign.id, text, UpdateAudience.EVERYONE
        )
    assert db.state.updates == {}


async def test_the_author_is_checked_before_writing_anything(
    db: FakeDatabase, campaign: Campaign
) -> None:
    found = await campaign_to_update(db.unit_of_work, (), CREATOR, "lamp")
    assert found.id == campaign.id
    with pytest.raises(NotAllowed):
        await campaign_to_update(db.unit_of_work, (), caller(5).identity, "lamp")
    with pytest.raises(CampaignNotFound):
        await campaign_to_update(db.unit_of_work, (), CREATOR, "nope")


async def test_a_draft_is_missing_to_anyone_but_its_creators_and_the_operators(
    db: FakeDatabase, clock: FixedClock
) -> None:
    hidden = await create_campaign(db.unit_of_work(), draft(clock, slug="hidden"))
    stranger, operator = caller(5).identity, caller(6).identity

    with pytest.raises(CampaignNotFound):
        await campaign_to_update(db.unit_of_work, (), stranger, "hidden")
    with pytest.raises(CampaignNotFound):
        await post_update(
            db.unit_of_work(), clock, (), stranger, hidden.id, "Hi", UpdateAudience.EVERYONE
        )
    assert (await campaign_to_update(db.unit_of_work, (), CREATOR, "hidden")).id == hidden.id
    assert (await campaign_to_update(db.unit_of_work, (operator,), operator, "hidden")).id == (
        hidden.id
    )
    assert db.state.updates == {}


async def test_the_reach_before_sending_counts_whom_each_audience_would_queue(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    assert await update_reach(db.unit_of_work, campaign.id) == UpdateReach(0, 0)
    await audience(db, clock, campaign)
    reach = await update_reach(db.unit_of_work, campaign.id)
    # Backer 1, follower 2 and the linked group; backers only: backer 1.
    assert reach == UpdateReach(everyone=3, backers=1)

    posted = await post_update(
        db.unit_of_work(), clock, (), CREATOR, campaign.id, "News", UpdateAudience.EVERYONE
    )
    assert posted.queued == reach.of(UpdateAudience.EVERYONE)


async def test_a_campaign_picked_by_id_checks_the_author_as_a_typed_name_does(
    db: FakeDatabase, campaign: Campaign
) -> None:
    found = await campaign_to_update(db.unit_of_work, (), CREATOR, campaign.id)
    assert found.slug == "lamp"
    with pytest.raises(NotAllowed):
        await campaign_to_update(db.unit_of_work, (), caller(5).identity, campaign.id)
    with pytest.raises(CampaignNotFound):
        await campaign_to_update(db.unit_of_work, (), CREATOR, 999)


async def test_an_update_nobody_receives_has_no_delivery_report_to_follow(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    alone = await post_update(
        db.unit_of_work(), clock, (), CREATOR, campaign.id, "Hello?", UpdateAudience.BACKERS, "7"
    )
    assert alone.queued == 0
    assert alone.update.id not in db.state.report_due
    await audience(db, clock, campaign)
    heard = await post_update(
        db.unit_of_work(), clock, (), CREATOR, campaign.id, "Hi!", UpdateAudience.BACKERS, "7"
    )
    assert db.state.report_due[heard.update.id] == clock.now()
