"""Exporting backers: a campaign's creator and operators get the list, nobody else."""

from __future__ import annotations

import dataclasses

import pytest

from core.campaigns import Campaign
from core.errors import NotAllowed
from core.identity import Caller
from core.payments import OutcomeKind
from core.usecases.exporting import campaign_backers, export_backers
from tests.core.conftest import CREATOR, apply, caller, pledged
from tests.fakes import FakeDatabase, FixedClock


async def _backed(db: FakeDatabase, clock: FixedClock, campaign: Campaign) -> None:
    paid = await pledged(db, clock, campaign, 1, 2_500)
    await apply(db, clock, paid, OutcomeKind.PAID)
    pledge = db.state.pledges[paid]
    db.state.pledges[paid] = dataclasses.replace(pledge, shipping_address="1 rue Lamp\nParis")
    # A pledge that never got past checkout is nobody's backer yet.
    await pledged(db, clock, campaign, 2, 9_900)


async def test_the_creator_gets_the_backers_with_their_addresses_as_of_now(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await _backed(db, clock, campaign)

    export = await export_backers(
        db.unit_of_work, clock, (), Caller(CREATOR, "Ada", "en"), campaign.id
    )

    assert export.campaign.slug == "lamp"
    assert export.as_of == clock.now()
    assert [(r.name, r.amount, r.shipping_address) for r in export.rows] == [
        ("Person 1", 2_500, "1 rue Lamp\nParis")
    ]
    assert list(export.rows) == list(await campaign_backers(db.unit_of_work, "lamp"))


async def test_an_operator_may_export_and_anyone_else_is_refused(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await _backed(db, clock, campaign)
    operator = caller(77)

    by_operator = await export_backers(
        db.unit_of_work, clock, (operator.identity,), operator, campaign.id
    )

    assert len(by_operator.rows) == 1
    # A backer pressing a forged button learns nothing about the others.
    with pytest.raises(NotAllowed):
        await export_backers(db.unit_of_work, clock, (), caller(1), campaign.id)
