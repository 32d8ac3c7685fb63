"""Stripe's objects as the API returns them, with every field Stripe's own fixtures carry."""

from __future__ import annotations

import secrets
from typing import Any

from adapters.standins.snapshots import snapshot
from adapters.standins.stripe.cards import Card, Decline
from adapters.standins.stripe.ids import new_id
from adapters.standins.stripe.state import StripeObject, TransferTerms

# The IBAN of Stripe's test SEPA debits: the one payment method the stand-in settles later.
SEPA_TEST_IBAN = "DE89370400440532013000"


def address(**fields: str | None) -> dict[str, str | None]:
    """A postal address; missing parts are null."""
    parts = ("city", "country", "line1", "line2", "postal_code", "state")
    return {part: fields.get(part) or None for part in parts}


def shipping(name: str, postal: dict[str, str | None]) -> StripeObject:
    """Shipping details as payment intents and charges carry them."""
    return {
        "address": postal,
        "carrier": None,
        "name": name,
        "phone": None,
        "tracking_number": None,
    }


def customer(
    now: int,
    *,
    email: str | None,
    name: str | None,
    phone: str | None = None,
    description: str | None = None,
    metadata: dict[str, str] | None = None,
) -> StripeObject:
    """A new customer."""
    return {
        "id": new_id("cus"),
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": now,
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": description,
        "discount": None,
        "email": email,
        "invoice_prefix": secrets.token_hex(4).upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": metadata or {},
        "name": name,
        "next_invoice_sequence": 1,
        "phone": phone,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def _billing_details(email: str | None, name: str | None) -> StripeObject:
    return {"address": address(), "email": email, "name": name, "phone": None, "tax_id": None}


def _payment_method(
    now: int, kind: str, details: StripeObject, billing: StripeObject
) -> StripeObject:
    return {
        "id": new_id("pm"),
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": billing,
        kind: details,
        "created": now,
        "customer": None,
        "customer_account": None,
        "livemode": False,
        "metadata": {},
        "type": kind,
    }


def card_payment_method(
    now: int, card: Card, *, exp_month: int, exp_year: int, email: str | None, name: str | None
) -> StripeObject:
    """A card payment method, as Checkout creates it from the form."""
    details = {
        "brand": card.brand,
        "checks": {
            "address_line1_check": None,
            "address_postal_code_check": None,
            "cvc_check": "pass",
        },
        "country": card.country,
        "display_brand": card.brand,
        "exp_month": exp_month,
        "exp_year": exp_year,
        "fingerprint": card.fingerprint,
        "funding": card.funding,
        "generated_from": None,
        "last4": card.last4,
        "networks": {"available": [card.brand], "preferred": None},
        "regulated_status": "unregulated",
        "three_d_secure_usage": {"supported": True},
        "wallet": None,
    }
    return _payment_method(now, "card", details, _billing_details(email, name))


def sepa_payment_method(now: int, *, email: str | None, name: str | None) -> StripeObject:
    """A SEPA Direct Debit payment method: paid days later, so settled by the test."""
    details = {
        "bank_code": SEPA_TEST_IBAN[4:12],
        "branch_code": None,
        "country": SEPA_TEST_IBAN[:2],
        "fingerprint": "sepa" + SEPA_TEST_IBAN[-12:],
        "generated_from": {"charge": None, "setup_attempt": None},
        "last4": SEPA_TEST_IBAN[-4:],
    }
    return _payment_method(now, "sepa_debit", details, _billing_details(email, name))


def setup_intent(
    now: int, *, customer_id: str | None, description: str | None, metadata: dict[str, str]
) -> StripeObject:
    """A setup intent waiting for a payment method."""
    intent_id = new_id("seti")
    return {
        "id": intent_id,
        "object": "setup_intent",
        "application": None,
        "automatic_payment_methods": None,
        "cancellation_reason": None,
        "client_secret": f"{intent_id}_secret_{new_id('x')[2:]}",
        "created": now,
        "customer": customer_id,
        "description": description,
        "excluded_payment_method_types": None,
        "flow_directions": None,
        "last_setup_error": None,
        "latest_attempt": None,
        "livemode": False,
        "mandate": None,
        "metadata": metadata,
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {
            "card": {
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": ["card"],
        "single_use_mandate": None,
        "status": "requires_payment_method",
        "usage": "off_session",
    }


def payment_intent(
    now: int,
    *,
    amount: int,
    currency: str,
    customer_id: str | None,
    payment_method: StripeObject,
    metadata: dict[str, str],
    description: str | None = None,
    setup_future_usage: str | None = None,
    shipping_details: StripeObject | None = None,
    statement_descriptor_suffix: str | None = None,
    transfer: TransferTerms | None = None,
) -> StripeObject:
    """A payment intent with its payment method, about to be confirmed; with `transfer`, a
    destination charge."""
    intent_id = new_id("pi")
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": transfer.application_fee_amount if transfer else None,
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic",
        "client_secret": f"{intent_id}_secret_{new_id('x')[2:]}",
        "confirmation_method": "automatic",
        "created": now,
        "currency": currency,
        "customer": customer_id,
        "customer_account": None,
        "description": description,
        "excluded_payment_method_types": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "managed_payments": None,
        "metadata": metadata,
        "next_action": None,
        "on_behalf_of": transfer.on_behalf_of if transfer else None,
        "payment_method": payment_method["id"],
        "payment_method_configuration_details": None,
        "payment_method_options": {},
        "payment_method_types": [payment_method["type"]],
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": setup_future_usage,
        "shipping": shipping_details,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": statement_descriptor_suffix,
        "status": "requires_confirmation",
        "transfer_data": (
            {"amount": None, "destination": transfer.destination} if transfer else None
        ),
        # As on Stripe, a destination charge's transfer is grouped under its intent.
        "transfer_group": f"group_{intent_id}" if transfer else None,
    }


def charge(
    now: int,
    intent: StripeObject,
    payment_method: StripeObject,
    *,
    status: str,
    descriptor: str,
    decline: Decline | None = None,
) -> StripeObject:
    """A charge of a payment intent: `succeeded`, `pending` or `failed` with its decline."""
    charge_id = new_id("ch")
    succeeded = status == "succeeded"
    return {
        "id": charge_id,
        "object": "charge",
        "amount": intent["amount"],
        "amount_captured": intent["amount"] if succeeded else 0,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": intent["application_fee_amount"],
        "balance_transaction": new_id("txn") if succeeded else None,
        "billing_details": payment_method["billing_details"],
        "calculated_statement_descriptor": descriptor,
        "captured": succeeded,
        "created": now,
        "currency": intent["currency"],
        "customer": intent["customer"],
        "description": intent["description"],
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": decline.code if decline else None,
        "failure_message": decline.message if decline else None,
        "fraud_details": {},
        "livemode": False,
        "metadata": intent["metadata"],
        "on_behalf_of": intent["on_behalf_of"],
        "outcome": outcome(status, decline),
        "paid": succeeded,
        "payment_intent": intent["id"],
        "payment_method": payment_method["id"],
        "payment_method_details": _payment_method_details(payment_method, intent["amount"]),
        "receipt_email": None,
        "receipt_number": None,
        "receipt_url": None,
        "refunded": False,
        "refunds": {
            "object": "list",
            "data": [],
            "has_more": False,
            "total_count": 0,
            "url": f"/v1/charges/{charge_id}/refunds",
        },
        "review": None,
        "shipping": intent["shipping"],
        "source": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": intent["statement_descriptor_suffix"],
        "status": status,
        "transfer": None,
        "transfer_data": snapshot(intent["transfer_data"]),
        "transfer_group": intent["transfer_group"],
    }


def outcome(status: str, decline: Decline | None) -> StripeObject:
    """How the network answered a charge."""
    if decline:
        network_status, kind = "declined_by_network", "issuer_declined"
        message = f"The bank returned the decline code `{decline.decline_code}`."
    elif status == "pending":
        network_status, kind, message = "approved_by_network", "authorized", "Payment pending."
    else:
        network_status, kind, message = "approved_by_network", "authorized", "Payment complete."
    return {
        "advice_code": None,
        "network_advice_code": None,
        "network_decline_code": None,
        "network_status": network_status,
        "reason": decline.decline_code if decline else None,
        "risk_level": "normal",
        "seller_message": message,
        "type": kind,
    }


def payment_error(decline: Decline, charge_id: str, method: StripeObject) -> StripeObject:
    """A payment intent's `last_payment_error` after a decline."""
    return {
        "charge": charge_id,
        "code": decline.code,
        "decline_code": decline.decline_code,
        "doc_url": f"https://stripe.com/docs/error-codes/{decline.code.replace('_', '-')}",
        "message": decline.message,
        "payment_method": method,
        "type": "card_error",
    }


def _payment_method_details(payment_method: StripeObject, amount: int) -> StripeObject:
    if payment_method["type"] != "card":
        return {"sepa_debit": payment_method["sepa_debit"], "type": payment_method["type"]}
    card = payment_method["card"]
    details: dict[str, Any] = {
        "amount_authorized": amount,
        "authorization_code": None,
        "brand": card["brand"],
        "checks": card["checks"],
        "country": card["country"],
        "exp_month": card["exp_month"],
        "exp_year": card["exp_year"],
        "extended_authorization": {"status": "disabled"},
        "fingerprint": card["fingerprint"],
        "funding": card["funding"],
        "incremental_authorization": {"status": "unavailable"},
        "installments": None,
        "last4": card["last4"],
        "mandate": None,
        "multicapture": {"status": "unavailable"},
        "network": card["brand"],
        "network_token": {"used": False},
        "network_transaction_id": None,
        "overcapture": {"maximum_amount_capturable": amount, "status": "unavailable"},
        "regulated_status": card["regulated_status"],
        "three_d_secure": None,
        "wallet": None,
    }
    return {"card": details, "type": "card"}


def refund(
    now: int, paid: StripeObject, *, amount: int, reason: str | None, metadata: dict[str, str]
) -> StripeObject:
    """A refund of part or all of a charge; test refunds succeed at once."""
    return {
        "id": new_id("re"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": new_id("txn"),
        "charge": paid["id"],
        "created": now,
        "currency": paid["currency"],
        "customer": paid["customer"],
        "customer_account": None,
        "destination_details": {
            "card": {
                "reference": None,
                "reference_status": "pending",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        "metadata": metadata,
        "payment_intent": paid["payment_intent"],
        "payment_method": paid["payment_method"],
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }
