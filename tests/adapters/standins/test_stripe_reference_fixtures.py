"""The stand-in's objects carry every field of Stripe's own fixtures, with the same JSON types."""

from __future__ import annotations

import inspect
import json
import typing
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import stripe

from adapters.standins.stripe import StripeStandin
from tests.adapters.standins.conftest import auth_headers, payment_session, setup_session

# Kept in the repository (tests/reference), so any clone checks the stand-ins against it.
REPO_ROOT = Path(__file__).resolve().parents[3]
REFERENCE = REPO_ROOT / "tests" / "reference" / "stripe-fixtures.json"

LIBRARY_CLASSES: dict[str, type[stripe.StripeObject]] = {
    "account": stripe.Account,
    "account_link": stripe.AccountLink,
    "application_fee": stripe.ApplicationFee,
    "charge": stripe.Charge,
    "dispute": stripe.Dispute,
    "fee_refund": stripe.ApplicationFeeRefund,
    "login_link": stripe.LoginLink,
    "transfer": stripe.Transfer,
    "transfer_reversal": stripe.TransferReversal,
    "checkout.session": stripe.checkout.Session,
    "customer": stripe.Customer,
    "event": stripe.Event,
    "payment_intent": stripe.PaymentIntent,
    "payment_method": stripe.PaymentMethod,
    "refund": stripe.Refund,
    "setup_intent": stripe.SetupIntent,
}


def reference() -> dict[str, dict[str, Any]]:
    """Stripe's sample object of each type."""
    resources: dict[str, dict[str, Any]] = json.loads(REFERENCE.read_text())["resources"]
    return resources


