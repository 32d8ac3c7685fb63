"""Ambassadors: creators see every link's results, others only their own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.campaigns import Campaign
from core.errors import CampaignNotFound, NotAllowed
from core.identity import Caller
from core.money import Money
from core.payments import OutcomeKind
from core.updates import CreatorUpdate, UpdateAudience
from core.usecases.ambassadors import ambassadors, dashboard, my_campaigns
from core.usecases.managing import create_campaign
from tests.core.conftest import CREATOR, apply, caller, draft, pledged
from tests.fakes import FakeDatabase, FixedClock


async def test_the_creator_sees_every_link_and_a_backer_only_theirs(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    for user in (1, 2):
        await apply(db, clock, await pledged(db, clock, campaign, user, 1_000), OutcomeKind.PAID)
    codes = {b.identity.user_id: b.referral_code for b in db.state.backers.values()}
    for user, code, amount in ((3, codes["1"], 2_000), (4, codes["1"], 500), (5, codes["2"], 700)):
        await apply(
            db, clock, await pledged(db, clock, campaign, user, amount, code), OutcomeKind.PAID
        )
    creator = Caller(CREATOR, "Ada", "en")
    report = await ambassadors(db.unit_of_work, (), creator, "lamp")
    assert report.full
    assert [(r.name, r.backers, r.amount) for r in report.rows] == [
        ("Person 1", 2, Money(2_500, "EUR")),
        ("Person 2", 1, Money(700, "EUR")),
    ]
    own = await ambassadors(db.unit_of_work, (), caller(2), "lamp")
    assert not own.full
    assert [(r.name, r.backers) for r in own.rows] == [("Person 2", 1)]
    assert own.referral_code == codes["2"]


async def test_someone_who_never_backed_gets_a_share_code_of_their_own(
    db: FakeDatabase, campaign: Campaign
) -> None:
    report = await ambassadors(db.unit_of_work, (), caller(8), "lamp")
    stranger = next(b for b in db.state.backers.values() if b.identity == caller(8).identity)
    assert (report.full, list(report.rows), report.referral_code) == (
        False,
        [],
        stranger.referral_code,
    )
    by_id = await ambassadors(db.unit_of_work, (), caller(8), campaign.id)
    assert by_id.referral_code == stranger.referral_code


async def test_a_dashboard_is_its_creators_and_operators_alone(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    async with db.unit_of_work() as uow:
        for n in range(4):
            at = clock.now() - timedelta(hours=4 - n)
            audience = UpdateAudience.BACKERS if n == 3 else UpdateAudience.EVERYONE
            await uow.updates.add(CreatorUpdate(0, campaign.id, CREATOR, f"U{n}", audience, at))
        await uow.commit()
    board = await dashboard(db.unit_of_work, (), Caller(CREATOR, "Ada", "en"), campaign.id)
    assert [u.text for u in board.latest_updates] == ["U3", "U2", "U1"]
    operator = caller(77)
    assert (await dashboard(db.unit_of_work, (operator.identity,), operator, campaign.id)).campaign
    with pytest.raises(NotAllowed):
        await dashboard(db.unit_of_work, (), caller(2), campaign.id)


async def test_a_creator_lists_their_campaigns(db: FakeDatabase, campaign: Campaign) -> None:
    mine = await my_campaigns(db.unit_of_work, Caller(CREATOR, "Ada", "en"))
    assert [s.campaign.slug for s in mine] == ["lamp"]
    assert await my_campaigns(db.unit_of_work, caller(9)) == []


async def test_a_drafts_ambassadors_are_not_found_by_others(
    db: FakeDatabase, clock: FixedClock
) -> None:
    await create_campaign(db.unit_of_work(), draft(clock, slug="kiln"))
    with pytest.raises(CampaignNotFound):
        await ambassadors(db.unit_of_work, (), caller(2), "kiln")
    report = await ambassadors(db.unit_of_work, (), Caller(CREATOR, "Ada", "en"), "kiln")
    assert (report.campaign.slug, report.full) == ("kiln", True)
