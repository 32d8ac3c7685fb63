"""Late pledges: opened by a campaign's creator once it succeeded, paid at once, counted apart."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.campaigns import Campaign, CampaignStatus
from core.errors import (
    CampaignNotLive,
    CannotChange,
    DomainError,
    InvalidAmount,
    InvalidField,
    LatePledgesClosed,
    NotAllowed,
    NotOfferedLate,
    TierNotFound,
    WrongCurrency,
)
from core.i18n import use_locale
from core.money import Money
from core.payments import CheckoutMode, OutcomeKind, PaymentOutcome
from core.pledges import PledgeStatus, can_change
from core.usecases.changing import ChangeRequest, new_amount
from core.usecases.checkout import confirm_checkout
from core.usecases.closing import close_campaign
from core.usecases.late_pledges import late_campaign, late_days, open_late_pledges
from core.usecases.payments import apply_payment_outcomes
from core.usecases.pledging import PledgeLimits, PledgeRequest, offer_pledge, start_pledge
from tests.core.conftest import CREATOR, apply, caller, pledged
from tests.core.test_checkout import begin, link_for
from tests.fakes import FakeDatabase, FakeGateway, FixedClock

LIMITS = PledgeLimits(10_000)
OWNER = caller(int(CREATOR.user_id))


async def succeeded(db: FakeDatabase, clock: FixedClock, campaign: Campaign) -> Campaign:
    """The campaign funded by one backer and closed at its deadline."""
    await apply(db, clock, await pledged(db, clock, campaign, 1, 100_000), OutcomeKind.AUTHORIZED)
    clock.advance(campaign.ends_at - clock.now() + timedelta(minutes=1))
    closed = await close_campaign(db.unit_of_work(), clock, campaign.id)
    assert closed is not None
    assert closed.status is CampaignStatus.SUCCESSFUL
    return closed


async def opened(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign, days: int = 14, **prices: int
) -> Campaign:
    """Late pledges opened by the creator, a late price for each tier position named."""
    late = {
        campaign.tiers[int(position[1:])].id: Money(amount, "EUR")
        for position, amount in prices.items()
    }
    return await open_late_pledges(
        db.unit_of_work, clock, LIMITS, (), OWNER, campaign.id, days, late
    )


async def test_a_late_pledge_is_paid_at_once_at_the_late_price_and_counted_apart(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, aon_campaign: Campaign
) -> None:
    campaign = await succeeded(db, clock, aon_campaign)
    milestones = set(db.state.milestones)
    # Past the stretch goal (€1,500) if it were added to the total (€1,000), or counted alone.
    late = await opened(db, clock, campaign, t1=160_000)
    assert late.late_until == clock.now() + timedelta(days=14)
    tier = late.tiers[1]
    pledge_id, url = await begin(db, clock, gateway, await link_for(db, clock, late, 2, tier.id))
    request = gateway.requests[-1]
    assert (request.mode, request.amount) == (CheckoutMode.PAYMENT, Money(160_000, "EUR"))
    assert db.state.pledges[pledge_id].late
    assert url is not None
    session_id = next(iter(gateway.sessions))
    gateway.pay(session_id, OutcomeKind.PAID, payment_intent_id="pi_late")
    confirmed = await confirm_checkout(db.unit_of_work, clock, gateway, session_id)
    assert confirmed is not None
    assert (confirmed.pledge.status, confirmed.pledge.backer_number) == (PledgeStatus.PAID, None)
    stored = db.state.campaigns[campaign.id]
    assert (stored.raised, stored.backers_count) == (100_000, 1)
    assert (stored.late_raised, stored.late_backers) == (160_000, 1)
    assert db.state.milestones == milestones
    kinds = [m.notification.type for m in db.state.outbox if m.recipient.address == "2"]
    assert kinds == ["receipt"]
    assert not can_change(confirmed.pledge, stored, clock.now())
    # Nor changed or topped up: the campaign has ended.
    more = ChangeRequest(caller(2), pledge_id, None, Money(200_000, "EUR"))
    with pytest.raises(CannotChange):
        new_amount(confirmed.pledge, stored, more, LIMITS, clock.now())


async def test_a_reward_without_a_late_price_is_not_offered_late(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    late = await opened(db, clock, await succeeded(db, clock, campaign), t1=9_000)
    request = PledgeRequest(caller(2), late.id, late.tiers[0].id)
    with pytest.raises(NotOfferedLate):
        await start_pledge(db.unit_of_work(), clock, LIMITS, request)
    with pytest.raises(NotOfferedLate):
        await offer_pledge(db.unit_of_work, clock, caller(2), late.id, late.tiers[0].id)
    offered = await offer_pledge(db.unit_of_work, clock, caller(2), late.id, late.tiers[1].id)
    assert offered.tier == late.tiers[1]


async def test_a_late_pledge_is_refused_once_the_late_period_ends_naming_when(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    late = await opened(db, clock, await succeeded(db, clock, campaign), days=3, t1=9_000)
    clock.advance(timedelta(days=3))
    request = PledgeRequest(caller(2), late.id, late.tiers[1].id)
    with pytest.raises(LatePledgesClosed) as refused:
        await start_pledge(db.unit_of_work(), clock, LIMITS, request)
    with use_locale("en"):
        message = refused.value.user_message()
    assert (
        message == "Late pledges to “The Reading Lamp” closed on Dec 3, 2026 at 12:01\u202fPM UTC."
    )
    with use_locale("fr"):
        message_fr = refused.value.user_message()
    assert message_fr == (
        "Les contributions tardives à «\u00a0The Reading Lamp\u00a0» ont fermé le "
        "3 déc. 2026 à 12:01 UTC."
    )
    assert [p for p in db.state.pledges.values() if p.late] == []


async def test_a_successful_campaign_never_opened_late_takes_no_pledge(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    done = await succeeded(db, clock, campaign)
    with pytest.raises(CampaignNotLive) as refused:
        await start_pledge(db.unit_of_work(), clock, LIMITS, PledgeRequest(caller(2), done.id))
    assert not isinstance(refused.value, LatePledgesClosed)


async def test_opening_again_changes_the_period_and_the_prices(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    done = await succeeded(db, clock, campaign)
    await opened(db, clock, done, t0=6_000, t1=9_000)
    again = await opened(db, clock, done, days=30, t1=8_000)
    assert again.late_until == clock.now() + timedelta(days=30)
    assert [t.late_amount for t in again.tiers] == [None, Money(8_000, "EUR")]


async def test_only_the_creator_or_an_operator_opens_late_pledges(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    done = await succeeded(db, clock, campaign)
    prices = {done.tiers[1].id: Money(9_000, "EUR")}
    with pytest.raises(NotAllowed):
        await open_late_pledges(db.unit_of_work, clock, LIMITS, (), caller(5), done.id, 7, prices)
    operator = caller(6)
    await open_late_pledges(
        db.unit_of_work, clock, LIMITS, (operator.identity,), operator, done.id, 7, prices
    )
    assert db.state.campaigns[done.id].late_until is not None


async def test_a_campaign_that_has_not_succeeded_cannot_open_late_pledges(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    with pytest.raises(InvalidField):
        await late_campaign(db.unit_of_work, (), OWNER, campaign.id)
    with pytest.raises(InvalidField):
        await opened(db, clock, campaign, t1=9_000)
    assert db.state.campaigns[campaign.id].late_until is None


@pytest.mark.parametrize(
    ("days", "prices", "error"),
    [
        (0, {1: 9_000}, InvalidField),
        (91, {1: 9_000}, InvalidField),
        (7, {}, InvalidField),
        (7, {1: 0}, InvalidAmount),
        (7, {1: 1_000_001}, InvalidAmount),
    ],
)
async def test_a_period_or_a_late_price_out_of_bounds_is_refused_and_nothing_written(
    db: FakeDatabase,
    clock: FixedClock,
    campaign: Campaign,
    days: int,
    prices: dict[int, int],
    error: type[DomainError],
) -> None:
    done = await succeeded(db, clock, campaign)
    late = {done.tiers[position].id: Money(amount, "EUR") for position, amount in prices.items()}
    with pytest.raises(error):
        await open_late_pledges(db.unit_of_work, clock, LIMITS, (), OWNER, done.id, days, late)
    stored = db.state.campaigns[done.id]
    assert stored.late_until is None
    assert all(tier.late_amount is None for tier in stored.tiers)


async def test_a_late_price_for_another_reward_or_in_another_currency_is_refused(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    done = await succeeded(db, clock, campaign)
    with pytest.raises(TierNotFound):
        await open_late_pledges(
            db.unit_of_work, clock, LIMITS, (), OWNER, done.id, 7, {999: Money(9_000, "EUR")}
        )
    with pytest.raises(WrongCurrency):
        await open_late_pledges(
            db.unit_of_work,
            clock,
            LIMITS,
            (),
            OWNER,
            done.id,
            7,
            {done.tiers[1].id: Money(9_000, "USD")},
        )


@pytest.mark.parametrize("text", ["0", "91", "two", "-3", "1.5", "", "٣"])
def test_a_late_period_typed_must_be_whole_days_from_1_to_90(text: str) -> None:
    with pytest.raises(InvalidField):
        late_days(text)


def test_a_late_period_typed_is_read() -> None:
    assert late_days(" 30 ") == 30


async def test_refunds_of_a_late_pledge_come_off_the_late_figures_alone(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    late = await opened(db, clock, await succeeded(db, clock, campaign), t1=9_000)
    started = await start_pledge(
        db.unit_of_work(), clock, LIMITS, PledgeRequest(caller(2), late.id, late.tiers[1].id)
    )
    await apply(db, clock, started.id, OutcomeKind.PAID)
    await apply(db, clock, started.id, OutcomeKind.REFUNDED, refunded_total=4_000)
    stored = db.state.campaigns[late.id]
    assert (stored.raised, stored.backers_count) == (100_000, 1)
    assert (stored.late_raised, stored.late_backers) == (5_000, 1)
    await apply(db, clock, started.id, OutcomeKind.REFUNDED, refunded_total=9_000)
    stored = db.state.campaigns[late.id]
    assert (stored.raised, stored.backers_count) == (100_000, 1)
    assert (stored.late_raised, stored.late_backers) == (0, 0)


async def test_a_batch_of_payments_counts_late_pledges_apart_from_the_others(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    # Started before the deadline and paid after it, beside a late pledge paid at once.
    during = await pledged(db, clock, campaign, 3, 2_000)
    late = await opened(db, clock, await succeeded(db, clock, campaign), t1=9_000)
    after = await start_pledge(
        db.unit_of_work(), clock, LIMITS, PledgeRequest(caller(3), late.id, late.tiers[1].id)
    )
    outcomes = [
        PaymentOutcome(during, OutcomeKind.PAID),
        PaymentOutcome(after.id, OutcomeKind.PAID),
    ]
    applied = await apply_payment_outcomes(db.unit_of_work, clock, outcomes)
    assert all(not isinstance(result, Exception) for result in applied)
    stored = db.state.campaigns[late.id]
    assert (stored.raised, stored.backers_count) == (102_000, 2)
    assert (stored.late_raised, stored.late_backers) == (9_000, 1)
    assert [db.state.pledges[p].backer_number for p in (during, after.id)] == [2, None]
