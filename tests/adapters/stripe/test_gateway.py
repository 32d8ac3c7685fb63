"""The Stripe gateway against the stand-in: checkout pages, saved cards, refunds and events."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import replace
from datetime import timedelta

import aiohttp
import pytest
import stripe

from adapters.standins.stripe import StripeStandin
from adapters.stripe.gateway import REQUEST_TIMEOUT, StripeGateway
from core.money import Money
from core.payments import (
    ChargeResult,
    CheckoutMode,
    CheckoutNotFound,
    CheckoutRequest,
    OutcomeKind,
    PaymentUnavailable,
)
from core.pledges import Pledge, PledgeStatus
from tests.payment_fixtures import DECLINES_LATER_CARD, GOOD_CARD, silent_stripe
from tests.stripe_standin_fixtures import API_KEY, MovableClock


def checkout(
    clock: MovableClock,
    mode: CheckoutMode = CheckoutMode.PAYMENT,
    pledge_id: int = 7,
    ship_to: tuple[str, ...] | None = None,
) -> CheckoutRequest:
    """What core asks for to open a €50 pledge's checkout page."""
    return CheckoutRequest(
        pledge_id=pledge_id,
        mode=mode,
        amount=Money(5_000, "EUR"),
        item_name="Early bird",
        item_description="The Lamp",
        submit_message=(
            "Your card will be charged €50.00 for “Early bird” of “The Lamp” only if it "
            "reaches its goal by 12 March 2027."
            if mode is CheckoutMode.SETUP
            else None
        ),
        success_url="https://backit.test/pledge/success?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="https://backit.test/pledge/cancel?session_id={CHECKOUT_SESSION_ID}",
        expires_at=clock() + timedelta(minutes=31),
        ship_to=ship_to,
        idempotency_key=f"backit-pledge-{pledge_id}-{mode}",
    )


async def saved_card_pledge(
    gateway: StripeGateway, standin: StripeStandin, clock: MovableClock, card: str, pledge_id: int
) -> Pledge:
    """An all-or-nothing pledge whose card was saved on a setup-mode checkout page."""
    session = await gateway.create_checkout(checkout(clock, CheckoutMode.SETUP, pledge_id))
    await standin.pay(session.id, card)
    outcome = await gateway.checkout_outcome(session.id)
    assert outcome is not None
    return Pledge(
        id=pledge_id,
        backer_id=1,
        campaign_id=1,
        tier_id=None,
        amount=Money(5_000, "EUR"),
        status=PledgeStatus.AUTHORIZED,
        created_at=clock(),
        updated_at=clock(),
        customer_id=outcome.refs.customer_id,
        payment_method_id=outcome.refs.payment_method_id,
    )


async def test_a_payment_page_asks_for_the_pledge_amount_and_names_the_pledge(
    stripe_gateway: StripeGateway,
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
    browser: aiohttp.ClientSession,
) -> None:
    request = checkout(stripe_clock)

    opened = await stripe_gateway.create_checkout(request)
    async with browser.get(opened.url) as page:
        shown = await page.text()
    await stripe_standin.pay(opened.id)
    session = await stripe_client.v1.checkout.sessions.retrieve_async(
        opened.id, {"expand": ["payment_intent"]}
    )

    assert opened.url == f"{stripe_standin.base_url}/checkout/{opened.id}"
    assert '<span class="item-name">Early bird × 1</span>' in shown
    assert '<span class="item-description">The Lamp</span>' in shown
    assert '<span class="item-amount">€50.00</span>' in shown
    assert session.custom_text.submit is None
    assert (session.mode, session.amount_total, session.currency) == ("payment", 5_000, "eur")
    assert session.to_dict()["metadata"] == {"pledge_id": "7"}
    assert session.client_reference_id == "7"
    assert session.expires_at == int(request.expires_at.timestamp())
    assert session.success_url == request.success_url
    assert session.cancel_url == request.cancel_url
    assert session.shipping_address_collection is None
    assert isinstance(session.payment_intent, stripe.PaymentIntent)
    assert session.payment_intent.to_dict()["metadata"] == {"pledge_id": "7"}
    assert isinstance(session.customer, str)


async def test_a_setup_page_saves_a_card_for_the_pledge_without_charging(
    stripe_gateway: StripeGateway, stripe_client: stripe.StripeClient, stripe_clock: MovableClock
) -> None:
    opened = await stripe_gateway.create_checkout(checkout(stripe_clock, CheckoutMode.SETUP))

    session = await stripe_client.v1.checkout.sessions.retrieve_async(opened.id)

    assert (session.mode, session.currency, session.amount_total) == ("setup", "eur", None)
    assert session.to_dict()["metadata"] == {"pledge_id": "7"}
    assert session.customer_creation == "always"


