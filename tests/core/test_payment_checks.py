"""Reports about money other than a pledge's are kept as anomalies; old news changes nothing."""

from __future__ import annotations

import copy

import pytest

from core.campaigns import Campaign
from core.payments import (
    CheckoutMode,
    OutcomeKind,
    PaymentAnomaly,
    PaymentOutcome,
    PaymentRefs,
    ReportedTerms,
)
from core.pledges import PledgeStatus
from core.usecases.payments import apply_payment_outcome
from tests.core.conftest import apply, pledged
from tests.fakes import FakeDatabase, FixedClock, State

PAYMENT = ReportedTerms(5_000, "EUR", CheckoutMode.PAYMENT)
SETUP = ReportedTerms(None, "EUR", CheckoutMode.SETUP)


async def report(
    db: FakeDatabase,
    clock: FixedClock,
    pledge_id: int,
    kind: OutcomeKind,
    terms: ReportedTerms | None,
    refunded_total: int = 0,
    /,
    **refs: str,
) -> str | None:
    """Apply a provider's report as a webhook brings it; the anomaly it was recorded as."""
    outcome = PaymentOutcome(
        pledge_id,
        kind,
        f"evt_{len(db.state.payment_events)}",
        refunded_total=refunded_total,
        refs=PaymentRefs(**refs),
        event_type="test.event",
        terms=terms,
    )
    return (await apply_payment_outcome(db.unit_of_work(), clock, outcome)).anomaly


def snapshot(db: FakeDatabase) -> tuple[object, ...]:
    """What a report must not change: pledges, totals, outbox."""
    state: State = db.state
    return copy.deepcopy((state.pledges, state.campaigns, state.outbox))


@pytest.mark.parametrize(
    ("kind", "terms", "refs", "reason"),
    [
        (
            OutcomeKind.PAID,
            ReportedTerms(1, "EUR", CheckoutMode.PAYMENT),
            {},
            "amount 1 EUR, expected 5000 EUR",
        ),
        (
            OutcomeKind.PAID,
            ReportedTerms(1, "GBP", CheckoutMode.PAYMENT),
            {"checkout_session_id": "cs_other"},
            "currency GBP, expected EUR",
        ),
        (OutcomeKind.PAID, ReportedTerms(5_000, None, None), {}, "currency nothing, expected EUR"),
        (
            OutcomeKind.PAID,
            ReportedTerms(None, "EUR", CheckoutMode.PAYMENT),
            {},
            ("amount nothing EUR, expected 5000 EUR"),
        ),
        (OutcomeKind.AUTHORIZED, SETUP, {}, "mode setup, expected payment"),
        (
            OutcomeKind.EXPIRED,
            PAYMENT,
            {"checkout_session_id": "cs_other"},
            ("checkout session cs_other, expected cs_mine"),
        ),
    ],
)
async def test_a_report_about_other_money_is_an_anomaly_and_changes_nothing(
    db: FakeDatabase,
    clock: FixedClock,
    campaign: Campaign,
    kind: OutcomeKind,
    terms: ReportedTerms,
    refs: dict[str, str],
    reason: str,
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 5_000)
    async with db.unit_of_work() as uow:
        await uow.pledges.set_payment_refs(pledge, checkout_session_id="cs_mine")
        await uow.commit()
    before = snapshot(db)

    anomaly = await report(db, clock, pledge, kind, terms, **refs)

    assert anomaly == reason
    assert snapshot(db) == before
    assert db.state.payment_anomalies == [
        PaymentAnomaly("evt_0", "test.event", pledge, reason, clock.now(), id=db.state.next_id)
    ]
    assert db.state.payment_events == {"evt_0"}


async def test_a_pledge_whose_page_is_not_yet_recorded_is_paid_on_the_right_amount(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 5_000)

    anomaly = await report(db, clock, pledge, OutcomeKind.PAID, PAYMENT, checkout_session_id="cs_1")

    assert anomaly is None
    assert db.state.pledges[pledge].status is PledgeStatus.PAID
    assert db.state.pledges[pledge].checkout_session_id == "cs_1"
    assert db.state.campaigns[campaign.id].raised == 5_000


async def test_all_or_nothing_saves_a_card_first_and_is_never_charged_on_a_page(
    db: FakeDatabase, clock: FixedClock, aon_campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, aon_campaign, 1, 5_000)

    charged = await report(db, clock, pledge, OutcomeKind.PAID, PAYMENT, checkout_session_id="cs_1")
    saved = await report(
        db, clock, pledge, OutcomeKind.AUTHORIZED, SETUP, checkout_session_id="cs_1"
    )

    assert charged == "mode payment, expected setup"
    assert saved is None
    assert db.state.pledges[pledge].status is PledgeStatus.AUTHORIZED


