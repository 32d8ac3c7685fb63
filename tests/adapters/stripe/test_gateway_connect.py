"""The Stripe gateway's Connect side against the stand-in: creators' accounts, destination
charges, refunds that take the money back from the account, disputes, account events."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
import stripe

from adapters.standins.stripe import StripeStandin
from adapters.stripe.gateway import StripeGateway
from core.money import Money
from core.payments import CheckoutMode, MalformedEvent, OutcomeKind, PaymentUnavailable
from core.payouts import Destination, DisputeReport, DisputeState, fee_kept
from core.pledges import Pledge, PledgeStatus
from core.ports import PaymentGateway, PayoutGateway
from tests.adapters.stripe.test_gateway import checkout, saved_card_pledge
from tests.payment_fixtures import GOOD_CARD
from tests.stripe_standin_fixtures import API_KEY, MovableClock

DISPUTED_CARD = "4000 0000 0000 0259"
FEE = Money(250, "EUR")
REFRESH_URL = "https://backit.test/payouts/refresh"
RETURN_URL = "https://backit.test/payouts/done"


@pytest.fixture
async def gateway(
    stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> AsyncIterator[StripeGateway]:
    """The gateway on the stand-in's clock, so account states are dated by it."""
    gateway = StripeGateway(API_KEY, stripe_standin.base_url, clock=stripe_clock)
    yield gateway
    await gateway.close()


async def creator_account(gateway: StripeGateway, standin: StripeStandin) -> str:
    """A French creator's account, onboarded."""
    state = await gateway.create_account("FR", "backit-payout-account-1")
    await standin.complete_onboarding(state.account_id)
    return state.account_id


async def paid_to(
    gateway: StripeGateway,
    standin: StripeStandin,
    clock: MovableClock,
    destination: Destination,
    card: str = GOOD_CARD,
) -> str:
    """A €50 pledge paid on a checkout page to a creator's account: its PaymentIntent."""
    request = replace(checkout(clock), destination=destination)
    session = await gateway.create_checkout(request)
    await standin.pay(session.id, card)
    outcome = await gateway.checkout_outcome(session.id)
    assert outcome is not None
    assert outcome.refs.payment_intent_id is not None
    return outcome.refs.payment_intent_id


async def latest_charge(client: stripe.StripeClient, intent_id: str) -> stripe.Charge:
    """A PaymentIntent's charge."""
    intent = await client.v1.payment_intents.retrieve_async(
        intent_id, {"expand": ["latest_charge"]}
    )
    assert isinstance(intent.latest_charge, stripe.Charge)
    return intent.latest_charge


def paid_pledge(clock: MovableClock, intent_id: str, account_id: str | None) -> Pledge:
    """Pledge 7 of €50, paid by that PaymentIntent, to that account."""
    return Pledge(
        7,
        1,
        1,
        None,
        Money(5_000, "EUR"),
        PledgeStatus.PAID,
        clock(),
        clock(),
        payment_intent_id=intent_id,
        payout_account=account_id,
        fee=FEE.amount,
    )


def test_the_gateway_is_cores_payment_and_payout_gateway(gateway: StripeGateway) -> None:
    # Checked by mypy: the class has every method of both ports, with their signatures.
    ports: tuple[PaymentGateway, PayoutGateway] = (gateway, gateway)

    assert all(port is gateway for port in ports)


async def test_an_account_is_opened_onboarded_and_read(
    gateway: StripeGateway,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
    browser: aiohttp.ClientSession,
) -> None:
    opened = await gateway.create_account("FR", "backit-payout-account-1")
    again = await gateway.create_account("FR", "backit-payout-account-1")
    link = await gateway.onboarding_link(opened.account_id, REFRESH_URL, RETURN_URL)
    async with browser.get(link) as page:
        assert page.status == 200
    async with browser.post(link, allow_redirects=False) as submitted:
        returned_to = submitted.headers["Location"]
    stripe_clock.advance(timedelta(minutes=2))
    onboarded = await gateway.account_state(opened.account_id)
    dashboard = await gateway.dashboard_link(opened.account_id)
    async with browser.get(dashboard) as page:
        shown = await page.text()

    assert again.account_id == opened.account_id
    assert (opened.country, opened.charges_enabled, opened.details_submitted) == (
        "FR",
        False,
        False,
    )
    assert "external_account" in opened.currently_due
    assert opened.as_of == stripe_clock() - timedelta(minutes=2)
    assert returned_to == RETURN_URL
    assert (onboarded.charges_enabled, onboarded.payouts_enabled, onboarded.details_submitted) == (
        True,
        True,
        True,
    )
    assert onboarded.currently_due == ()
    assert onboarded.as_of == stripe_clock()
    assert opened.account_id in shown


