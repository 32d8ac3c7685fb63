"""Top-ups of paid pledges on a real database: one at checkout per pledge, applied once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from adapters.storage import Database
from core.campaigns import Campaign, FundingModel
from core.errors import CannotChange, TierSoldOut
from core.money import Money
from core.payments import OutcomeKind, PaymentOutcome
from core.pledge_links import TopUpLink
from core.pledges import Pledge, PledgeStatus
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeRequest, start_pledge
from core.usecases.topping_up import TopUpStart, start_top_up
from tests.adapters.storage.builders import NOW
from tests.adapters.storage.test_changing_pledges import LIMITS, all_or_nothing, caller, reload
from tests.fakes import FixedClock


async def flexible(database: Database, clock: FixedClock) -> Campaign:
    """A live flexible campaign: an open reward at €50, one unit of another at €75."""
    return await all_or_nothing(database, clock, FundingModel.FLEXIBLE)


async def paid(database: Database, clock: FixedClock, campaign: Campaign, user: int) -> Pledge:
    """A pledge for the first reward, paid."""
    request = PledgeRequest(caller(user), campaign.id, campaign.tiers[0].id)
    started = await start_pledge(database.unit_of_work(), clock, LIMITS, request)
    await apply_payment_outcome(
        database.unit_of_work(), clock, PaymentOutcome(started.id, OutcomeKind.PAID)
    )
    return started


def to_lamp(clock: FixedClock, pledge: Pledge, campaign: Campaign) -> TopUpLink:
    """A top-up link raising a pledge to the €75 Lamp."""
    return TopUpLink(pledge.id, campaign.tiers[1].id, None, clock.now() + timedelta(days=1))


async def stored(database: Database, pledge_id: int) -> Pledge:
    """A pledge as committed."""
    async with database.unit_of_work() as uow:
        found = await uow.pledges.get(pledge_id)
    assert found is not None
    return found


async def test_one_top_up_link_followed_ten_times_at_once_starts_one_top_up(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await flexible(database, clock)
    pledge = await paid(database, clock, campaign, 1)
    link = to_lamp(clock, pledge, campaign)

    starts = await asyncio.gather(
        *(start_top_up(database.unit_of_work, clock, LIMITS, link, "key") for _ in range(10))
    )

    assert all(isinstance(start, TopUpStart) for start in starts)
    assert sum(start.started for start in starts) == 1
    assert len({start.top_up.id for start in starts if start.top_up is not None}) == 1
    async with database.unit_of_work() as uow:
        (top_up,) = await uow.pledges.top_ups(pledge.id)
        # A top-up is part of its pledge: never listed as one, never a pledge at checkout.
        mine = await uow.pledges.of_backer(pledge.backer_id)
        at_checkout = await uow.pledges.at_checkout(pledge.backer_id, campaign.tiers[1].id)
    assert (top_up.tops_up, top_up.amount, top_up.status) == (
        pledge.id,
        Money(2_500, "EUR"),
        PledgeStatus.PENDING,
    )
    assert [p.id for p in mine] == [pledge.id]
    assert at_checkout is None
    held = await reload(database, campaign.id)
    assert [tier.claimed for tier in held.tiers] == [1, 1]
    assert held.raised == 5_000


async def test_two_links_for_one_pledge_at_once_leave_one_top_up_at_checkout(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await flexible(database, clock)
    pledge = await paid(database, clock, campaign, 1)
    more = TopUpLink(pledge.id, campaign.tiers[0].id, 9_000, clock.now() + timedelta(days=1))

    results = await asyncio.gather(
        start_top_up(database.unit_of_work, clock, LIMITS, to_lamp(clock, pledge, campaign), "a"),
        start_top_up(database.unit_of_work, clock, LIMITS, more, "b"),
        return_exceptions=True,
    )

    assert sorted(type(result).__name__ for result in results) == sorted(
        [TopUpStart.__name__, CannotChange.__name__]
    )
    async with database.unit_of_work() as uow:
        assert len(await uow.pledges.top_ups(pledge.id)) == 1


async def test_a_top_up_paid_and_reported_ten_times_at_once_raises_the_pledge_once(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await flexible(database, clock)
    pledge = await paid(database, clock, campaign, 1)
    start = await start_top_up(
        database.unit_of_work, clock, LIMITS, to_lamp(clock, pledge, campaign), "key"
    )
    assert start.top_up is not None
    top_up = start.top_up
    # The session's completion under one event id, and the intent's under another.
    outcomes = [
        PaymentOutcome(top_up.id, OutcomeKind.PAID, event_id=f"evt_{n % 2}") for n in range(10)
    ]

    results = await asyncio.gather(
        *(apply_payment_outcome(database.unit_of_work(), clock, o) for o in outcomes)
    )

    assert sum(result.changed for result in results) == 1
    raised = await stored(database, pledge.id)
    assert (raised.tier_id, raised.amount, raised.topped_up) == (
        campaign.tiers[1].id,
        Money(5_000, "EUR"),
        2_500,
    )
    assert (await stored(database, top_up.id)).tier_id is None
    after = await reload(database, campaign.id)
    assert [tier.claimed for tier in after.tiers] == [0, 1]
    assert (after.raised, after.backers_count) == (7_500, 1)


async def test_a_top_up_and_a_new_pledge_racing_for_the_last_unit_one_gets_it(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await flexible(database, clock)
    pledge = await paid(database, clock, campaign, 1)
    other = PledgeRequest(caller(2), campaign.id, campaign.tiers[1].id)

    results = await asyncio.gather(
        start_top_up(database.unit_of_work, clock, LIMITS, to_lamp(clock, pledge, campaign), "key"),
        start_pledge(database.unit_of_work(), clock, LIMITS, other),
        return_exceptions=True,
    )

    assert sum(isinstance(result, TierSoldOut) for result in results) == 1
    after = await reload(database, campaign.id)
    assert [tier.claimed for tier in after.tiers] == [1, 1]


async def test_a_refunded_top_up_takes_its_amount_back_from_the_pledge(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await flexible(database, clock)
    pledge = await paid(database, clock, campaign, 1)
    start = await start_top_up(
        database.unit_of_work, clock, LIMITS, to_lamp(clock, pledge, campaign), "key"
    )
    assert start.top_up is not None
    paid_top_up = PaymentOutcome(start.top_up.id, OutcomeKind.PAID)
    await apply_payment_outcome(database.unit_of_work(), clock, paid_top_up)

    refund = PaymentOutcome(start.top_up.id, OutcomeKind.REFUNDED, refunded_total=2_500)
    await apply_payment_outcome(database.unit_of_work(), clock, refund)

    assert (await stored(database, pledge.id)).topped_up == 0
    after = await reload(database, campaign.id)
    assert (after.raised, after.backers_count) == (5_000, 1)