async def test_a_setup_page_says_beside_its_button_what_the_card_will_be_charged_for(
    stripe_gateway: StripeGateway,
    stripe_client: stripe.StripeClient,
    stripe_clock: MovableClock,
    browser: aiohttp.ClientSession,
) -> None:
    request = checkout(stripe_clock, CheckoutMode.SETUP)
    assert request.submit_message is not None

    opened = await stripe_gateway.create_checkout(request)
    session = await stripe_client.v1.checkout.sessions.retrieve_async(opened.id)
    async with browser.get(opened.url) as page:
        shown = await page.text()

    assert session.custom_text.submit is not None
    assert session.custom_text.submit.message == request.submit_message
    assert session.custom_text.after_submit is None
    assert "“Early bird” of “The Lamp” only if it reaches its goal by 12 March 2027.</p>" in shown


async def test_a_submit_message_longer_than_stripe_shows_is_shortened_not_refused(
    stripe_gateway: StripeGateway, stripe_client: stripe.StripeClient, stripe_clock: MovableClock
) -> None:
    request = replace(checkout(stripe_clock, CheckoutMode.SETUP), submit_message="x" * 1300)

    opened = await stripe_gateway.create_checkout(request)
    session = await stripe_client.v1.checkout.sessions.retrieve_async(opened.id)

    assert session.custom_text.submit is not None
    assert session.custom_text.submit.message == "x" * 1199 + "…"


async def test_a_reward_that_ships_collects_an_address_in_its_countries(
    stripe_gateway: StripeGateway, stripe_client: stripe.StripeClient, stripe_clock: MovableClock
) -> None:
    opened = await stripe_gateway.create_checkout(checkout(stripe_clock, ship_to=("FR", "BE")))

    session = await stripe_client.v1.checkout.sessions.retrieve_async(opened.id)

    assert session.shipping_address_collection is not None
    assert session.shipping_address_collection.allowed_countries == ["FR", "BE"]


async def test_the_same_request_twice_opens_one_page(
    stripe_gateway: StripeGateway, stripe_client: stripe.StripeClient, stripe_clock: MovableClock
) -> None:
    first = await stripe_gateway.create_checkout(checkout(stripe_clock))
    again = await stripe_gateway.create_checkout(checkout(stripe_clock))

    listed = await stripe_client.v1.checkout.sessions.list_async()

    assert again == first
    assert [session.id for session in listed.data] == [first.id]


