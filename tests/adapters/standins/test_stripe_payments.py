"""Customers, saved cards charged off-session, refunds and delayed debits, via the real library."""

from __future__ import annotations

from typing import Any, cast

import pytest
import stripe
from stripe.params import PaymentIntentCreateParams, RefundCreateParams

from adapters.standins.stripe import Paid, StripeStandin
from tests.adapters.standins.conftest import payment_session, setup_session


async def saved_card(
    client: stripe.StripeClient, standin: StripeStandin, card: str, **changes: Any
) -> stripe.SetupIntent:
    """A card saved through a setup-mode session, as an all-or-nothing pledge saves it."""
    session = await client.v1.checkout.sessions.create_async(setup_session(**changes))
    assert isinstance(await standin.pay(session.id, card, expiry="08 / 30"), Paid)
    paid = await client.v1.checkout.sessions.retrieve_async(
        session.id, {"expand": ["setup_intent"]}
    )
    assert isinstance(paid.setup_intent, stripe.SetupIntent)
    return paid.setup_intent


def charge_at_deadline(intent: stripe.SetupIntent, **changes: Any) -> PaymentIntentCreateParams:
    """The off-session charge Backit makes when a campaign is funded; changes may break it."""
    params: dict[str, Any] = {
        "amount": 2500,
        "currency": "eur",
        "customer": intent.customer,
        "payment_method": intent.payment_method,
        "off_session": True,
        "confirm": True,
        "metadata": {"pledge_id": "8"},
    }
    return cast("PaymentIntentCreateParams", {**params, **changes})


async def test_a_customer_is_created_and_retrieved(stripe_client: stripe.StripeClient) -> None:
    created = await stripe_client.v1.customers.create_async(
        {"email": "ada@example.com", "name": "Ada", "metadata": {"backer_id": "3"}}
    )
    read = await stripe_client.v1.customers.retrieve_async(created.id)

    assert created.id.startswith("cus_")
    assert read.metadata is not None
    assert (read.email, read.name, read.metadata.to_dict()) == (
        "ada@example.com",
        "Ada",
        {"backer_id": "3"},
    )


async def test_setup_mode_leaves_a_succeeded_intent_and_a_card_on_the_customer(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    intent = await saved_card(stripe_client, stripe_standin, "4242424242424242")

    read = await stripe_client.v1.setup_intents.retrieve_async(intent.id)
    assert isinstance(read.payment_method, str)
    card = await stripe_client.v1.payment_methods.retrieve_async(read.payment_method)

    assert intent.id.startswith("seti_")
    assert (read.status, read.usage) == ("succeeded", "off_session")
    assert card.id.startswith("pm_")
    assert card.customer == read.customer
    assert card.card is not None
    assert (card.card.brand, card.card.last4, card.card.exp_month, card.card.exp_year) == (
        "visa",
        "4242",
        8,
        2030,
    )


async def test_a_saved_card_is_charged_off_session(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    intent = await saved_card(stripe_client, stripe_standin, "4242 4242 4242 4242")

    payment = await stripe_client.v1.payment_intents.create_async(charge_at_deadline(intent))
    read = await stripe_client.v1.payment_intents.retrieve_async(
        payment.id, {"expand": ["latest_charge"]}
    )

    assert payment.id.startswith("pi_")
    assert (payment.status, payment.amount_received) == ("succeeded", 2500)
    assert payment.metadata.to_dict() == {"pledge_id": "8"}
    assert isinstance(read.latest_charge, stripe.Charge)
    assert read.latest_charge.id.startswith("ch_")
    assert (read.latest_charge.status, read.latest_charge.paid) == ("succeeded", True)
    [succeeded] = stripe_standin.events("payment_intent.succeeded")
    assert succeeded["data"]["object"]["id"] == payment.id


async def test_the_card_that_saves_then_declines_fails_at_the_deadline(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    intent = await saved_card(stripe_client, stripe_standin, "4000 0000 0000 0341")

    with pytest.raises(stripe.CardError) as declined:
        await stripe_client.v1.payment_intents.create_async(charge_at_deadline(intent))

    error = declined.value
    assert (error.http_status, error.code) == (402, "card_declined")
    assert error.error is not None
    assert error.error.decline_code == "generic_decline"
    assert error.error.payment_intent is not None
    failed = await stripe_client.v1.payment_intents.retrieve_async(error.error.payment_intent.id)
    assert failed.status == "requires_payment_method"
    assert failed.last_payment_error is not None
    assert failed.last_payment_error.decline_code == "generic_decline"
    [event] = stripe_standin.events("payment_intent.payment_failed")
    assert event["data"]["object"]["id"] == failed.id
    assert len(stripe_standin.events("charge.failed")) == 1


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"amount": None}, "amount"),
        ({"amount": 0}, "amount"),
        ({"amount": 10}, "amount"),
        ({"currency": "xyz"}, "currency"),
        ({"customer": "cus_missing"}, "customer"),
        ({"payment_method": "pm_missing"}, "payment_method"),
        ({"confirm": False}, "confirm"),
        ({"customer": None}, "customer"),
        ({"capture_method": "manual"}, "capture_method"),
    ],
)
async def test_an_off_session_charge_checks_its_parameters(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    changes: dict[str, Any],
    param: str,
) -> None:
    intent = await saved_card(stripe_client, stripe_standin, "4242424242424242")

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.payment_intents.create_async(charge_at_deadline(intent, **changes))

    assert refused.value.param == param


