"""After the deadline: charge, release or refund once; cancelling by backers and creators."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.campaigns import Campaign, CampaignStatus
from core.errors import CannotCancel, NotAllowed, PledgeNotFound
from core.payments import CheckoutMode, OutcomeKind, PaymentOutcome, PaymentRefs
from core.pledge_links import ExpiredLink, RetryLink
from core.pledges import PledgeStatus
from core.usecases.cancelling import cancel_campaign, cancel_pledge, pledge_to_cancel
from core.usecases.checkout import ReturnUrls, begin_retry
from core.usecases.closing import close_due_campaigns
from core.usecases.exporting import campaign_backers
from core.usecases.reconciling import reconcile
from core.usecases.settling import settle_due
from tests.core.conftest import CREATOR, apply, caller, pledged
from tests.fakes import FakeDatabase, FakeGateway, FixedClock

URLS = ReturnUrls("https://b.test/ok", lambda _: "https://b.test/back")


async def authorized(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign, user: int, amount: int
) -> int:
    """An all-or-nothing pledge whose card is saved."""
    pledge = await pledged(db, clock, campaign, user, amount)
    card = PaymentRefs(customer_id=f"cus_{user}", payment_method_id=f"pm_{user}")
    await apply(db, clock, pledge, OutcomeKind.AUTHORIZED, refs=card)
    return pledge


async def test_a_funded_campaign_charges_every_saved_card_once(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, aon_campaign: Campaign
) -> None:
    good = await authorized(db, clock, aon_campaign, 1, 80_000)
    declined = await authorized(db, clock, aon_campaign, 2, 30_000)
    gateway.declined_pledges.add(declined)
    clock.advance(timedelta(days=29))
    await close_due_campaigns(db.unit_of_work, clock)
    [settlement] = await settle_due(db.unit_of_work, clock, gateway)
    assert (settlement.charged, settlement.declined) == (1, 1)
    assert await settle_due(db.unit_of_work, clock, gateway) == []
    assert [key for _, key in gateway.charges] == [
        f"backit-pledge-{good}-charge",
        f"backit-pledge-{declined}-charge",
    ]
    assert db.state.pledges[good].status is PledgeStatus.PAID
    assert db.state.pledges[declined].status is PledgeStatus.FAILED
    assert db.state.campaigns[aon_campaign.id].raised == 80_000
    receipts = {
        m.notification.data["status"] for m in db.state.outbox if m.notification.type == "receipt"
    }
    assert "failed" in receipts


async def test_a_declined_backer_can_pay_with_another_card_for_seven_days(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, aon_campaign: Campaign
) -> None:
    await authorized(db, clock, aon_campaign, 1, 100_000)
    retried = await authorized(db, clock, aon_campaign, 2, 30_000)
    late = await authorized(db, clock, aon_campaign, 3, 10_000)
    gateway.declined_pledges.update({retried, late})
    clock.advance(timedelta(days=29))
    await close_due_campaigns(db.unit_of_work, clock)
    await settle_due(db.unit_of_work, clock, gateway)
    in_a_week = clock.now() + timedelta(days=7)
    start = await begin_retry(db.unit_of_work, clock, gateway, RetryLink(retried, in_a_week), URLS)
    assert start.checkout_url is not None
    assert gateway.requests[-1].amount.amount == 30_000
    await apply(db, clock, retried, OutcomeKind.PAID)
    assert db.state.campaigns[aon_campaign.id].raised == 130_000
    clock.advance(timedelta(days=8))
    with pytest.raises(ExpiredLink):
        await begin_retry(db.unit_of_work, clock, gateway, RetryLink(late, in_a_week), URLS)


async def test_a_retry_link_followed_again_goes_back_to_its_open_page(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, aon_campaign: Campaign
) -> None:
    await authorized(db, clock, aon_campaign, 1, 100_000)
    declined = await authorized(db, clock, aon_campaign, 2, 30_000)
    await apply(
        db,
        clock,
        declined,
        OutcomeKind.AUTHORIZED,
        refs=PaymentRefs(checkout_session_id="cs_saved_card", payment_method_id="pm_1"),
    )
    gateway.declined_pledges.add(declined)
    clock.advance(timedelta(days=29))
    await close_due_campaigns(db.unit_of_work, clock)
    await settle_due(db.unit_of_work, clock, gateway)
    link = RetryLink(declined, clock.now() + timedelta(days=7))

    first = await begin_retry(db.unit_of_work, clock, gateway, link, URLS)
    clock.advance(timedelta(minutes=5))
    again = await begin_retry(db.unit_of_work, clock, gateway, link, URLS)

    assert first.checkout_url is not None
    assert again.checkout_url == first.checkout_url
    assert [request.mode for request in gateway.requests] == [CheckoutMode.PAYMENT]
    assert db.state.pledges[declined].status is PledgeStatus.FAILED


async def test_a_missed_goal_charges_nobody(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, aon_campaign: Campaign
) -> None:
    pledge = await authorized(db, clock, aon_campaign, 1, 50_000)
    clock.advance(timedelta(days=29))
    await close_due_campaigns(db.unit_of_work, clock)
    [settlement] = await settle_due(db.unit_of_work, clock, gateway)
    assert settlement.released == 1
    assert gateway.charges == []
    assert db.state.pledges[pledge].status is PledgeStatus.CANCELLED
    assert db.state.campaigns[aon_campaign.id].status is CampaignStatus.FAILED


async def test_cancelling_a_flexible_campaign_refunds_every_payment(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    paid = await pledged(db, clock, campaign, 1, 10_000)
    await apply(db, clock, paid, OutcomeKind.PAID)
    with pytest.raises(NotAllowed):
        await cancel_campaign(db.unit_of_work, clock, gateway, (), caller(5).identity, "lamp")
    settlement = await cancel_campaign(db.unit_of_work, clock, gateway, (), CREATOR, "lamp")
    assert settlement.refunded == 1
    assert gateway.refunds == [(paid, f"backit-pledge-{paid}-refund")]
    assert db.state.pledges[paid].status is PledgeStatus.REFUNDED
    assert db.state.campaigns[campaign.id].raised == 0
    assert db.state.campaigns[campaign.id].status is CampaignStatus.CANCELLED


async def test_a_backer_cancels_a_paid_pledge_for_a_refund_and_the_reward_returns(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 10_000)
    await apply(db, clock, pledge, OutcomeKind.PAID)
    with pytest.raises(PledgeNotFound):
        await cancel_pledge(db.unit_of_work, clock, gateway, caller(2), pledge)
    cancelled = await cancel_pledge(db.unit_of_work, clock, gateway, caller(1), pledge)
    assert cancelled.status is PledgeStatus.REFUNDED
    assert db.state.campaigns[campaign.id].raised == 0


async def test_the_cancel_question_is_asked_only_of_the_owner_while_cancelling_is_allowed(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 1_200)
    await apply(db, clock, pledge, OutcomeKind.PAID)

    asked, of = await pledge_to_cancel(db.unit_of_work, clock, caller(1), pledge)
    assert (asked.id, asked.amount.amount, of.id) == (pledge, 1_200, campaign.id)
    with pytest.raises(PledgeNotFound):
        await pledge_to_cancel(db.unit_of_work, clock, caller(2), pledge)
    clock.advance(campaign.ends_at - clock.now() + timedelta(minutes=1))
    with pytest.raises(CannotCancel):
        await pledge_to_cancel(db.unit_of_work, clock, caller(1), pledge)
    assert db.state.pledges[pledge].status is PledgeStatus.PAID


async def test_an_authorized_pledge_is_released_not_refunded(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, aon_campaign: Campaign
) -> None:
    pledge = await authorized(db, clock, aon_campaign, 1, 10_000)
    cancelled = await cancel_pledge(db.unit_of_work, clock, gateway, caller(1), pledge)
    assert cancelled.status is PledgeStatus.CANCELLED
    assert gateway.refunds == []


async def test_in_the_last_day_nobody_may_pull_a_campaign_under_its_goal(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, aon_campaign: Campaign
) -> None:
    decisive = await authorized(db, clock, aon_campaign, 1, 60_000)
    spare = await authorized(db, clock, aon_campaign, 2, 50_000)
    await authorized(db, clock, aon_campaign, 3, 50_000)
    clock.advance(timedelta(days=28, hours=1))
    await cancel_pledge(db.unit_of_work, clock, gateway, caller(2), spare)
    with pytest.raises(CannotCancel):
        await cancel_pledge(db.unit_of_work, clock, gateway, caller(1), decisive)
    assert db.state.pledges[decisive].status is PledgeStatus.AUTHORIZED


async def test_reconcile_applies_what_was_missed_and_reports_it(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    first = await pledged(db, clock, campaign, 1, 10_000)
    second = await pledged(db, clock, campaign, 2, 20_000)
    await apply(db, clock, first, OutcomeKind.PAID)
    gateway.history = [
        PaymentOutcome(first, OutcomeKind.PAID),
        PaymentOutcome(second, OutcomeKind.PAID),
    ]
    result = await reconcile(db.unit_of_work, clock, gateway, clock.now() - timedelta(days=1))
    assert result.examined == 2
    assert [o.pledge_id for o in result.repaired] == [second]
    assert db.state.campaigns[campaign.id].raised == 30_000


async def test_the_backer_export_lists_real_backers_with_their_address(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    paid = await pledged(db, clock, campaign, 1, 10_000)
    await pledged(db, clock, campaign, 2, 10_000)  # never paid: not a backer
    await apply(
        db, clock, paid, OutcomeKind.PAID, refs=PaymentRefs(shipping_address="1 Rue X, Paris")
    )
    [row] = await campaign_backers(db.unit_of_work, "lamp")
    assert (row.name, row.platform, row.amount, row.status, row.shipping_address) == (
        "Person 1",
        "telegram",
        10_000,
        "paid",
        "1 Rue X, Paris",
    )


async def test_a_pledge_with_no_saved_card_fails_without_asking_the_provider(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, aon_campaign: Campaign
) -> None:
    await authorized(db, clock, aon_campaign, 1, 100_000)
    demo = await pledged(db, clock, aon_campaign, 2, 10_000)
    await apply(db, clock, demo, OutcomeKind.AUTHORIZED)
    clock.advance(timedelta(days=29))
    await close_due_campaigns(db.unit_of_work, clock)
    [settlement] = await settle_due(db.unit_of_work, clock, gateway)
    assert (settlement.charged, settlement.declined) == (1, 1)
    assert demo not in [pledge for pledge, _ in gateway.charges]
    assert db.state.pledges[demo].status is PledgeStatus.FAILED