async def test_a_declined_pledge_is_paid_on_its_retry_page_with_a_new_intent(
    db: FakeDatabase, clock: FixedClock, aon_campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, aon_campaign, 1, 5_000)
    await report(db, clock, pledge, OutcomeKind.AUTHORIZED, SETUP, checkout_session_id="cs_card")
    # The deadline charge is declined, and the backer opens a retry page.
    await apply(db, clock, pledge, OutcomeKind.FAILED, refs=PaymentRefs(payment_intent_id="pi_1"))
    async with db.unit_of_work() as uow:
        await uow.pledges.set_payment_refs(pledge, checkout_session_id="cs_retry")
        await uow.commit()

    late_card = await report(
        db, clock, pledge, OutcomeKind.AUTHORIZED, SETUP, checkout_session_id="cs_card"
    )
    paid = await report(db, clock, pledge, OutcomeKind.PAID, PAYMENT, payment_intent_id="pi_2")
    late_decline = await report(
        db, clock, pledge, OutcomeKind.FAILED, PAYMENT, payment_intent_id="pi_1"
    )

    assert (late_card, paid, late_decline) == (None, None, None)
    stored = db.state.pledges[pledge]
    assert (stored.status, stored.checkout_session_id, stored.payment_intent_id) == (
        PledgeStatus.PAID,
        "cs_retry",
        "pi_2",
    )
    assert db.state.payment_anomalies == []


@pytest.mark.parametrize(
    ("terms", "refunded_total", "intent", "reason"),
    [
        (
            ReportedTerms(5_000, "USD", CheckoutMode.PAYMENT),
            5_000,
            "pi_1",
            ("currency USD, expected EUR"),
        ),
        (PAYMENT, 5_001, "pi_1", "refunded 5001, more than 5000"),
        (PAYMENT, 1_000, "pi_other", "payment intent pi_other, expected pi_1"),
    ],
)
async def test_a_refund_of_other_money_is_an_anomaly(
    db: FakeDatabase,
    clock: FixedClock,
    campaign: Campaign,
    terms: ReportedTerms,
    refunded_total: int,
    intent: str,
    reason: str,
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 5_000)
    await report(db, clock, pledge, OutcomeKind.PAID, PAYMENT, payment_intent_id="pi_1")
    before = snapshot(db)

    anomaly = await report(
        db, clock, pledge, OutcomeKind.REFUNDED, terms, refunded_total, payment_intent_id=intent
    )

    assert anomaly == reason
    assert snapshot(db) == before


async def test_a_partial_refund_of_the_pledge_lowers_the_total(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 5_000)
    await report(db, clock, pledge, OutcomeKind.PAID, PAYMENT, payment_intent_id="pi_1")

    anomaly = await report(
        db, clock, pledge, OutcomeKind.REFUNDED, PAYMENT, 1_000, payment_intent_id="pi_1"
    )

    assert anomaly is None
    assert db.state.campaigns[campaign.id].raised == 4_000


async def test_news_older_than_a_refund_writes_nothing(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 5_000)
    refs = {"checkout_session_id": "cs_1", "payment_intent_id": "pi_1", "customer_id": "cus_1"}
    await report(db, clock, pledge, OutcomeKind.PAID, PAYMENT, **refs)
    await report(db, clock, pledge, OutcomeKind.REFUNDED, PAYMENT, 5_000, payment_intent_id="pi_1")
    before = snapshot(db)

    late_payment = await report(
        db, clock, pledge, OutcomeKind.PAID, PAYMENT, **{**refs, "customer_id": "cus_2"}
    )
    late_refund = await report(
        db, clock, pledge, OutcomeKind.REFUNDED, PAYMENT, 5_000, **refs, shipping_address="Paris"
    )

    assert (late_payment, late_refund) == (None, None)
    assert snapshot(db) == before
    assert db.state.pledges[pledge].status is PledgeStatus.REFUNDED


async def test_a_reading_of_other_money_without_an_event_is_refused_and_not_kept(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 5_000)
    before = snapshot(db)
    # The success page, reloaded: what the provider's session says, read twice.
    page = PaymentOutcome(
        pledge, OutcomeKind.PAID, terms=ReportedTerms(1, "EUR", CheckoutMode.PAYMENT)
    )

    readings = [await apply_payment_outcome(db.unit_of_work(), clock, page) for _ in range(2)]

    assert [r.anomaly for r in readings] == ["amount 1 EUR, expected 5000 EUR"] * 2
    assert snapshot(db) == before
    assert db.state.payment_anomalies == []
