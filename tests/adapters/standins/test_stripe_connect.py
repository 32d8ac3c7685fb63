"""Connect through the real library: Express accounts, onboarding, the dashboard, destination
charges' transfers and fees, what refunds take back of them, and disputes."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, cast

import aiohttp
import pytest
import stripe
from stripe.params import AccountCreateParams, PaymentIntentCreateParams

from adapters.standins.stripe import Paid, StripeStandin
from tests.adapters.standins.conftest import WebhookReceiver, payment_session
from tests.adapters.standins.test_stripe_payments import charge_at_deadline, saved_card
from tests.stripe_standin_fixtures import CONNECT_WEBHOOK_SECRET, WEBHOOK_SECRET, MovableClock

DISPUTED_CARD = "4000000000000259"
REFRESH_URL = "https://backit.test/payouts/refresh"
RETURN_URL = "https://backit.test/payouts/done"


def express(**changes: Any) -> AccountCreateParams:
    """Parameters of a French creator's Express account, as Backit opens one."""
    params: dict[str, Any] = {
        "type": "express",
        "country": "FR",
        "capabilities": {
            "card_payments": {"requested": True},
            "transfers": {"requested": True},
        },
    }
    return cast("AccountCreateParams", {**params, **changes})


async def onboarded(client: stripe.StripeClient, standin: StripeStandin) -> stripe.Account:
    """An Express account whose creator finished onboarding."""
    account = await client.v1.accounts.create_async(express())
    await standin.complete_onboarding(account.id)
    return await client.v1.accounts.retrieve_async(account.id)


async def onboarding_url(client: stripe.StripeClient, account_id: str) -> str:
    """A new account link's URL."""
    link = await client.v1.account_links.create_async(
        {
            "account": account_id,
            "type": "account_onboarding",
            "refresh_url": REFRESH_URL,
            "return_url": RETURN_URL,
        }
    )
    return link.url


async def open_page(
    browser: aiohttp.ClientSession, url: str, *, submit: bool = False
) -> tuple[int, str | None, str]:
    """GET (or submit) a page without following redirects: status, Location, text."""
    method = "POST" if submit else "GET"
    async with browser.request(method, url, allow_redirects=False) as answer:
        return answer.status, answer.headers.get("Location"), await answer.text()


def with_destination(account_id: str, fee: int = 200, **more: Any) -> dict[str, Any]:
    """The parameters that make a destination charge to an account, the platform keeping `fee`."""
    return {"transfer_data": {"destination": account_id}, "application_fee_amount": fee, **more}


async def destination_charge(
    client: stripe.StripeClient,
    standin: StripeStandin,
    account_id: str,
    card: str = "4242424242424242",
) -> stripe.Charge:
    """A €25 payment on a checkout page for the account, the platform keeping €2."""
    session = await client.v1.checkout.sessions.create_async(
        payment_session(payment_intent_data=with_destination(account_id))
    )
    assert isinstance(await standin.pay(session.id, card), Paid)
    paid = await client.v1.checkout.sessions.retrieve_async(session.id)
    intent = await client.v1.payment_intents.retrieve_async(
        str(paid.payment_intent), {"expand": ["latest_charge"]}
    )
    assert isinstance(intent.latest_charge, stripe.Charge)
    return intent.latest_charge