def json_type(value: Any) -> str:
    """The JSON type of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def nullable(object_type: str, field: str) -> bool:
    """Whether the stripe library types the field as possibly null (`Optional`)."""
    for cls in LIBRARY_CLASSES[object_type].__mro__:
        annotation = inspect.get_annotations(cls).get(field)
        if annotation is not None:
            return type(None) in typing.get_args(annotation)
    return False


async def raw(
    browser: aiohttp.ClientSession,
    standin: StripeStandin,
    path: str,
    form: dict[str, str] | None = None,
) -> Any:
    """An object exactly as the API answers it (to a POST of `form`, when one is given)."""
    method = "GET" if form is None else "POST"
    async with browser.request(
        method, f"{standin.base_url}{path}", data=form, headers=auth_headers()
    ) as answer:
        assert answer.status == 200
        return await answer.json()


async def connect_objects(
    stripe_client: stripe.StripeClient, standin: StripeStandin, browser: aiohttp.ClientSession
) -> dict[str, dict[str, Any]]:
    """One object of each Connect type: an onboarded account, its links, a destination charge
    refunded with its transfer and fee, and a dispute."""
    account = await raw(
        browser,
        standin,
        "/v1/accounts",
        {
            "type": "express",
            "country": "FR",
            "capabilities[card_payments][requested]": "true",
            "capabilities[transfers][requested]": "true",
        },
    )
    link = await raw(
        browser,
        standin,
        "/v1/account_links",
        {
            "account": account["id"],
            "type": "account_onboarding",
            "refresh_url": "https://backit.test/refresh",
            "return_url": "https://backit.test/return",
        },
    )
    await standin.complete_onboarding(account["id"])
    destination = {"transfer_data": {"destination": account["id"]}, "application_fee_amount": 200}
    paying = await stripe_client.v1.checkout.sessions.create_async(
        payment_session(payment_intent_data=destination)
    )
    await standin.pay(paying.id, "4000 0000 0000 0259")
    session = await raw(browser, standin, f"/v1/checkout/sessions/{paying.id}")
    intent = await raw(browser, standin, f"/v1/payment_intents/{session['payment_intent']}")
    paid = await raw(browser, standin, f"/v1/charges/{intent['latest_charge']}")
    opened = standin.events("charge.dispute.created")[0]["data"]["object"]
    await standin.close_dispute(opened["id"], won=True)
    await stripe_client.v1.refunds.create_async(
        {"charge": paid["id"], "reverse_transfer": True, "refund_application_fee": True}
    )
    transfer = await raw(browser, standin, f"/v1/transfers/{paid['transfer']}")
    fee = await raw(browser, standin, f"/v1/application_fees/{paid['application_fee']}")
    return {
        "account": await raw(browser, standin, f"/v1/accounts/{account['id']}"),
        "account_link": link,
        "login_link": await raw(browser, standin, f"/v1/accounts/{account['id']}/login_links", {}),
        "transfer": transfer,
        "transfer_reversal": transfer["reversals"]["data"][0],
        "application_fee": fee,
        "fee_refund": fee["refunds"]["data"][0],
        "dispute": await raw(browser, standin, f"/v1/disputes/{opened['id']}"),
    }


@pytest.fixture
async def stand_in_objects(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    browser: aiohttp.ClientSession,
) -> dict[str, dict[str, Any]]:
    """One object of each reference type, made by paying, saving a card and refunding."""
    sessions = stripe_client.v1.checkout.sessions
    paying = await sessions.create_async(
        payment_session(
            customer_creation="always",
            shipping_address_collection={"allowed_countries": ["FR"]},
        )
    )
    await stripe_standin.pay(
        paying.id, line1="1 rue des Lilas", city="Lyon", postal_code="69001", country="FR"
    )
    saving = await sessions.create_async(setup_session())
    await stripe_standin.pay(saving.id)
    session = await raw(browser, stripe_standin, f"/v1/checkout/sessions/{paying.id}")
    intent = await raw(browser, stripe_standin, f"/v1/payment_intents/{session['payment_intent']}")
    refund = await stripe_client.v1.refunds.create_async({"payment_intent": intent["id"]})
    saved = await raw(browser, stripe_standin, f"/v1/checkout/sessions/{saving.id}")
    events = await raw(browser, stripe_standin, "/v1/events?limit=1")
    return {
        "checkout.session": session,
        "payment_intent": intent,
        "charge": await raw(browser, stripe_standin, f"/v1/charges/{intent['latest_charge']}"),
        "customer": await raw(browser, stripe_standin, f"/v1/customers/{session['customer']}"),
        "payment_method": await raw(
            browser, stripe_standin, f"/v1/payment_methods/{intent['payment_method']}"
        ),
        "refund": await raw(browser, stripe_standin, f"/v1/refunds/{refund.id}"),
        "setup_intent": await raw(
            browser, stripe_standin, f"/v1/setup_intents/{saved['setup_intent']}"
        ),
        "event": events["data"][0],
        **await connect_objects(stripe_client, stripe_standin, browser),
    }


@pytest.mark.parametrize("object_type", sorted(LIBRARY_CLASSES))
async def test_an_object_has_every_field_of_the_fixture_with_its_type(
    stand_in_objects: dict[str, dict[str, Any]], object_type: str
) -> None:
    fixture, ours = reference()[object_type], stand_in_objects[object_type]

    missing = sorted(set(fixture) - set(ours))
    # Where Stripe's sample shows a value but the library types the field Optional, the stand-in
    # may say null as Stripe does (no `next_action` on a succeeded intent, no `canceled_at`...).
    mistyped = {
        field: (json_type(expected), json_type(ours[field]))
        for field, expected in fixture.items()
        if field in ours
        and expected is not None
        and json_type(ours[field]) != json_type(expected)
        and not (ours[field] is None and nullable(object_type, field))
    }

    assert ours["object"] == object_type
    assert missing == []
    assert mistyped == {}


def test_only_fields_the_library_types_as_optional_may_be_null() -> None:
    assert nullable("payment_intent", "canceled_at")
    assert nullable("checkout.session", "collected_information")
    assert not nullable("charge", "amount")
    assert not nullable("checkout.session", "custom_fields")


async def test_a_sessions_custom_text_has_the_fixtures_sections_and_message_shape(
    stripe_standin: StripeStandin,
    stripe_client: stripe.StripeClient,
    browser: aiohttp.ClientSession,
) -> None:
    created = await stripe_client.v1.checkout.sessions.create_async(
        setup_session(custom_text={"submit": {"message": "Charged only if funded."}})
    )
    fixture = reference()["checkout.session"]["custom_text"]

    ours = (await raw(browser, stripe_standin, f"/v1/checkout/sessions/{created.id}"))[
        "custom_text"
    ]

    assert set(ours) == set(fixture)
    assert set(ours["submit"]) == set(fixture["submit"])
    assert ours["submit"] == {"message": "Charged only if funded."}
    assert all(ours[section] is None for section in set(fixture) - {"submit"})


async def test_an_event_about_a_connected_account_names_it_beside_the_fixtures_fields(
    stripe_standin: StripeStandin, browser: aiohttp.ClientSession
) -> None:
    account = await raw(
        browser,
        stripe_standin,
        "/v1/accounts",
        {"type": "express", "country": "DE", "capabilities[transfers][requested]": "true"},
    )
    await stripe_standin.complete_onboarding(account["id"])

    event = (await raw(browser, stripe_standin, "/v1/events?type=account.updated"))["data"][0]

    assert sorted(set(reference()["event"]) - set(event)) == []
    assert event["account"] == account["id"]
    assert nullable("event", "account")
