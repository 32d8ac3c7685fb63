"""Checkout Sessions through the real stripe library: create, check, retrieve, list, expire."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import stripe
from stripe.params.checkout import SessionCreateParams

from adapters.standins.stripe import Paid, StripeStandin
from tests.adapters.standins.conftest import (
    CANCEL_URL,
    SUCCESS_URL,
    WebhookReceiver,
    payment_session,
    setup_session,
)
from tests.stripe_standin_fixtures import MovableClock


async def test_a_payment_session_opens_unpaid_with_a_hosted_page(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(
        payment_session(
            line_items=[
                {
                    "price_data": {
                        "currency": "eur",
                        "unit_amount": 2500,
                        "product_data": {"name": "Lamp"},
                    },
                    "quantity": 2,
                }
            ],
            shipping_address_collection={"allowed_countries": ["FR", "BE"]},
            payment_intent_data={"setup_future_usage": "off_session"},
            customer_creation="always",
        )
    )

    now = int(stripe_clock().timestamp())
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert (session.status, session.payment_status, session.mode) == ("open", "unpaid", "payment")
    assert (session.amount_total, session.currency) == (5000, "eur")
    assert session.url == f"{stripe_standin.base_url}/checkout/{session.id}"
    assert session.created == now
    assert session.expires_at == now + 24 * 3600
    assert session.livemode is False
    assert session.metadata is not None
    assert session.metadata.to_dict() == {"pledge_id": "7"}
    assert session.client_reference_id == "pledge-7"
    assert session.customer_creation == "always"
    assert session.success_url == SUCCESS_URL
    assert session.cancel_url == CANCEL_URL
    assert session.shipping_address_collection is not None
    assert session.shipping_address_collection.allowed_countries == ["FR", "BE"]
    assert session.payment_intent is None


async def test_a_setup_session_needs_no_payment(stripe_client: stripe.StripeClient) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(setup_session())

    assert (session.mode, session.status) == ("setup", "open")
    assert session.payment_status == "no_payment_required"
    assert (session.currency, session.amount_total) == ("eur", None)


async def test_custom_texts_are_kept_and_unset_sections_are_null(
    stripe_client: stripe.StripeClient,
) -> None:
    message = "Your card will be charged €79.00 only if the campaign reaches its goal."
    session = await stripe_client.v1.checkout.sessions.create_async(
        setup_session(
            custom_text={"submit": {"message": message}, "after_submit": "", "shipping_address": ""}
        )
    )

    assert session.custom_text.submit is not None
    assert session.custom_text.submit.message == message
    assert session.custom_text.to_dict()["after_submit"] is None
    assert session.custom_text.to_dict()["shipping_address"] is None
    assert session.custom_text.to_dict()["terms_of_service_acceptance"] is None


def line_item(**price: Any) -> list[dict[str, Any]]:
    """One line item whose price data is changed by `price`."""
    data = {"currency": "eur", "unit_amount": 2500, "product_data": {"name": "Lamp"}, **price}
    return [{"price_data": data, "quantity": 1}]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        (payment_session(mode=None), "mode"),
        (payment_session(mode="subscription"), "mode"),
        (payment_session(success_url=None), "success_url"),
        (payment_session(success_url="not a url"), "success_url"),
        (payment_session(line_items=None), "line_items"),
        (payment_session(line_items=line_item(unit_amount=0)), "unit_amount"),
        (payment_session(line_items=line_item(unit_amount=-5)), "unit_amount"),
        (payment_session(line_items=line_item(unit_amount="25.00")), "unit_amount"),
        (payment_session(line_items=line_item(currency=None)), "currency"),
        (payment_session(line_items=line_item(currency="xyz")), "currency"),
        (payment_session(line_items=line_item(product_data={"name": ""})), "name"),
        (payment_session(line_items=line_item(unit_amount=10)), "line_items"),
        (payment_session(line_items=[{"price": "price_123", "quantity": 1}]), "price"),
        (
            payment_session(line_items=[{"price_data": line_item()[0]["price_data"]}]),
            "line_items[0][quantity]",
        ),
        (setup_session(currency=None), "currency"),
        (setup_session(line_items=line_item()), "line_items"),
        (
            setup_session(payment_intent_data={"setup_future_usage": "off_session"}),
            "payment_intent_data",
        ),
        (payment_session(metadata={f"k{i}": "v" for i in range(51)}), "metadata"),
        (payment_session(metadata={"k" * 41: "v"}), "metadata"),
        (payment_session(metadata={"note": "v" * 501}), "metadata[note]"),
        (payment_session(client_reference_id="r" * 201), "client_reference_id"),
        (payment_session(customer_creation="sometimes"), "customer_creation"),
        (payment_session(customer="cus_missing"), "customer"),
        (
            payment_session(shipping_address_collection={"allowed_countries": ["XX"]}),
            "shipping_address_collection[allowed_countries][0]",
        ),
        (
            payment_session(payment_intent_data={"setup_future_usage": "forever"}),
            "payment_intent_data[setup_future_usage]",
        ),
        (payment_session(colour="blue"), "colour"),
        (
            payment_session(line_items=line_item(product_data={"name": "Lamp", "description": ""})),
            "line_items[0][price_data][product_data][description]",
        ),
        (
            payment_session(line_items=line_item(product_data={"name": "Lamp", "colour": "red"})),
            "line_items[0][price_data][product_data][colour]",
        ),
        (setup_session(custom_text={"submit": {"message": "m" * 1201}}), "custom_text[submit]"),
        (setup_session(custom_text={"submit": {"message": ""}}), "custom_text[submit][message]"),
        (setup_session(custom_text={"submit": "Pay"}), "custom_text[submit]"),
        (setup_session(custom_text={"footer": {"message": "m"}}), "custom_text[footer]"),
        (
            setup_session(custom_text={"submit": {"message": "m", "colour": "red"}}),
            "custom_text[submit][colour]",
        ),
        (
            setup_session(custom_text={"terms_of_service_acceptance": {"message": "m"}}),
            "custom_text[terms_of_service_acceptance]",
        ),
    ],
)
async def test_invalid_parameters_are_refused_naming_the_parameter(
    stripe_client: stripe.StripeClient, params: SessionCreateParams, param: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.checkout.sessions.create_async(params)

    assert refused.value.http_status == 400
    assert refused.value.param is not None
    assert param in refused.value.param


@pytest.mark.parametrize(
    ("lifetime", "accepted"),
    [
        (timedelta(minutes=29), False),
        (timedelta(minutes=30), True),
        (timedelta(hours=24), True),
        (timedelta(hours=24, seconds=1), False),
    ],
)
async def test_expires_at_must_be_between_half_an_hour_and_a_day_ahead(
    stripe_client: stripe.StripeClient,
    stripe_clock: MovableClock,
    lifetime: timedelta,
    accepted: bool,
) -> None:
    expires_at = int((stripe_clock() + lifetime).timestamp())
    create = stripe_client.v1.checkout.sessions.create_async(payment_session(expires_at=expires_at))

    if accepted:
        assert (await create).expires_at == expires_at
    else:
        with pytest.raises(stripe.InvalidRequestError) as refused:
            await create
        assert refused.value.param == "expires_at"


async def test_a_session_is_retrieved_with_its_intents_expanded(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    sessions = stripe_client.v1.checkout.sessions
    paying = await sessions.create_async(payment_session())
    saving = await sessions.create_async(setup_session())
    assert isinstance(await stripe_standin.pay(paying.id), Paid)
    assert isinstance(await stripe_standin.pay(saving.id), Paid)

    paid = await sessions.retrieve_async(paying.id, {"expand": ["payment_intent"]})
    saved = await sessions.retrieve_async(saving.id, {"expand": ["setup_intent.payment_method"]})

    assert isinstance(paid.payment_intent, stripe.PaymentIntent)
    assert paid.payment_intent.status == "succeeded"
    assert isinstance(saved.setup_intent, stripe.SetupIntent)
    assert isinstance(saved.setup_intent.payment_method, stripe.PaymentMethod)
    assert saved.setup_intent.payment_method.card is not None
    assert saved.setup_intent.payment_method.card.last4 == "4242"


async def test_an_unknown_session_is_a_missing_resource(stripe_client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await stripe_client.v1.checkout.sessions.retrieve_async("cs_test_nope")

    assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")


async def test_expanding_what_cannot_be_expanded_is_refused(
    stripe_client: stripe.StripeClient,
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.checkout.sessions.retrieve_async(session.id, {"expand": ["url"]})

    assert refused.value.param == "expand"


async def test_sessions_are_listed_newest_first_in_pages(
    stripe_client: stripe.StripeClient, stripe_clock: MovableClock
) -> None:
    sessions = stripe_client.v1.checkout.sessions
    old = await sessions.create_async(payment_session())
    stripe_clock.advance(timedelta(minutes=5))
    since = int(stripe_clock().timestamp())
    recent = [(await sessions.create_async(payment_session())).id for _ in range(3)]

    first = await sessions.list_async({"limit": 2})
    second = await sessions.list_async({"limit": 2, "starting_after": first.data[-1].id})
    created_since = await sessions.list_async({"created": {"gte": since}})
    paged = [s.id async for s in (await sessions.list_async({"limit": 1})).auto_paging_iter()]

    assert first.to_dict()["object"] == "list"
    assert (first.url, first.has_more) == ("/v1/checkout/sessions", True)
    assert [s.id for s in first.data] == recent[::-1][:2]
    assert [s.id for s in second.data] == [recent[0], old.id]
    assert second.has_more is False
    assert [s.id for s in created_since.data] == recent[::-1]
    assert paged == [*recent[::-1], old.id]


async def test_sessions_are_listed_by_status(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    sessions = stripe_client.v1.checkout.sessions
    paid = await sessions.create_async(payment_session())
    await sessions.create_async(payment_session())
    await stripe_standin.pay(paid.id)

    complete = await sessions.list_async({"status": "complete"})

    assert [s.id for s in complete.data] == [paid.id]


async def test_an_open_session_can_be_expired_once(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())

    expired = await stripe_client.v1.checkout.sessions.expire_async(session.id)
    with pytest.raises(stripe.InvalidRequestError):
        await stripe_client.v1.checkout.sessions.expire_async(session.id)

    assert (expired.status, expired.url) == ("expired", None)
    [event] = stripe_standin.events("checkout.session.expired")
    assert event["data"]["object"]["id"] == session.id
    assert event["request"]["id"] is not None


@pytest.mark.parametrize("sweep_interval", [3600.0])
async def test_a_session_past_its_expiry_is_expired_when_next_read(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())

    stripe_clock.advance(timedelta(hours=24))
    read = await stripe_client.v1.checkout.sessions.retrieve_async(session.id)

    assert read.status == "expired"
    [event] = stripe_standin.events("checkout.session.expired")
    assert event["request"] == {"id": None, "idempotency_key": None}


async def test_a_session_past_its_expiry_expires_without_being_asked(
    stripe_client: stripe.StripeClient,
    stripe_clock: MovableClock,
    webhook_receiver: WebhookReceiver,
) -> None:
    expires_at = int((stripe_clock() + timedelta(minutes=30)).timestamp())
    session = await stripe_client.v1.checkout.sessions.create_async(
        payment_session(expires_at=expires_at)
    )

    stripe_clock.advance(timedelta(minutes=30))
    body, _ = await webhook_receiver.wait_for("checkout.session.expired")

    assert session.id in body.decode()


async def test_an_expired_session_can_no_longer_be_paid(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    await stripe_client.v1.checkout.sessions.expire_async(session.id)

    outcome = await stripe_standin.pay(session.id)

    assert not isinstance(outcome, Paid)
    assert stripe_standin.events("checkout.session.completed") == []