async def test_a_new_express_account_can_do_nothing_until_onboarded(
    stripe_client: stripe.StripeClient,
) -> None:
    created = await stripe_client.v1.accounts.create_async(
        express(metadata={"creator": "telegram:1000"}), {"idempotency_key": "payout-account-1"}
    )
    replayed = await stripe_client.v1.accounts.create_async(
        express(metadata={"creator": "telegram:1000"}), {"idempotency_key": "payout-account-1"}
    )
    read = await stripe_client.v1.accounts.retrieve_async(created.id)

    assert created.id.startswith("acct_")
    assert replayed.id == created.id
    assert (read.type, read.country, read.default_currency) == ("express", "FR", "eur")
    assert (read.charges_enabled, read.payouts_enabled, read.details_submitted) == (
        False,
        False,
        False,
    )
    assert read.requirements is not None
    assert {"external_account", "tos_acceptance.date", "individual.dob.day"} <= set(
        read.requirements.currently_due or []
    )
    assert read.to_dict()["capabilities"] == {"card_payments": "inactive", "transfers": "inactive"}


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"type": "custom"}, "type"),
        ({"country": "ZZ"}, "country"),
        ({"country": "BR"}, "country"),
        ({"capabilities": {"card_payments": {"requested": True}}}, "capabilities"),
    ],
)
async def test_an_account_stripe_would_not_open_is_refused(
    stripe_client: stripe.StripeClient, changes: dict[str, Any], param: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.accounts.create_async(express(**changes))

    assert refused.value.param == param


async def test_an_unknown_account_is_refused_as_stripe_refuses_one_the_key_cannot_see(
    stripe_client: stripe.StripeClient,
) -> None:
    with pytest.raises(stripe.PermissionError) as refused:
        await stripe_client.v1.accounts.retrieve_async("acct_unknown")

    assert refused.value.error is not None
    assert refused.value.error.code == "account_invalid"


async def test_updating_an_account_reaches_the_connect_endpoint_only(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    webhook_receiver: WebhookReceiver,
    connect_receiver: WebhookReceiver,
) -> None:
    account = await stripe_client.v1.accounts.create_async(express())

    updated = await stripe_client.v1.accounts.update_async(
        account.id, {"metadata": {"creator": "discord:42"}}
    )
    body, signature = await connect_receiver.wait_for("account.updated")
    await stripe_standin.wait_for_deliveries()

    verified = stripe.Webhook.construct_event(body.decode(), signature, CONNECT_WEBHOOK_SECRET)
    event = json.loads(body)
    assert verified.id == event["id"]
    assert updated.to_dict()["metadata"] == {"creator": "discord:42"}
    assert event["account"] == account.id
    assert event["data"]["object"]["metadata"] == {"creator": "discord:42"}
    assert event["data"]["previous_attributes"] == {"metadata": {}}
    assert "account.updated" not in webhook_receiver.types()
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body.decode(), signature, WEBHOOK_SECRET)


async def test_the_onboarding_page_completes_the_account_once_and_returns_to_the_platform(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
    connect_receiver: WebhookReceiver,
    browser: aiohttp.ClientSession,
) -> None:
    account = await stripe_client.v1.accounts.create_async(express())
    link = await stripe_client.v1.account_links.create_async(
        {
            "account": account.id,
            "type": "account_onboarding",
            "refresh_url": REFRESH_URL,
            "return_url": RETURN_URL,
        }
    )

    shown = await open_page(browser, link.url)
    reopened = await open_page(browser, link.url)
    submitted = await open_page(browser, link.url, submit=True)
    resubmitted = await open_page(browser, link.url, submit=True)
    body, _ = await connect_receiver.wait_for("account.updated")
    read = await stripe_client.v1.accounts.retrieve_async(account.id)

    assert link.url.startswith(f"{stripe_standin.base_url}/connect/onboarding/")
    assert link.expires_at == int(stripe_clock().timestamp()) + 300
    assert shown[0] == 200
    assert account.id in shown[2]
    assert "Complete onboarding" in shown[2]
    assert "external_account" in shown[2]
    assert reopened[:2] == (302, REFRESH_URL)
    assert submitted[:2] == (303, RETURN_URL)
    assert resubmitted[:2] == (303, REFRESH_URL)
    assert (read.charges_enabled, read.payouts_enabled, read.details_submitted) == (
        True,
        True,
        True,
    )
    assert read.requirements is not None
    assert read.requirements.currently_due == []
    assert read.to_dict()["capabilities"] == {"card_payments": "active", "transfers": "active"}
    event = json.loads(body)
    assert event["account"] == account.id
    assert event["data"]["object"]["charges_enabled"] is True
    assert event["data"]["previous_attributes"]["charges_enabled"] is False


