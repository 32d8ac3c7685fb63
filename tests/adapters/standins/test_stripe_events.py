"""The events list, Backit's source for reconciling missed webhooks."""

from __future__ import annotations

from datetime import timedelta

import pytest
import stripe

from adapters.standins.stripe import StripeStandin
from tests.adapters.standins.conftest import WebhookReceiver, payment_session
from tests.stripe_standin_fixtures import MovableClock


async def paid_session(client: stripe.StripeClient, standin: StripeStandin) -> str:
    """The id of a session paid by card."""
    session = await client.v1.checkout.sessions.create_async(payment_session())
    await standin.pay(session.id)
    return session.id


async def test_every_change_is_an_event_with_a_snapshot(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    session_id = await paid_session(stripe_client, stripe_standin)

    events = await stripe_client.v1.events.list_async()
    completed = next(e for e in events.data if e.type == "checkout.session.completed")
    read = await stripe_client.v1.events.retrieve_async(completed.id)

    assert [e.type for e in events.data] == [
        "checkout.session.completed",
        "payment_intent.succeeded",
        "charge.succeeded",
        "payment_intent.created",
    ]
    assert (events.to_dict()["object"], events.url) == ("list", "/v1/events")
    assert completed.id.startswith("evt_")
    assert completed.api_version == "2026-10-28.endive"
    assert completed.pending_webhooks == 0
    assert isinstance(read.data.object, stripe.checkout.Session)
    assert read.data.object.id == session_id
    assert read.data.object.status == "complete"


async def test_an_event_keeps_the_state_of_its_moment(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    await paid_session(stripe_client, stripe_standin)

    [created] = stripe_standin.events("payment_intent.created")
    [succeeded] = stripe_standin.events("payment_intent.succeeded")

    assert created["data"]["object"]["status"] == "requires_confirmation"
    assert succeeded["data"]["object"]["status"] == "succeeded"


async def test_events_are_filtered_by_type_types_and_wildcard(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    await paid_session(stripe_client, stripe_standin)
    events = stripe_client.v1.events

    by_type = await events.list_async({"type": "charge.succeeded"})
    by_types = await events.list_async({"types": ["charge.succeeded", "payment_intent.created"]})
    by_wildcard = await events.list_async({"type": "payment_intent.*"})

    assert [e.type for e in by_type.data] == ["charge.succeeded"]
    assert [e.type for e in by_types.data] == ["charge.succeeded", "payment_intent.created"]
    assert [e.type for e in by_wildcard.data] == [
        "payment_intent.succeeded",
        "payment_intent.created",
    ]
    with pytest.raises(stripe.InvalidRequestError):
        await events.list_async({"type": "charge.succeeded", "types": ["charge.succeeded"]})


async def test_events_are_filtered_by_creation_time_and_paged(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    await paid_session(stripe_client, stripe_standin)
    stripe_clock.advance(timedelta(hours=1))
    since = int(stripe_clock().timestamp())
    await paid_session(stripe_client, stripe_standin)
    events = stripe_client.v1.events

    recent = await events.list_async({"created": {"gte": since}})
    first = await events.list_async({"limit": 3})
    rest = await events.list_async({"limit": 10, "starting_after": first.data[-1].id})

    assert len(recent.data) == 4
    assert all(e.created >= since for e in recent.data)
    assert first.has_more is True
    assert len(rest.data) == 5
    assert rest.has_more is False


async def test_undelivered_events_are_listed_for_reconciliation(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    webhook_receiver: WebhookReceiver,
) -> None:
    stripe_standin.drop_webhooks(lambda event: event["type"] == "checkout.session.completed")

    session_id = await paid_session(stripe_client, stripe_standin)
    await stripe_standin.wait_for_deliveries()
    missed = await stripe_client.v1.events.list_async({"delivery_success": False})
    delivered = await stripe_client.v1.events.list_async({"delivery_success": True})

    assert [e.type for e in missed.data] == ["checkout.session.completed"]
    assert missed.data[0].pending_webhooks == 1
    assert isinstance(missed.data[0].data.object, stripe.checkout.Session)
    assert missed.data[0].data.object.id == session_id
    assert len(delivered.data) == 3
    assert "checkout.session.completed" not in webhook_receiver.types()


async def test_an_unknown_event_is_a_missing_resource(stripe_client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await stripe_client.v1.events.retrieve_async("evt_nope")

    assert missing.value.http_status == 404