async def test_a_card_saved_without_a_customer_must_be_attached_to_be_reused(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    intent = await saved_card(
        stripe_client, stripe_standin, "4242424242424242", customer_creation=None
    )
    assert intent.customer is None
    assert isinstance(intent.payment_method, str)
    customer = await stripe_client.v1.customers.create_async({"email": "ada@example.com"})

    attached = await stripe_client.v1.payment_methods.attach_async(
        intent.payment_method, {"customer": customer.id}
    )
    first = await stripe_client.v1.payment_intents.create_async(
        charge_at_deadline(intent, customer=customer.id)
    )

    assert attached.customer == customer.id
    assert first.status == "succeeded"


async def test_a_card_used_once_without_a_customer_cannot_be_charged_again(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    await stripe_standin.pay(session.id)
    paid = await stripe_client.v1.checkout.sessions.retrieve_async(
        session.id, {"expand": ["payment_intent"]}
    )
    assert isinstance(paid.payment_intent, stripe.PaymentIntent)
    assert paid.payment_intent.metadata.to_dict() == {}
    assert isinstance(paid.payment_intent.payment_method, str)

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.payment_intents.create_async(
            {
                "amount": 2500,
                "currency": "eur",
                "payment_method": paid.payment_intent.payment_method,
                "confirm": True,
            }
        )

    assert refused.value.param == "payment_method"
    assert "may not be used again" in str(refused.value)


async def test_a_payment_saved_for_later_keeps_its_card_on_the_customer(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(
        payment_session(
            customer_creation="always",
            payment_intent_data={"setup_future_usage": "off_session", "metadata": {"tier": "2"}},
        )
    )
    await stripe_standin.pay(session.id)
    paid = await stripe_client.v1.checkout.sessions.retrieve_async(
        session.id, {"expand": ["payment_intent"]}
    )
    first = paid.payment_intent
    assert isinstance(first, stripe.PaymentIntent)
    assert isinstance(first.payment_method, str)
    assert isinstance(paid.customer, str)

    again = await stripe_client.v1.payment_intents.create_async(
        {
            "amount": 1000,
            "currency": "eur",
            "customer": paid.customer,
            "payment_method": first.payment_method,
            "off_session": True,
            "confirm": True,
        }
    )

    assert first.metadata.to_dict() == {"tier": "2"}
    assert first.setup_future_usage == "off_session"
    assert again.status == "succeeded"


async def test_a_charge_is_refunded_in_part_then_in_full(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    await stripe_standin.pay(session.id)
    paid = await stripe_client.v1.checkout.sessions.retrieve_async(session.id)
    assert isinstance(paid.payment_intent, str)

    part = await stripe_client.v1.refunds.create_async(
        {"payment_intent": paid.payment_intent, "amount": 1000}
    )
    assert isinstance(part.charge, str)
    after_part = await stripe_client.v1.charges.retrieve_async(part.charge)
    with pytest.raises(stripe.InvalidRequestError) as too_much:
        await stripe_client.v1.refunds.create_async({"charge": part.charge, "amount": 1501})
    rest = await stripe_client.v1.refunds.create_async({"charge": part.charge})
    after_all = await stripe_client.v1.charges.retrieve_async(part.charge)
    with pytest.raises(stripe.InvalidRequestError) as again:
        await stripe_client.v1.refunds.create_async({"payment_intent": paid.payment_intent})

    assert part.id.startswith("re_")
    assert (part.amount, part.status, part.payment_intent) == (
        1000,
        "succeeded",
        paid.payment_intent,
    )
    assert (after_part.amount_refunded, after_part.refunded) == (1000, False)
    assert too_much.value.param == "amount"
    assert rest.amount == 1500
    assert (after_all.amount_refunded, after_all.refunded) == (2500, True)
    assert again.value.code == "charge_already_refunded"
    refunded = stripe_standin.events("charge.refunded")
    assert [e["data"]["object"]["object"] for e in refunded] == ["charge", "charge"]
    assert [e["data"]["object"]["amount_refunded"] for e in refunded] == [1000, 2500]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({}, "payment_intent"),
        ({"payment_intent": "pi_missing"}, "payment_intent"),
        ({"charge": "ch_missing"}, "charge"),
        ({"charge": "ch_missing", "reason": "bored"}, "reason"),
    ],
)
async def test_a_refund_checks_its_parameters(
    stripe_client: stripe.StripeClient, params: RefundCreateParams, param: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.refunds.create_async(params)

    assert refused.value.param == param


@pytest.mark.parametrize(
    ("succeeded", "settled", "payment_status"),
    [
        (True, "checkout.session.async_payment_succeeded", "paid"),
        (False, "checkout.session.async_payment_failed", "unpaid"),
    ],
)
async def test_a_delayed_debit_completes_unpaid_then_settles(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    succeeded: bool,
    settled: str,
    payment_status: str,
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())

    await stripe_standin.pay_by_sepa_debit(session.id)
    completed = await stripe_client.v1.checkout.sessions.retrieve_async(session.id)
    await stripe_standin.settle_sepa_debit(session.id, succeeded=succeeded)
    after = await stripe_client.v1.checkout.sessions.retrieve_async(
        session.id, {"expand": ["payment_intent"]}
    )

    assert (completed.status, completed.payment_status) == ("complete", "unpaid")
    [completion] = stripe_standin.events("checkout.session.completed")
    assert completion["data"]["object"]["payment_status"] == "unpaid"
    [event] = stripe_standin.events(settled)
    assert event["data"]["object"]["payment_status"] == payment_status
    assert after.payment_status == payment_status
    assert isinstance(after.payment_intent, stripe.PaymentIntent)
    expected = "succeeded" if succeeded else "requires_payment_method"
    assert after.payment_intent.status == expected
    with pytest.raises(ValueError, match="no debit waiting"):
        await stripe_standin.settle_sepa_debit(session.id)


@pytest.mark.parametrize(
    ("test_method", "status"),
    [("pm_card_visa", "succeeded"), ("pm_card_chargeCustomerFail", "declined")],
)
async def test_stripes_test_payment_methods_attach_as_new_saved_cards(
    stripe_client: stripe.StripeClient, test_method: str, status: str
) -> None:
    customer = await stripe_client.v1.customers.create_async({"name": "Demo backer 1"})

    attached = await stripe_client.v1.payment_methods.attach_async(
        test_method, {"customer": customer.id}
    )
    again = await stripe_client.v1.payment_methods.attach_async(
        test_method, {"customer": customer.id}
    )
    charge: dict[str, Any] = {
        "amount": 2500,
        "currency": "eur",
        "customer": customer.id,
        "payment_method": attached.id,
        "off_session": True,
        "confirm": True,
    }
    try:
        intent = await stripe_client.v1.payment_intents.create_async(
            cast("PaymentIntentCreateParams", charge)
        )
        outcome = intent.status
    except stripe.CardError:
        outcome = "declined"

    assert attached.id.startswith("pm_")
    assert attached.id != test_method
    assert again.id != attached.id
    assert (attached.customer, attached.type) == (customer.id, "card")
    assert outcome == status


async def test_an_unknown_payment_method_is_still_no_such_object(
    stripe_client: stripe.StripeClient,
) -> None:
    customer = await stripe_client.v1.customers.create_async({"name": "Ada"})
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.payment_methods.attach_async(
            "pm_card_unknown", {"customer": customer.id}
        )
    assert refused.value.code == "resource_missing"