async def test_an_adopted_account_is_back_under_its_id_onboarded_or_waiting_without_an_event(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    browser: aiohttp.ClientSession,
) -> None:
    await stripe_standin.adopt_account("acct_1Earlier0Run", "GB", onboarded=True)
    await stripe_standin.adopt_account("acct_1Half0Done", "FR", onboarded=False)

    ready = await stripe_client.v1.accounts.retrieve_async("acct_1Earlier0Run")
    waiting = await stripe_client.v1.accounts.retrieve_async("acct_1Half0Done")
    dashboard = await stripe_client.v1.accounts.login_links.create_async(ready.id)
    link = await onboarding_url(stripe_client, waiting.id)
    shown = await open_page(browser, link)
    submitted = await open_page(browser, link, submit=True)
    completed = await stripe_client.v1.accounts.retrieve_async(waiting.id)

    assert (ready.type, ready.country, ready.default_currency) == ("express", "GB", "gbp")
    assert (ready.charges_enabled, ready.payouts_enabled, ready.details_submitted) == (
        True,
        True,
        True,
    )
    assert ready.requirements is not None
    assert ready.requirements.currently_due == []
    assert ready.to_dict()["capabilities"] == {"card_payments": "active", "transfers": "active"}
    assert dashboard.url.startswith(f"{stripe_standin.base_url}/connect/express/")
    assert (waiting.charges_enabled, waiting.details_submitted) == (False, False)
    assert waiting.requirements is not None
    assert "external_account" in (waiting.requirements.currently_due or [])
    # A waiting account is onboarded on the hosted page as a new one is.
    assert (shown[0], submitted[:2]) == (200, (303, RETURN_URL))
    assert completed.charges_enabled is True
    # Adopting said nothing: the only event is the hosted page's completion.
    updates = stripe_standin.events("account.updated")
    assert [event["account"] for event in updates] == [waiting.id]


@pytest.mark.parametrize(
    ("account_id", "country", "why"),
    [("acct_1Taken", "FR", "exists already"), ("acct_1Elsewhere", "BR", "Brazil")],
)
async def test_an_account_is_not_adopted_over_another_nor_where_stripe_opens_none(
    stripe_standin: StripeStandin, account_id: str, country: str, why: str
) -> None:
    await stripe_standin.adopt_account("acct_1Taken", "FR", onboarded=True)

    with pytest.raises(ValueError, match=why):
        await stripe_standin.adopt_account(account_id, country, onboarded=False)


async def test_an_expired_or_unknown_onboarding_link_does_not_open(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
    browser: aiohttp.ClientSession,
) -> None:
    account = await stripe_client.v1.accounts.create_async(express())
    url = await onboarding_url(stripe_client, account.id)
    stripe_clock.advance(timedelta(minutes=5))

    expired = await open_page(browser, url)
    unknown = await open_page(browser, f"{stripe_standin.base_url}/connect/onboarding/nope")

    assert expired[:2] == (302, REFRESH_URL)
    assert unknown[0] == 404


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"account": "acct_unknown"}, "account"),
        ({"type": "account_update"}, "type"),
        ({"refresh_url": None}, "refresh_url"),
    ],
)
async def test_an_account_link_stripe_would_not_make_is_refused(
    stripe_client: stripe.StripeClient, changes: dict[str, Any], param: str
) -> None:
    account = await stripe_client.v1.accounts.create_async(express())
    params = {
        "account": account.id,
        "type": "account_onboarding",
        "refresh_url": REFRESH_URL,
        "return_url": RETURN_URL,
        **changes,
    }

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.account_links.create_async(
            {key: value for key, value in params.items() if value is not None}  # type: ignore[arg-type]
        )

    assert refused.value.param == param