async def test_what_stripe_refuses_of_an_account_makes_payouts_unavailable_and_is_logged(
    gateway: StripeGateway, caplog: pytest.LogCaptureFixture
) -> None:
    pending = await gateway.create_account("DE", "backit-payout-account-2")

    with pytest.raises(PaymentUnavailable):
        await gateway.dashboard_link(pending.account_id)
    with pytest.raises(PaymentUnavailable):
        await gateway.account_state("acct_unknown")
    with pytest.raises(PaymentUnavailable):
        await gateway.create_account("BR", "backit-payout-account-3")

    records = [r for r in caplog.records if r.name == "adapters.stripe.gateway"]
    assert [r.levelname for r in records] == ["ERROR"] * 3
    assert all(API_KEY not in r.getMessage() for r in records)


async def test_a_destination_checkout_pays_the_creator_less_the_fee_and_names_the_transfer(
    gateway: StripeGateway,
    stripe_standin: StripeStandin,
    stripe_client: stripe.StripeClient,
    stripe_clock: MovableClock,
) -> None:
    account_id = await creator_account(gateway, stripe_standin)

    intent_id = await paid_to(gateway, stripe_standin, stripe_clock, Destination(account_id, FEE))
    paid = await latest_charge(stripe_client, intent_id)
    transfer = await stripe_client.v1.transfers.retrieve_async(str(paid.transfer))
    fee = await stripe_client.v1.application_fees.retrieve_async(str(paid.application_fee))
    (succeeded,) = stripe_standin.events("payment_intent.succeeded")
    (completed,) = stripe_standin.events("checkout.session.completed")
    from_intent = await gateway.outcome_of_event(succeeded)
    from_session = await gateway.outcome_of_event(completed)

    assert (transfer.amount, transfer.destination) == (4_750, account_id)
    assert (fee.amount, fee.account) == (250, account_id)
    assert paid.on_behalf_of is None
    assert from_intent is not None
    assert from_intent.kind is OutcomeKind.PAID
    assert from_intent.refs.transfer_id == transfer.id
    # The session's event names its intent by id only: no call, the transfer is found later.
    assert from_session is not None
    assert from_session.refs.transfer_id is None
    assert await gateway.transfer_of(intent_id) == transfer.id


async def test_an_account_in_another_region_is_the_merchant_of_its_charges(
    gateway: StripeGateway,
    stripe_standin: StripeStandin,
    stripe_client: stripe.StripeClient,
    stripe_clock: MovableClock,
) -> None:
    account_id = await creator_account(gateway, stripe_standin)
    destination = Destination(account_id, FEE, on_behalf_of=True)

    paid = await latest_charge(
        stripe_client, await paid_to(gateway, stripe_standin, stripe_clock, destination)
    )

    assert paid.on_behalf_of == account_id