async def test_a_session_reads_as_undecided_then_paid(
    stripe_gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    opened = await stripe_gateway.create_checkout(checkout(stripe_clock))
    before = await stripe_gateway.checkout_outcome(opened.id)
    await stripe_standin.pay(opened.id)

    after = await stripe_gateway.checkout_outcome(opened.id)

    assert before is None
    assert after is not None
    assert (after.pledge_id, after.kind, after.event_id) == (7, OutcomeKind.PAID, None)
    assert after.refs.checkout_session_id == opened.id


async def test_a_saved_card_reads_as_authorized_with_the_card_to_charge(
    stripe_gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    pledge = await saved_card_pledge(stripe_gateway, stripe_standin, stripe_clock, GOOD_CARD, 8)

    assert pledge.customer_id is not None
    assert pledge.customer_id.startswith("cus_")
    assert pledge.payment_method_id is not None
    assert pledge.payment_method_id.startswith("pm_")


async def test_only_a_page_that_can_still_be_paid_is_offered_again(
    stripe_gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    waiting = await stripe_gateway.create_checkout(checkout(stripe_clock, pledge_id=1))
    paid = await stripe_gateway.create_checkout(checkout(stripe_clock, pledge_id=2))
    expired = await stripe_gateway.create_checkout(checkout(stripe_clock, pledge_id=3))
    await stripe_standin.pay(paid.id)
    await stripe_gateway.expire_checkout(expired.id)

    offered = [
        await stripe_gateway.open_checkout(session.id) for session in (waiting, paid, expired)
    ]

    assert offered == [waiting, None, None]


async def test_expiring_closes_an_open_page_and_leaves_a_paid_one_alone(
    stripe_gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    open_page = await stripe_gateway.create_checkout(checkout(stripe_clock, pledge_id=1))
    paid_page = await stripe_gateway.create_checkout(checkout(stripe_clock, pledge_id=2))
    await stripe_standin.pay(paid_page.id)

    await stripe_gateway.expire_checkout(open_page.id)
    await stripe_gateway.expire_checkout(paid_page.id)

    expired = await stripe_gateway.checkout_outcome(open_page.id)
    paid = await stripe_gateway.checkout_outcome(paid_page.id)
    assert expired is not None
    assert expired.kind is OutcomeKind.EXPIRED
    assert paid is not None
    assert paid.kind is OutcomeKind.PAID


@pytest.mark.parametrize("session_id", ["cs_test_made_up", ""])
async def test_a_session_stripe_does_not_know_is_not_found(
    stripe_gateway: StripeGateway, session_id: str
) -> None:
    with pytest.raises(CheckoutNotFound):
        await stripe_gateway.checkout_outcome(session_id)
    with pytest.raises(CheckoutNotFound):
        await stripe_gateway.open_checkout(session_id)
    with pytest.raises(CheckoutNotFound):
        await stripe_gateway.expire_checkout(session_id)


async def test_a_saved_card_is_charged_once_per_key(
    stripe_gateway: StripeGateway,
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
) -> None:
    pledge = await saved_card_pledge(stripe_gateway, stripe_standin, stripe_clock, GOOD_CARD, 8)

    first = await stripe_gateway.charge_saved_card(pledge, "backit-pledge-8-charge")
    again = await stripe_gateway.charge_saved_card(pledge, "backit-pledge-8-charge")

    assert first.succeeded
    assert again == first
    assert first.payment_intent_id is not None
    intent = await stripe_client.v1.payment_intents.retrieve_async(first.payment_intent_id)
    assert (intent.amount, intent.currency, intent.customer) == (5_000, "eur", pledge.customer_id)
    assert intent.to_dict()["metadata"] == {"pledge_id": "8", "backit_purpose": "deadline_charge"}
    assert len(stripe_standin.events("payment_intent.succeeded")) == 1


async def test_a_declined_saved_card_is_reported_with_its_payment_intent(
    stripe_gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    pledge = await saved_card_pledge(
        stripe_gateway, stripe_standin, stripe_clock, DECLINES_LATER_CARD, 9
    )

    result = await stripe_gateway.charge_saved_card(pledge, "backit-pledge-9-charge")

    (failed,) = stripe_standin.events("payment_intent.payment_failed")
    assert result == ChargeResult(False, failed["data"]["object"]["id"], "card_declined")


async def test_a_refund_returns_what_is_left_of_the_payment(
    stripe_gateway: StripeGateway,
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
) -> None:
    pledge = await saved_card_pledge(stripe_gateway, stripe_standin, stripe_clock, GOOD_CARD, 8)
    charged = await stripe_gateway.charge_saved_card(pledge, "backit-pledge-8-charge")
    paid = replace(pledge, status=PledgeStatus.PAID, payment_intent_id=charged.payment_intent_id)
    await stripe_client.v1.refunds.create_async(
        {"payment_intent": charged.payment_intent_id or "", "amount": 1_000}
    )

    await stripe_gateway.refund(paid, "backit-pledge-8-refund")
    await stripe_gateway.refund(paid, "backit-pledge-8-refund")

    refunded = [event["data"]["object"] for event in stripe_standin.events("charge.refunded")]
    assert [charge["amount_refunded"] for charge in refunded] == [1_000, 5_000]


async def test_a_pledge_never_paid_cannot_be_refunded(
    stripe_gateway: StripeGateway, stripe_clock: MovableClock
) -> None:
    pledge = Pledge(
        7, 1, 1, None, Money(5_000, "EUR"), PledgeStatus.PAID, stripe_clock(), stripe_clock()
    )

    with pytest.raises(PaymentUnavailable):
        await stripe_gateway.refund(pledge, "backit-pledge-7-refund")


async def test_events_are_read_as_outcomes_and_unused_ones_are_ignored(
    stripe_gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    paid = await stripe_gateway.create_checkout(checkout(stripe_clock, pledge_id=1))
    await stripe_standin.pay(paid.id)
    saved = await saved_card_pledge(stripe_gateway, stripe_standin, stripe_clock, GOOD_CARD, 2)
    await stripe_gateway.charge_saved_card(saved, "backit-pledge-2-charge")
    declined = await saved_card_pledge(
        stripe_gateway, stripe_standin, stripe_clock, DECLINES_LATER_CARD, 3
    )
    await stripe_gateway.charge_saved_card(declined, "backit-pledge-3-charge")
    debit = await stripe_gateway.create_checkout(checkout(stripe_clock, pledge_id=4))
    await stripe_standin.pay_by_sepa_debit(debit.id)
    await stripe_standin.settle_sepa_debit(debit.id, succeeded=False)
    expired = await stripe_gateway.create_checkout(checkout(stripe_clock, pledge_id=5))
    await stripe_gateway.expire_checkout(expired.id)

    read = [
        (event["type"], await stripe_gateway.outcome_of_event(event))
        for event in stripe_standin.events()
    ]

    understood = [
        (kind, outcome.pledge_id, outcome.kind) for kind, outcome in read if outcome is not None
    ]
    assert understood == [
        ("payment_intent.succeeded", 1, OutcomeKind.PAID),
        ("checkout.session.completed", 1, OutcomeKind.PAID),
        ("checkout.session.completed", 2, OutcomeKind.AUTHORIZED),
        ("payment_intent.succeeded", 2, OutcomeKind.PAID),
        ("checkout.session.completed", 3, OutcomeKind.AUTHORIZED),
        ("payment_intent.payment_failed", 3, OutcomeKind.FAILED),
        ("checkout.session.async_payment_failed", 4, OutcomeKind.FAILED),
        ("checkout.session.expired", 5, OutcomeKind.EXPIRED),
    ]
    assert all(outcome is None or outcome.event_id is not None for _, outcome in read)
    ignored = {kind for kind, outcome in read if outcome is None}
    assert "customer.created" in ignored
    assert "charge.succeeded" in ignored


async def test_outcomes_since_a_moment_come_oldest_first(
    stripe_gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    early = await stripe_gateway.create_checkout(checkout(stripe_clock, pledge_id=1))
    await stripe_standin.pay(early.id)
    stripe_clock.advance(timedelta(minutes=5))
    since = stripe_clock()
    later = await stripe_gateway.create_checkout(checkout(stripe_clock, pledge_id=2))
    await stripe_standin.pay(later.id)
    stripe_clock.advance(timedelta(minutes=1))
    last = await stripe_gateway.create_checkout(checkout(stripe_clock, pledge_id=3))
    await stripe_gateway.expire_checkout(last.id)

    outcomes = [outcome async for outcome in stripe_gateway.outcomes_since(since)]

    assert [(o.pledge_id, o.kind) for o in outcomes] == [
        (2, OutcomeKind.PAID),
        (2, OutcomeKind.PAID),
        (3, OutcomeKind.EXPIRED),
    ]


async def test_a_page_stripe_refuses_to_make_is_unavailable_and_logged_in_one_line(
    stripe_gateway: StripeGateway, stripe_clock: MovableClock, caplog: pytest.LogCaptureFixture
) -> None:
    # Below Stripe's minimum charge: core never asks for one, but Stripe's rules may change.
    request = replace(checkout(stripe_clock), amount=Money(10, "EUR"))

    with pytest.raises(PaymentUnavailable):
        await stripe_gateway.create_checkout(request)

    (record,) = [r for r in caplog.records if r.name == "adapters.stripe.gateway"]
    assert (record.levelname, record.exc_info) == ("ERROR", None)
    assert "stripe refused to open a checkout page" in record.getMessage()


async def test_a_refused_key_makes_payments_unavailable(
    stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    gateway = StripeGateway("sk_test_not_the_key", stripe_standin.base_url)
    try:
        with pytest.raises(PaymentUnavailable):
            await gateway.create_checkout(checkout(stripe_clock))
    finally:
        await gateway.close()


async def test_an_unreachable_stripe_makes_payments_unavailable(
    stripe_clock: MovableClock,
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        gateway = StripeGateway(API_KEY, f"http://127.0.0.1:{unused.getsockname()[1]}")
        try:
            with pytest.raises(PaymentUnavailable):
                await gateway.checkout_outcome("cs_test_1")
        finally:
            await gateway.close()


async def test_a_stripe_that_never_answers_is_unavailable_after_the_timeout_and_two_retries(
    stripe_clock: MovableClock,
) -> None:
    async with silent_stripe() as (url, taken):
        gateway = StripeGateway(API_KEY, url, timeout=0.2)
        try:
            # A guard, not a measure: without a timeout the client would wait 80 s per try.
            async with asyncio.timeout(20):
                with pytest.raises(PaymentUnavailable):
                    await gateway.create_checkout(checkout(stripe_clock))
        finally:
            await gateway.close()

    assert len(taken) == 3
    assert REQUEST_TIMEOUT == 5


async def test_a_stripe_that_stops_halfway_through_its_answer_is_unavailable(
    stripe_clock: MovableClock,
) -> None:
    headers = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
    async with silent_stripe(headers) as (url, taken):
        gateway = StripeGateway(API_KEY, url, timeout=0.2)
        try:
            async with asyncio.timeout(20):
                with pytest.raises(PaymentUnavailable):
                    await gateway.checkout_outcome("cs_test_1")
        finally:
            await gateway.close()

    assert len(taken) == 3