async def test_a_restricted_account_stops_taking_charges_and_says_what_is_due(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    connect_receiver: WebhookReceiver,
) -> None:
    account = await onboarded(stripe_client, stripe_standin)

    await stripe_standin.restrict_account(account.id)
    await stripe_standin.wait_for_deliveries()
    read = await stripe_client.v1.accounts.retrieve_async(account.id)

    assert read.charges_enabled is False
    assert read.requirements is not None
    assert read.requirements.currently_due == ["individual.verification.document"]
    assert connect_receiver.types() == ["account.updated", "account.updated"]
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.checkout.sessions.create_async(
            payment_session(payment_intent_data=with_destination(account.id))
        )
    assert refused.value.code == "insufficient_capabilities_for_transfer"


async def test_the_dashboard_opens_only_for_an_onboarded_account_and_lists_its_transfers(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    browser: aiohttp.ClientSession,
) -> None:
    pending = await stripe_client.v1.accounts.create_async(express())
    account = await onboarded(stripe_client, stripe_standin)
    paid = await destination_charge(stripe_client, stripe_standin, account.id)

    with pytest.raises(stripe.InvalidRequestError):
        await stripe_client.v1.accounts.login_links.create_async(pending.id)
    link = await stripe_client.v1.accounts.login_links.create_async(account.id)
    status, _, page = await open_page(browser, link.url)

    assert link.url.startswith(f"{stripe_standin.base_url}/connect/express/")
    assert status == 200
    assert account.id in page
    assert str(paid.transfer) in page
    assert "€23.00" in page


async def test_a_destination_checkout_moves_the_money_less_the_fee_to_the_account(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    webhook_receiver: WebhookReceiver,
) -> None:
    account = await onboarded(stripe_client, stripe_standin)

    paid = await destination_charge(stripe_client, stripe_standin, account.id)
    transfer = await stripe_client.v1.transfers.retrieve_async(str(paid.transfer))
    fee = await stripe_client.v1.application_fees.retrieve_async(str(paid.application_fee))
    intent = await stripe_client.v1.payment_intents.retrieve_async(str(paid.payment_intent))
    await webhook_receiver.wait_for("application_fee.created")
    await stripe_standin.wait_for_deliveries()

    assert (transfer.amount, transfer.currency, transfer.destination) == (2300, "eur", account.id)
    assert transfer.source_transaction == paid.id
    assert (transfer.amount_reversed, transfer.reversed) == (0, False)
    assert (fee.amount, fee.amount_refunded, fee.account, fee.charge) == (
        200,
        0,
        account.id,
        paid.id,
    )
    assert paid.application_fee_amount == 200
    assert paid.to_dict()["transfer_data"] == {"amount": None, "destination": account.id}
    assert intent.application_fee_amount == 200
    assert intent.to_dict()["transfer_data"] == {"amount": None, "destination": account.id}
    assert intent.on_behalf_of is None
    assert {"transfer.created", "application_fee.created"} <= set(webhook_receiver.types())


