"""Webhooks: signed as Stripe signs them, in order, retried until the receiver answers 2xx."""

from __future__ import annotations

import json

import pytest
import stripe

from adapters.standins.stripe import StripeStandin
from tests.adapters.standins.conftest import WebhookReceiver, payment_session, setup_session
from tests.stripe_standin_fixtures import API_KEY, WEBHOOK_SECRET, client_of


async def test_a_webhook_verifies_with_the_secret(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    webhook_receiver: WebhookReceiver,
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    await stripe_standin.pay(session.id)

    body, signature = await webhook_receiver.wait_for("checkout.session.completed")
    event = stripe.Webhook.construct_event(body, signature, WEBHOOK_SECRET)

    assert event.type == "checkout.session.completed"
    assert isinstance(event.data.object, stripe.checkout.Session)
    assert event.data.object.id == session.id
    assert event.data.object.metadata is not None
    assert event.data.object.metadata["pledge_id"] == "7"
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, signature, "whsec_someone_else")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body.replace(b"7", b"8"), signature, WEBHOOK_SECRET)


async def test_webhooks_arrive_in_the_order_events_happened(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    webhook_receiver: WebhookReceiver,
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(setup_session())
    await stripe_standin.pay(session.id)

    await stripe_standin.wait_for_deliveries()

    assert webhook_receiver.types() == [e["type"] for e in stripe_standin.events()]


async def test_a_failing_receiver_gets_the_event_again_until_it_accepts(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    webhook_receiver: WebhookReceiver,
) -> None:
    webhook_receiver.failures = 2
    customer = await stripe_client.v1.customers.create_async({"email": "ada@example.com"})

    body, signature = await webhook_receiver.wait_for("customer.created")
    await stripe_standin.wait_for_deliveries()
    event = await stripe_client.v1.events.retrieve_async(json.loads(body)["id"])

    assert stripe.Webhook.construct_event(body, signature, WEBHOOK_SECRET).id == event.id
    assert customer.id in body.decode()
    assert webhook_receiver.attempts == 3
    [delivery] = stripe_standin.deliveries
    assert (delivery.status, delivery.attempts, delivery.last_response) == ("delivered", 3, 200)
    assert event.pending_webhooks == 0


async def test_a_receiver_that_never_accepts_leaves_the_event_undelivered(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    webhook_receiver: WebhookReceiver,
) -> None:
    webhook_receiver.failures = 100
    await stripe_client.v1.customers.create_async({"email": "ada@example.com"})

    await stripe_standin.wait_for_deliveries()
    missed = await stripe_client.v1.events.list_async({"delivery_success": False})

    [delivery] = stripe_standin.deliveries
    assert (delivery.status, delivery.attempts, delivery.last_response) == ("failed", 4, 500)
    assert [e.type for e in missed.data] == ["customer.created"]


async def test_an_unreachable_receiver_is_retried_then_given_up(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    stripe_standin.webhook_url = "http://127.0.0.1:9/nobody-listens"
    await stripe_client.v1.customers.create_async({"email": "ada@example.com"})

    await stripe_standin.wait_for_deliveries()

    [delivery] = stripe_standin.deliveries
    assert (delivery.status, delivery.attempts, delivery.last_response) == ("failed", 4, None)


async def lost_webhooks(receiver: WebhookReceiver, *, seed: int) -> list[int]:
    """Which of ten webhooks a stand-in losing half of them at random loses."""
    async with StripeStandin(
        api_key=API_KEY,
        webhook_secret=WEBHOOK_SECRET,
        webhook_url=receiver.url,
        webhook_drop_rate=0.5,
        seed=seed,
    ) as standin:
        async with client_of(standin) as client:
            for _ in range(10):
                await client.v1.customers.create_async({"email": "ada@example.com"})
        await standin.wait_for_deliveries()
        missed = [e["id"] for e in standin.events() if e["pending_webhooks"]]
        lost = [i for i, d in enumerate(standin.deliveries) if d.status == "dropped"]
        assert missed == [standin.deliveries[i].event_id for i in lost]
        return lost


async def test_a_seeded_drop_rate_loses_the_same_webhooks_every_run(
    webhook_receiver: WebhookReceiver,
) -> None:
    first = await lost_webhooks(webhook_receiver, seed=4)
    second = await lost_webhooks(webhook_receiver, seed=4)

    assert first == second
    assert 0 < len(first) < 10
    assert len(webhook_receiver.received) == 2 * (10 - len(first))


async def test_no_endpoint_means_nothing_pending(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    await stripe_client.v1.customers.create_async({"email": "ada@example.com"})

    missed = await stripe_client.v1.events.list_async({"delivery_success": False})

    assert missed.data == []
    assert stripe_standin.deliveries == []
