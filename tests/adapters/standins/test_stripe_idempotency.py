"""Idempotency keys: the first answer is replayed, a key reused for something else is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import stripe
from stripe.params import PaymentIntentCreateParams

from adapters.standins.stripe import StripeStandin
from adapters.standins.stripe.idempotency import IdempotencyKeys, SavedResponse
from tests.adapters.standins.conftest import payment_session, setup_session
from tests.stripe_standin_fixtures import MovableClock


async def test_the_same_key_and_parameters_replay_the_first_answer(
    stripe_client: stripe.StripeClient,
) -> None:
    sessions = stripe_client.v1.checkout.sessions

    first = await sessions.create_async(payment_session(), {"idempotency_key": "pledge-7"})
    again = await sessions.create_async(payment_session(), {"idempotency_key": "pledge-7"})
    listed = await sessions.list_async()

    assert again.id == first.id
    assert first.last_response is not None
    assert again.last_response is not None
    assert "Idempotent-Replayed" not in first.last_response.headers
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert again.last_response.headers["Original-Request"] == first.last_response.request_id
    assert [s.id for s in listed.data] == [first.id]


async def test_the_same_key_with_other_parameters_is_refused(
    stripe_client: stripe.StripeClient,
) -> None:
    sessions = stripe_client.v1.checkout.sessions
    await sessions.create_async(payment_session(), {"idempotency_key": "pledge-7"})

    with pytest.raises(stripe.IdempotencyError) as refused:
        await sessions.create_async(
            payment_session(metadata={"pledge_id": "8"}), {"idempotency_key": "pledge-7"}
        )

    assert refused.value.http_status == 400
    assert refused.value.error is not None
    assert refused.value.error.type == "idempotency_error"


async def test_the_same_key_on_another_endpoint_is_refused(
    stripe_client: stripe.StripeClient,
) -> None:
    await stripe_client.v1.customers.create_async({}, {"idempotency_key": "k"})

    with pytest.raises(stripe.IdempotencyError, match="same endpoint"):
        await stripe_client.v1.checkout.sessions.create_async(
            payment_session(), {"idempotency_key": "k"}
        )


async def test_a_declined_charge_is_replayed_without_charging_again(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(setup_session())
    await stripe_standin.pay(session.id, "4000000000000341")
    saved = await stripe_client.v1.checkout.sessions.retrieve_async(
        session.id, {"expand": ["setup_intent"]}
    )
    assert isinstance(saved.setup_intent, stripe.SetupIntent)
    assert isinstance(saved.customer, str)
    assert isinstance(saved.setup_intent.payment_method, str)
    charge: PaymentIntentCreateParams = {
        "amount": 2500,
        "currency": "eur",
        "customer": saved.customer,
        "payment_method": saved.setup_intent.payment_method,
        "off_session": True,
        "confirm": True,
    }

    declines = []
    for _ in range(2):
        with pytest.raises(stripe.CardError) as declined:
            await stripe_client.v1.payment_intents.create_async(charge, {"idempotency_key": "d"})
        declines.append(declined.value)

    assert declines[0].json_body == declines[1].json_body
    assert declines[1].headers is not None
    assert declines[1].headers["Idempotent-Replayed"] == "true"
    assert len(stripe_standin.events("payment_intent.created")) == 1


async def test_a_request_refused_for_its_parameters_can_be_retried_with_the_key(
    stripe_client: stripe.StripeClient,
) -> None:
    sessions = stripe_client.v1.checkout.sessions
    with pytest.raises(stripe.InvalidRequestError):
        await sessions.create_async(payment_session(mode=None), {"idempotency_key": "k"})

    created = await sessions.create_async(payment_session(), {"idempotency_key": "k"})

    assert created.status == "open"


async def test_a_key_is_forgotten_after_a_day(
    stripe_client: stripe.StripeClient, stripe_clock: MovableClock
) -> None:
    customers = stripe_client.v1.customers
    first = await customers.create_async({"name": "Ada"}, {"idempotency_key": "k"})

    stripe_clock.advance(timedelta(hours=24))
    later = await customers.create_async({"name": "Grace"}, {"idempotency_key": "k"})

    assert later.id != first.id


async def test_a_key_longer_than_255_characters_is_refused(
    stripe_client: stripe.StripeClient,
) -> None:
    with pytest.raises(stripe.InvalidRequestError):
        await stripe_client.v1.customers.create_async({}, {"idempotency_key": "k" * 256})


def test_keys_belong_to_one_api_key() -> None:
    keys = IdempotencyKeys()
    saved = SavedResponse("POST /v1/customers", {}, 200, b"{}", "req_1", saved_at=1000)
    keys.save("sk_test_a", "k", saved)

    assert keys.replay("sk_test_a", "k", "POST /v1/customers", {}, now=1001) == saved
    assert keys.replay("sk_test_b", "k", "POST /v1/refunds", {"x": "1"}, now=1001) is None