async def test_an_off_session_charge_can_be_a_destination_charge_on_behalf_of_the_account(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    account = await onboarded(stripe_client, stripe_standin)
    card = await saved_card(stripe_client, stripe_standin, "4242424242424242")

    intent = await stripe_client.v1.payment_intents.create_async(
        charge_at_deadline(card, **with_destination(account.id, 150, on_behalf_of=account.id))
    )
    paid = await stripe_client.v1.charges.retrieve_async(str(intent.latest_charge))
    transfer = await stripe_client.v1.transfers.retrieve_async(str(paid.transfer))

    assert intent.status == "succeeded"
    assert (intent.on_behalf_of, paid.on_behalf_of) == (account.id, account.id)
    assert (transfer.amount, transfer.destination) == (2350, account.id)


async def test_a_platform_charge_has_no_transfer_nor_fee(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    await stripe_standin.pay(session.id)
    paid = await stripe_client.v1.checkout.sessions.retrieve_async(session.id)
    intent = await stripe_client.v1.payment_intents.retrieve_async(
        str(paid.payment_intent), {"expand": ["latest_charge"]}
    )

    assert isinstance(intent.latest_charge, stripe.Charge)
    assert intent.latest_charge.transfer is None
    assert intent.latest_charge.application_fee is None
    assert intent.transfer_data is None


@pytest.mark.parametrize(
    ("data", "param", "code"),
    [
        (
            {"transfer_data": {"destination": "acct_unknown"}},
            "payment_intent_data[transfer_data][destination]",
            "resource_missing",
        ),
        ({"application_fee_amount": 100}, "payment_intent_data[application_fee_amount]", None),
        (
            {"transfer_data": {"destination": "ACCOUNT"}, "application_fee_amount": 2501},
            "payment_intent_data[application_fee_amount]",
            None,
        ),
        (
            {"transfer_data": {"destination": "ACCOUNT"}, "on_behalf_of": "acct_other"},
            "payment_intent_data[on_behalf_of]",
            None,
        ),
    ],
)
async def test_destination_terms_stripe_would_refuse_are_refused(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    data: dict[str, Any],
    param: str,
    code: str | None,
) -> None:
    account = await onboarded(stripe_client, stripe_standin)
    terms = json.loads(json.dumps(data).replace("ACCOUNT", account.id))

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.checkout.sessions.create_async(
            payment_session(payment_intent_data=terms)
        )

    assert (refused.value.param, refused.value.code) == (param, code)


async def test_a_destination_that_cannot_take_charges_is_refused_with_stripes_code(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    account = await stripe_client.v1.accounts.create_async(express())
    card = await saved_card(stripe_client, stripe_standin, "4242424242424242")

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.payment_intents.create_async(
            charge_at_deadline(card, **with_destination(account.id))
        )

    assert refused.value.code == "insufficient_capabilities_for_transfer"
    assert refused.value.param == "transfer_data[destination]"
    assert "capabilities enabled: transfers" in str(refused.value.user_message)


async def test_refunds_reverse_the_transfer_and_refund_the_fee_in_proportion_exactly(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    account = await onboarded(stripe_client, stripe_standin)
    paid = await destination_charge(stripe_client, stripe_standin, account.id)
    take_back = {"charge": paid.id, "reverse_transfer": True, "refund_application_fee": True}

    first = await stripe_client.v1.refunds.create_async({**take_back, "amount": 1000})  # type: ignore[arg-type]
    after_first = await stripe_client.v1.transfers.retrieve_async(str(paid.transfer))
    fee_after_first = await stripe_client.v1.application_fees.retrieve_async(
        str(paid.application_fee)
    )
    await stripe_client.v1.refunds.create_async({**take_back, "amount": 333})  # type: ignore[arg-type]
    await stripe_client.v1.refunds.create_async(take_back)  # type: ignore[arg-type]
    transfer = await stripe_client.v1.transfers.retrieve_async(str(paid.transfer))
    fee = await stripe_client.v1.application_fees.retrieve_async(str(paid.application_fee))

    # 2300 × 1000 / 2500 and 200 × 1000 / 2500, then cumulative: 2300 × 1333 // 2500 = 1226.
    assert (after_first.amount_reversed, fee_after_first.amount_refunded) == (920, 80)
    assert first.transfer_reversal == after_first.reversals.data[0].id
    assert [r.amount for r in transfer.reversals.data] == [1074, 306, 920]
    assert (transfer.amount_reversed, transfer.reversed) == (2300, True)
    assert [r.amount for r in fee.refunds.data] == [94, 26, 80]
    assert (fee.amount_refunded, fee.refunded) == (200, True)


async def test_a_refund_without_taking_back_leaves_the_transfer_and_the_fee(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    account = await onboarded(stripe_client, stripe_standin)
    paid = await destination_charge(stripe_client, stripe_standin, account.id)

    await stripe_client.v1.refunds.create_async({"charge": paid.id})
    transfer = await stripe_client.v1.transfers.retrieve_async(str(paid.transfer))
    fee = await stripe_client.v1.application_fees.retrieve_async(str(paid.application_fee))

    assert (transfer.amount_reversed, fee.amount_refunded) == (0, 0)


async def test_a_platform_charge_has_no_transfer_to_reverse(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    await stripe_standin.pay(session.id)
    paid = await stripe_client.v1.checkout.sessions.retrieve_async(session.id)

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.refunds.create_async(
            {"payment_intent": str(paid.payment_intent), "reverse_transfer": True}
        )

    assert refused.value.param == "reverse_transfer"


async def test_the_dispute_card_pays_and_then_the_charge_is_disputed_until_decided(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    stripe_clock: MovableClock,
    webhook_receiver: WebhookReceiver,
    browser: aiohttp.ClientSession,
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    async with browser.get(str(session.url)) as page:
        shown = await page.text()
    assert "4000 0000 0000 0259" in shown
    assert isinstance(await stripe_standin.pay(session.id, DISPUTED_CARD), Paid)
    body, _ = await webhook_receiver.wait_for("charge.dispute.created")
    opened = json.loads(body)["data"]["object"]
    paid = await stripe_client.v1.charges.retrieve_async(opened["charge"])

    dispute = await stripe_client.v1.disputes.retrieve_async(opened["id"])
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await stripe_client.v1.refunds.create_async({"charge": paid.id})
    await stripe_standin.close_dispute(dispute.id, won=False)
    closed, _ = await webhook_receiver.wait_for("charge.dispute.closed")

    assert paid.disputed is True
    assert (dispute.amount, dispute.currency, dispute.reason, dispute.status) == (
        2500,
        "eur",
        "fraudulent",
        "needs_response",
    )
    assert dispute.payment_intent == paid.payment_intent
    assert dispute.is_charge_refundable is False
    week = int((stripe_clock() + timedelta(days=7)).timestamp())
    assert dispute.evidence_details.due_by == week
    assert refused.value.code == "charge_disputed"
    assert json.loads(closed)["data"]["object"]["status"] == "lost"
    types = webhook_receiver.types()
    assert types.index("checkout.session.completed") < types.index("charge.dispute.created")


async def test_a_dispute_won_lets_the_charge_be_refunded_and_cannot_close_twice(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    card = await saved_card(stripe_client, stripe_standin, DISPUTED_CARD)
    intent = await stripe_client.v1.payment_intents.create_async(charge_at_deadline(card))
    opened = stripe_standin.events("charge.dispute.created")[0]["data"]["object"]

    await stripe_standin.close_dispute(opened["id"], won=True)
    refund = await stripe_client.v1.refunds.create_async({"payment_intent": intent.id})

    assert opened["payment_intent"] == intent.id
    assert refund.status == "succeeded"
    assert stripe_standin.events("charge.dispute.closed")[0]["data"]["object"]["status"] == "won"
    with pytest.raises(ValueError, match="already won"):
        await stripe_standin.close_dispute(opened["id"], won=False)


async def test_the_test_payment_method_for_disputes_is_disputed_off_session(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    customer = await stripe_client.v1.customers.create_async({"email": "ada@example.com"})
    method = await stripe_client.v1.payment_methods.attach_async(
        "pm_card_createDispute", {"customer": customer.id}
    )
    params: PaymentIntentCreateParams = {
        "amount": 1000,
        "currency": "eur",
        "customer": customer.id,
        "payment_method": method.id,
        "off_session": True,
        "confirm": True,
    }

    intent = await stripe_client.v1.payment_intents.create_async(params)

    assert intent.status == "succeeded"
    assert [
        e["data"]["object"]["amount"] for e in stripe_standin.events("charge.dispute.created")
    ] == [1000]