async def test_a_platform_payment_names_no_transfer_and_makes_no_extra_call(
    gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    session = await gateway.create_checkout(checkout(stripe_clock))
    await stripe_standin.pay(session.id)
    (succeeded,) = stripe_standin.events("payment_intent.succeeded")
    intent_id = succeeded["data"]["object"]["id"]

    outcome = await gateway.outcome_of_event(succeeded)

    assert outcome is not None
    assert outcome.refs.transfer_id is None
    assert await gateway.transfer_of(intent_id) is None


async def test_a_deadline_charge_pays_the_creator_less_the_fee(
    gateway: StripeGateway,
    stripe_standin: StripeStandin,
    stripe_client: stripe.StripeClient,
    stripe_clock: MovableClock,
) -> None:
    account_id = await creator_account(gateway, stripe_standin)
    pledge = await saved_card_pledge(gateway, stripe_standin, stripe_clock, GOOD_CARD, 8)
    session = stripe_standin.events("checkout.session.completed")[0]["data"]["object"]

    result = await gateway.charge_saved_card(
        pledge, "backit-pledge-8-charge", Destination(account_id, FEE)
    )
    assert result.payment_intent_id is not None
    paid = await latest_charge(stripe_client, result.payment_intent_id)
    transfer = await stripe_client.v1.transfers.retrieve_async(str(paid.transfer))

    assert session["mode"] == "setup"
    assert result.succeeded
    assert (transfer.amount, transfer.destination) == (4_750, account_id)
    assert await gateway.transfer_of(result.payment_intent_id) == transfer.id


async def test_a_destination_that_cannot_take_charges_makes_the_charge_unavailable(
    gateway: StripeGateway,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    account_id = await creator_account(gateway, stripe_standin)
    pledge = await saved_card_pledge(gateway, stripe_standin, stripe_clock, GOOD_CARD, 8)
    await stripe_standin.restrict_account(account_id)

    with pytest.raises(PaymentUnavailable):
        await gateway.charge_saved_card(
            pledge, "backit-pledge-8-charge", Destination(account_id, FEE)
        )
    with pytest.raises(PaymentUnavailable):
        await gateway.create_checkout(
            replace(checkout(stripe_clock), destination=Destination(account_id, FEE))
        )

    records = [r for r in caplog.records if r.name == "adapters.stripe.gateway"]
    assert [r.levelname for r in records] == ["ERROR", "ERROR"]
    assert "insufficient_capabilities_for_transfer" in records[0].getMessage()
    assert all(API_KEY not in r.getMessage() for r in records)


async def test_a_setup_page_for_a_creator_account_is_an_ordinary_setup_page(
    gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    account_id = await creator_account(gateway, stripe_standin)
    request = replace(
        checkout(stripe_clock, CheckoutMode.SETUP), destination=Destination(account_id, FEE)
    )

    session = await gateway.create_checkout(request)
    await stripe_standin.pay(session.id)

    assert stripe_standin.events("transfer.created") == []


async def test_refunds_take_back_the_creators_share_and_give_back_the_fee_exactly(
    gateway: StripeGateway,
    stripe_standin: StripeStandin,
    stripe_client: stripe.StripeClient,
    stripe_clock: MovableClock,
) -> None:
    account_id = await creator_account(gateway, stripe_standin)
    intent_id = await paid_to(gateway, stripe_standin, stripe_clock, Destination(account_id, FEE))
    pledge = paid_pledge(stripe_clock, intent_id, account_id)
    paid = await latest_charge(stripe_client, intent_id)

    kept = []
    for key, amount in (("a", Money(1_000, "EUR")), ("b", Money(333, "EUR")), ("c", None)):
        await gateway.refund(pledge, f"backit-pledge-7-refund-{key}", amount)
        fee = await stripe_client.v1.application_fees.retrieve_async(str(paid.application_fee))
        charge = await stripe_client.v1.charges.retrieve_async(paid.id)
        kept.append(
            (fee.amount - fee.amount_refunded, fee_kept(250, 5_000, charge.amount_refunded))
        )
    transfer = await stripe_client.v1.transfers.retrieve_async(str(paid.transfer))

    assert kept == [(200, 200), (184, 184), (0, 0)]
    assert [r.amount for r in transfer.reversals.data] == [3_484, 316, 950]
    assert (transfer.amount_reversed, transfer.reversed) == (4_750, True)


async def test_refunding_a_platform_pledge_reverses_nothing(
    gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    session = await gateway.create_checkout(checkout(stripe_clock))
    await stripe_standin.pay(session.id)
    outcome = await gateway.checkout_outcome(session.id)
    assert outcome is not None
    assert outcome.refs.payment_intent_id is not None

    await gateway.refund(
        paid_pledge(stripe_clock, outcome.refs.payment_intent_id, None), "backit-refund"
    )

    assert stripe_standin.events("charge.refunded")[0]["data"]["object"]["refunded"] is True


@pytest.mark.parametrize(("won", "state"), [(True, DisputeState.WON), (False, DisputeState.LOST)])
async def test_a_dispute_is_read_as_opened_then_closed(
    gateway: StripeGateway,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
    won: bool,
    state: DisputeState,
) -> None:
    account_id = await creator_account(gateway, stripe_standin)
    intent_id = await paid_to(
        gateway, stripe_standin, stripe_clock, Destination(account_id, FEE), DISPUTED_CARD
    )
    (created,) = stripe_standin.events("charge.dispute.created")
    await stripe_standin.close_dispute(created["data"]["object"]["id"], won=won)
    (closed,) = stripe_standin.events("charge.dispute.closed")

    opened = await gateway.outcome_of_event(created)
    decided = await gateway.outcome_of_event(closed)

    assert opened is not None
    assert decided is not None
    assert (opened.pledge_id, opened.kind, opened.event_type) == (
        7,
        OutcomeKind.DISPUTE,
        "charge.dispute.created",
    )
    assert opened.dispute == DisputeReport(
        DisputeState.OPEN, 5_000, "fraudulent", stripe_clock() + timedelta(days=7)
    )
    assert opened.refs.payment_intent_id == intent_id
    assert opened.terms is None
    assert (decided.pledge_id, decided.kind) == (7, OutcomeKind.DISPUTE)
    assert decided.dispute == DisputeReport(state, 5_000, "fraudulent", None)


async def test_disputes_are_among_the_outcomes_to_reconcile(
    gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    session = await gateway.create_checkout(checkout(stripe_clock))
    await stripe_standin.pay(session.id, DISPUTED_CARD)

    outcomes = [o async for o in gateway.outcomes_since(stripe_clock() - timedelta(minutes=1))]

    # Events of one second replay in no set order: what matters is that the dispute is there.
    assert sorted(o.kind for o in outcomes) == sorted(
        [OutcomeKind.PAID, OutcomeKind.PAID, OutcomeKind.DISPUTE]
    )


async def test_a_closed_dispute_neither_won_nor_lost_is_malformed(
    gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    session = await gateway.create_checkout(checkout(stripe_clock))
    await stripe_standin.pay(session.id, DISPUTED_CARD)
    (created,) = stripe_standin.events("charge.dispute.created")
    await stripe_standin.close_dispute(created["data"]["object"]["id"], won=True)
    closed = copy.deepcopy(stripe_standin.events("charge.dispute.closed")[0])
    closed["data"]["object"]["status"] = "under_review"

    with pytest.raises(MalformedEvent) as malformed:
        await gateway.outcome_of_event(closed)

    assert (malformed.value.event_type, malformed.value.pledge_id) == (
        "charge.dispute.closed",
        7,
    )


async def test_an_account_update_is_read_as_of_its_event(
    gateway: StripeGateway, stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> None:
    opened = await gateway.create_account("FR", "backit-payout-account-1")
    stripe_clock.advance(timedelta(minutes=3))
    await stripe_standin.complete_onboarding(opened.account_id)
    (event,) = stripe_standin.events("account.updated")

    update = await gateway.account_update_of_event(event)

    assert update is not None
    assert update.event_id == event["id"]
    assert update.state == replace(
        opened,
        charges_enabled=True,
        payouts_enabled=True,
        details_submitted=True,
        currently_due=(),
        as_of=stripe_clock(),
    )
    assert (
        await gateway.account_update_of_event({**event, "type": "account.external_account.created"})
        is None
    )


def _broken(event: dict[str, Any], path: tuple[str, ...], value: object) -> dict[str, Any]:
    broken = copy.deepcopy(event)
    node = broken
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return broken


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("account",), "acct_someone_else"),
        (("data", "object", "charges_enabled"), "yes"),
        (("data", "object", "requirements", "currently_due"), "external_account"),
        (("data", "object", "country"), None),
        (("data", "object", "id"), None),
        (("data",), None),
        (("created",), "yesterday"),
        (("id",), None),
    ],
)
async def test_an_account_update_that_cannot_be_read_is_malformed(
    gateway: StripeGateway,
    stripe_standin: StripeStandin,
    path: tuple[str, ...],
    value: object,
) -> None:
    opened = await gateway.create_account("FR", "backit-payout-account-1")
    await stripe_standin.complete_onboarding(opened.account_id)
    (event,) = stripe_standin.events("account.updated")

    with pytest.raises(MalformedEvent) as malformed:
        await gateway.account_update_of_event(_broken(event, path, value))

    assert malformed.value.event_type == "account.updated"


async def test_a_connect_event_that_is_no_object_is_malformed(gateway: StripeGateway) -> None:
    with pytest.raises(MalformedEvent):
        await gateway.account_update_of_event(["account.updated"])
