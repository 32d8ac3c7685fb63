"""Late pledges in SQL: the period and late prices, late pledges and their figures apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from adapters.storage import Database
from core.campaigns import Campaign, CampaignStatus
from core.errors import TierSoldOut
from core.identity import Caller
from core.money import Money
from core.payments import OutcomeKind, PaymentOutcome
from core.pledges import PledgeStatus
from core.ports import UnitOfWork
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from tests.adapters.storage.builders import NOW, a_backer, a_campaign, a_pledge, committed
from tests.fakes import FixedClock

LATER = NOW + timedelta(days=40)


async def successful(database: Database, **changes: Any) -> Campaign:
    """A campaign that reached its goal and closed, stored and committed."""
    campaign = a_campaign(
        status=CampaignStatus.SUCCESSFUL,
        starts_at=NOW - timedelta(days=30),
        ends_at=NOW - timedelta(days=1),
        **changes,
    )
    return await committed(database, lambda uow: uow.campaigns.add(campaign))


async def test_late_figures_prices_and_pledges_round_trip(database: Database) -> None:
    stored = await successful(database, late_until=LATER, late_raised=4_000, late_backers=2)
    tiers = [replace(stored.tiers[0], late_amount=Money(6_000, "EUR")), stored.tiers[1]]
    late = await successful(
        database, slug="desk", late_until=LATER, late_raised=4_000, late_backers=2, tiers=tiers
    )

    async def pledge(uow: UnitOfWork) -> int:
        backer = await uow.backers.add(a_backer())
        added = await uow.pledges.add(a_pledge(backer.id, late.id, late=True))
        assert added is not None
        return added.id

    pledge_id = await committed(database, pledge)
    async with database.unit_of_work() as uow:
        again = await uow.campaigns.get(late.id)
        pledge_again = await uow.pledges.get(pledge_id)
    assert again is not None
    assert (again.late_until, again.late_raised, again.late_backers) == (LATER, 4_000, 2)
    assert [t.late_amount for t in again.tiers] == [Money(6_000, "EUR"), None]
    assert pledge_again is not None
    assert pledge_again.late


async def test_late_pledges_open_only_on_a_successful_campaign_with_the_prices_given(
    database: Database,
) -> None:
    done = await successful(database)
    live = await committed(database, lambda uow: uow.campaigns.add(a_campaign("desk")))

    async def open_both(uow: UnitOfWork) -> tuple[bool, bool, bool]:
        first = await uow.campaigns.open_late(done.id, LATER, {done.tiers[0].id: 6_000})
        # Opening again replaces the prices: a tier left out is no longer offered late.
        again = await uow.campaigns.open_late(done.id, LATER, {done.tiers[1].id: 2_000})
        refused = await uow.campaigns.open_late(live.id, LATER, {live.tiers[0].id: 6_000})
        return first, again, refused

    assert await committed(database, open_both) == (True, True, False)
    async with database.unit_of_work() as uow:
        opened = await uow.campaigns.get(done.id)
        untouched = await uow.campaigns.get(live.id)
    assert opened is not None
    assert untouched is not None
    assert opened.late_until == LATER
    assert [t.late_amount for t in opened.tiers] == [None, Money(2_000, "EUR")]
    assert untouched.late_until is None
    assert all(t.late_amount is None for t in untouched.tiers)


async def test_late_figures_change_apart_from_the_total(database: Database) -> None:
    done = await successful(database)

    async def change(uow: UnitOfWork) -> tuple[int, int]:
        late = await uow.campaigns.change_total(done.id, 3_000, 1, late=True)
        return late.raised_after, late.backers_after

    assert await committed(database, change) == (3_000, 1)
    async with database.unit_of_work() as uow:
        stored = await uow.campaigns.get(done.id)
    assert stored is not None
    assert (stored.raised, stored.backers_count) == (done.raised, done.backers_count)
    assert (stored.late_raised, stored.late_backers) == (3_000, 1)


async def test_counted_pledges_are_told_late_or_not_and_the_chart_leaves_late_ones_out(
    database: Database,
) -> None:
    done = await successful(database)

    async def pledges(uow: UnitOfWork) -> tuple[int, int, int]:
        backer = await uow.backers.add(a_backer())
        during = await uow.pledges.add(a_pledge(backer.id, done.id, status=PledgeStatus.PAID))
        late = await uow.pledges.add(
            a_pledge(backer.id, done.id, status=PledgeStatus.PAID, late=True, link_key="late")
        )
        assert during is not None
        assert late is not None
        return backer.id, during.id, late.id

    backer_id, during_id, late_id = await committed(database, pledges)
    async with database.unit_of_work() as uow:
        assert await uow.pledges.counted_by(done.id, [backer_id]) == {backer_id: {during_id}}
        assert await uow.pledges.counted_by(done.id, [backer_id], late=True) == {
            backer_id: {late_id}
        }
        days = await uow.pledges.funding_days(done.id)
    assert sum(day.raised for day in days) == 2_500


async def test_a_late_pledge_paid_counts_apart_and_its_reward_is_never_oversold(
    database: Database,
) -> None:
    tiers = [replace(a_campaign().tiers[0], claimed=9, late_amount=Money(6_000, "EUR"))]
    done = await successful(database, late_until=LATER, tiers=tiers)
    clock = FixedClock(NOW)
    callers = [Caller(a_backer(str(n)).identity, f"Person {n}", "en") for n in (1, 2)]
    requests = [PledgeRequest(caller, done.id, done.tiers[0].id) for caller in callers]

    first = await start_pledge(database.unit_of_work(), clock, PledgeLimits(), requests[0])
    assert (first.late, first.amount) == (True, Money(6_000, "EUR"))
    await apply_payment_outcome(
        database.unit_of_work(), clock, PaymentOutcome(first.id, OutcomeKind.PAID)
    )
    async with database.unit_of_work() as uow:
        stored = await uow.campaigns.get(done.id)
    assert stored is not None
    assert (stored.raised, stored.backers_count) == (done.raised, done.backers_count)
    assert (stored.late_raised, stored.late_backers) == (6_000, 1)
    assert stored.tiers[0].sold_out
    with pytest.raises(TierSoldOut):
        await start_pledge(database.unit_of_work(), clock, PledgeLimits(), requests[1])
