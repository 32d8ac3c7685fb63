"""Stripe objects, as the stand-in really makes them, read as outcomes for pledges."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import stripe

from adapters.standins.stripe import StripeStandin
from adapters.stripe.outcomes import (
    DEADLINE_CHARGE,
    PURPOSE_KEY,
    async_payment_outcome,
    payment_intent_outcome,
    pledge_id_of,
    refund_outcome,
    session_outcome,
    shipping_address,
)
from core.payments import (
    CheckoutMode,
    MalformedEvent,
    OutcomeKind,
    PaymentOutcome,
    PaymentRefs,
    ReportedTerms,
)
from tests.stripe_standin_fixtures import MovableClock

PLEDGE = {"pledge_id": "7"}


def payment_session(clock: MovableClock, **changes: Any) -> dict[str, Any]:
    """A €50 payment-mode session for pledge 7, as the gateway opens one."""
    return {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 5_000,
                    "product_data": {"name": "The Lamp — Early bird"},
                },
                "quantity": 1,
            }
        ],
        "customer_creation": "always",
        "payment_intent_data": {"metadata": PLEDGE},
        "metadata": PLEDGE,
        "client_reference_id": "7",
        "success_url": "https://backit.test/ok?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://backit.test/cancel",
        "expires_at": int((clock() + timedelta(minutes=31)).timestamp()),
        **changes,
    }


async def created(client: stripe.StripeClient, params: dict[str, Any]) -> str:
    """The id of a new session."""
    session = await client.v1.checkout.sessions.create_async(params)  # type: ignore[arg-type]
    return session.id


async def read(client: stripe.StripeClient, session_id: str) -> dict[str, Any]:
    """A session as the gateway reads it: its setup intent expanded."""
    session = await client.v1.checkout.sessions.retrieve_async(
        session_id, {"expand": ["setup_intent"]}
    )
    return session.to_dict()


async def test_an_open_session_says_nothing_yet(
    stripe_client: stripe.StripeClient, stripe_clock: MovableClock
) -> None:
    session_id = await created(stripe_client, payment_session(stripe_clock))

    assert session_outcome(await read(stripe_client, session_id)) is None


async def test_a_paid_session_is_a_payment_with_its_references(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
) -> None:
    session_id = await created(stripe_client, payment_session(stripe_clock))
    await stripe_standin.pay(session_id)
    session = await read(stripe_client, session_id)

    outcome = session_outcome(session, "evt_1")

    assert outcome == PaymentOutcome(
        7,
        OutcomeKind.PAID,
        "evt_1",
        refs=PaymentRefs(
            checkout_session_id=session_id,
            payment_intent_id=session["payment_intent"],
            customer_id=session["customer"],
        ),
        terms=ReportedTerms(5_000, "EUR", CheckoutMode.PAYMENT),
    )
    assert session["payment_intent"].startswith("pi_")
    assert session["customer"].startswith("cus_")


async def test_a_saved_card_is_an_authorization_naming_the_card_and_customer(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
) -> None:
    params = payment_session(stripe_clock, mode="setup", currency="eur")
    del params["line_items"], params["payment_intent_data"]
    session_id = await created(stripe_client, {**params, "setup_intent_data": {"metadata": PLEDGE}})
    await stripe_standin.pay(session_id, "4000 0000 0000 0341")

    outcome = session_outcome(await read(stripe_client, session_id))

    assert outcome is not None
    assert outcome.kind is OutcomeKind.AUTHORIZED
    assert outcome.refs.payment_method_id is not None
    assert outcome.refs.payment_method_id.startswith("pm_")
    assert outcome.refs.customer_id is not None
    assert outcome.refs.payment_intent_id is None


async def test_an_expired_session_is_an_expiry(
    stripe_client: stripe.StripeClient, stripe_clock: MovableClock
) -> None:
    session_id = await created(stripe_client, payment_session(stripe_clock))
    await stripe_client.v1.checkout.sessions.expire_async(session_id)

    outcome = session_outcome(await read(stripe_client, session_id))

    assert outcome is not None
    assert (outcome.pledge_id, outcome.kind) == (7, OutcomeKind.EXPIRED)


async def test_a_debit_still_settling_says_nothing_yet(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
) -> None:
    session_id = await created(stripe_client, payment_session(stripe_clock))
    await stripe_standin.pay_by_sepa_debit(session_id)

    session = await read(stripe_client, session_id)

    assert (session["status"], session["payment_status"]) == ("complete", "unpaid")
    assert session_outcome(session) is None


async def test_a_settled_debit_is_a_payment_with_the_references_its_completion_lacked(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
) -> None:
    params = payment_session(
        stripe_clock, shipping_address_collection={"allowed_countries": ["FR"]}
    )
    session_id = await created(stripe_client, params)
    await stripe_standin.pay_by_sepa_debit(
        session_id, line1="12 rue des Lilas", postal_code="69001", city="Lyon", country="FR"
    )
    await stripe_standin.settle_sepa_debit(session_id)
    event = stripe_standin.events("checkout.session.async_payment_succeeded")[0]
    session = event["data"]["object"]

    outcome = async_payment_outcome(session, True, event["id"])

    assert outcome == PaymentOutcome(
        7,
        OutcomeKind.PAID,
        event["id"],
        refs=PaymentRefs(
            checkout_session_id=session_id,
            payment_intent_id=session["payment_intent"],
            customer_id=session["customer"],
            shipping_address="Test Backer\n12 rue des Lilas\n69001 Lyon\nFR",
        ),
        terms=ReportedTerms(5_000, "EUR", CheckoutMode.PAYMENT),
    )
    failed = async_payment_outcome(session, False, event["id"])
    assert failed is not None
    assert failed.kind is OutcomeKind.FAILED


async def test_a_session_of_someone_else_is_not_about_a_pledge(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
) -> None:
    params = payment_session(stripe_clock, metadata={"order": "A-1"})
    del params["client_reference_id"]
    session_id = await created(stripe_client, params)
    await stripe_standin.pay(session_id)

    assert session_outcome(await read(stripe_client, session_id)) is None


async def test_the_shipping_address_is_written_as_on_a_parcel(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
) -> None:
    params = payment_session(
        stripe_clock, shipping_address_collection={"allowed_countries": ["FR", "BE"]}
    )
    session_id = await created(stripe_client, params)
    await stripe_standin.pay(
        session_id,
        shipping_name="Ada Lovelace",
        line1="12 rue des Lilas",
        line2="Bâtiment B",
        postal_code="69001",
        city="Lyon",
        country="FR",
    )
    session = await read(stripe_client, session_id)

    assert shipping_address(session) == (
        "Ada Lovelace\n12 rue des Lilas\nBâtiment B\n69001 Lyon\nFR"
    )
    outcome = session_outcome(session)
    assert outcome is not None
    assert outcome.refs.shipping_address == shipping_address(session)


async def test_only_a_declined_deadline_charge_fails_a_pledge(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
) -> None:
    session_id = await created(stripe_client, payment_session(stripe_clock))
    await stripe_standin.pay(session_id)
    intent = (await read(stripe_client, session_id))["payment_intent"]
    read_intent = await stripe_client.v1.payment_intents.retrieve_async(intent)
    on_the_page = read_intent.to_dict()
    at_the_deadline = {**on_the_page, "metadata": {**PLEDGE, PURPOSE_KEY: DEADLINE_CHARGE}}

    paid = payment_intent_outcome(on_the_page, OutcomeKind.PAID, "evt_2")

    assert paid == PaymentOutcome(
        7,
        OutcomeKind.PAID,
        "evt_2",
        refs=PaymentRefs(payment_intent_id=intent),
        terms=ReportedTerms(5_000, "EUR", CheckoutMode.PAYMENT),
    )
    assert payment_intent_outcome(on_the_page, OutcomeKind.FAILED, "evt_3") is None
    failed = payment_intent_outcome(at_the_deadline, OutcomeKind.FAILED, "evt_4")
    assert failed is not None
    assert failed.kind is OutcomeKind.FAILED


async def test_refunds_are_read_as_the_cumulative_amount_refunded(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
) -> None:
    session_id = await created(stripe_client, payment_session(stripe_clock))
    await stripe_standin.pay(session_id)
    intent = (await read(stripe_client, session_id))["payment_intent"]
    await stripe_client.v1.refunds.create_async({"payment_intent": intent, "amount": 1_000})
    await stripe_client.v1.refunds.create_async({"payment_intent": intent, "amount": 1_500})
    event = stripe_standin.events("charge.refunded")[-1]
    charge = event["data"]["object"]

    outcome = refund_outcome(charge, 7, event["id"])

    assert (outcome.kind, outcome.refunded_total) == (OutcomeKind.REFUNDED, 2_500)
    assert outcome.refs.payment_intent_id == intent
    assert pledge_id_of(charge) == 7


@pytest.mark.parametrize(
    ("obj", "pledge_id"),
    [
        ({"metadata": {"pledge_id": "12"}}, 12),
        ({"metadata": {}, "client_reference_id": "13"}, 13),
        ({"metadata": {"pledge_id": "x"}, "client_reference_id": None}, None),
        ({"metadata": None, "client_reference_id": "pledge-7"}, None),
        ({}, None),
    ],
)
def test_the_pledge_is_named_by_metadata_or_client_reference(
    obj: dict[str, Any], pledge_id: int | None
) -> None:
    assert pledge_id_of(obj) == pledge_id


@pytest.mark.parametrize(
    "obj",
    [
        {"metadata": {"pledge_id": "²"}},
        {"metadata": {"pledge_id": "0"}},
        {"metadata": {"pledge_id": str(2**63)}},
        {"metadata": {"pledge_id": str(2**70)}},
        {"metadata": {"pledge_id": "7" * 5_000}},
        {"metadata": {}, "client_reference_id": "٣"},
        {"metadata": {"pledge_id": 7}},
        {"metadata": ["pledge_id", "7"]},
    ],
)
def test_a_pledge_id_out_of_range_or_not_ascii_makes_the_event_malformed(
    obj: dict[str, Any],
) -> None:
    with pytest.raises(MalformedEvent):
        pledge_id_of(obj)


def test_the_largest_pledge_id_a_bigint_holds_is_read() -> None:
    assert pledge_id_of({"metadata": {"pledge_id": str(2**63 - 1)}}) == 2**63 - 1


def test_a_session_without_shipping_has_no_address() -> None:
    assert shipping_address({"collected_information": None, "shipping_details": None}) is None
