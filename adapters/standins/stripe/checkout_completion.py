"""Paying a checkout session: the hosted page's form and the test helpers share this one path."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from adapters.standins.stripe import connect, disputes, objects
from adapters.standins.stripe.cards import (
    TEST_CARDS,
    Card,
    CardBehaviour,
    Decline,
    charge_decline,
    passes_luhn,
    setup_decline,
)
from adapters.standins.stripe.countries import country_name
from adapters.standins.stripe.ids import new_id
from adapters.standins.stripe.payments import attach
from adapters.standins.stripe.state import CheckoutTerms, Origin, StripeObject, StripeState

SHIPPING_FIELDS = ("name", "line1", "line2", "city", "postal_code", "state", "country")
_REQUIRED_SHIPPING = {
    "name": "full name",
    "line1": "address",
    "city": "city",
    "postal_code": "postal code",
    "country": "country",
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_EXPIRY = re.compile(r"(\d{1,2})\s*/?\s*(\d{4}|\d{2})")
_CVC = re.compile(r"\d{3,4}")
_REFUSALS = {
    CardBehaviour.DECLINED: "Your card was declined. Try another card.",
    CardBehaviour.DECLINES_AFTER_ATTACHING: "Your card was declined. Try another card.",
    CardBehaviour.INSUFFICIENT_FUNDS: "Your card has insufficient funds. Try another card.",
    CardBehaviour.NEEDS_AUTHENTICATION: (
        "This card needs 3-D Secure authentication, which the Stripe stand-in does not "
        "support. Use another test card."
    ),
}
_DEBIT_FAILURE = Decline(
    "insufficient_funds",
    "insufficient_funds",
    "The customer's account has insufficient funds to cover this payment.",
)


@dataclass(frozen=True)
class Payer:
    """What a backer types on the checkout page."""

    email: str = ""
    name: str = ""
    card_number: str = ""
    expiry: str = ""
    cvc: str = ""
    shipping: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Paid:
    """The session is complete; the backer is sent to the success URL."""

    redirect_url: str


@dataclass(frozen=True)
class Refused:
    """The form is shown again with this message; the session stays open, nothing is emitted."""

    message: str


@dataclass(frozen=True)
class Closed:
    """The session cannot be paid: it is complete, expired or unknown."""

    message: str


CheckoutOutcome = Paid | Refused | Closed


class _Refusal(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_open(session: StripeObject | None) -> bool:
    """Whether a session exists and can still be paid."""
    return session is not None and session["status"] == "open"


def closed_message(session: StripeObject | None) -> str:
    """Why a session that is not open cannot be paid."""
    if session is None:
        return "This checkout session does not exist."
    if session["status"] == "complete":
        return "This checkout session is already complete."
    return "This checkout session has expired. Go back to the merchant to start again."


def preset_email(state: StripeState, session: StripeObject) -> str | None:
    """The email the merchant passed, itself or through the customer: the payer cannot change it."""
    customer = state.find("customer", session["customer"] or "")
    email: str | None = session["customer_email"] or (customer["email"] if customer else None)
    return email


def payer_email(state: StripeState, session: StripeObject, typed: str) -> str:
    """The email Checkout records: the merchant's preset one, else the one typed."""
    return preset_email(state, session) or typed


def pay_by_card(state: StripeState, session_id: str, payer: Payer) -> CheckoutOutcome:
    """Submit the card form: complete the session, or say why not."""
    session = state.find("checkout.session", session_id)
    if session is None or not is_open(session):
        return Closed(closed_message(session))
    try:
        _check_payer(state, session, payer)
        card, exp_month, exp_year = _read_card(state, payer)
    except _Refusal as refusal:
        return Refused(refusal.message)
    decline = setup_decline(card) if session["mode"] == "setup" else charge_decline(card)
    if decline:
        return Refused(_REFUSALS[card.behaviour])
    method = objects.card_payment_method(
        state.now(),
        card,
        exp_month=exp_month,
        exp_year=exp_year,
        email=payer_email(state, session, payer.email),
        name=payer.name,
    )
    state.cards[state.add(method)["id"]] = card
    _complete(state, session, payer, method, settled=True)
    if session["payment_intent"]:
        intent = state.objects[session["payment_intent"]]
        disputes.dispute_if_card_says(state, state.objects[intent["latest_charge"]])
    return Paid(_success_url(session))


def pay_by_sepa_debit(state: StripeState, session_id: str, payer: Payer) -> CheckoutOutcome:
    """Complete a payment-mode session with a debit that settles later (payment_status unpaid)."""
    session = state.find("checkout.session", session_id)
    if session is None or not is_open(session):
        return Closed(closed_message(session))
    if session["mode"] != "payment":
        return Refused("A SEPA Direct Debit can only pay a payment-mode session.")
    try:
        _check_payer(state, session, payer)
    except _Refusal as refusal:
        return Refused(refusal.message)
    method = objects.sepa_payment_method(
        state.now(), email=payer_email(state, session, payer.email), name=payer.name
    )
    _complete(state, session, payer, state.add(method), settled=False)
    return Paid(_success_url(session))


def settle_sepa_debit(state: StripeState, session_id: str, *, succeeded: bool) -> None:
    """Settle a pending debit: emits `checkout.session.async_payment_succeeded` or `_failed`."""
    session = state.find("checkout.session", session_id)
    intent = session and state.find("payment_intent", session["payment_intent"] or "")
    if session is None or intent is None or intent["status"] != "processing":
        raise ValueError(f"checkout session {session_id} has no debit waiting to settle")
    paid = state.objects[intent["latest_charge"]]
    if succeeded:
        paid.update(
            status="succeeded",
            paid=True,
            captured=True,
            amount_captured=paid["amount"],
            balance_transaction=new_id("txn"),
            outcome=objects.outcome("succeeded", None),
        )
        intent.update(status="succeeded", amount_received=intent["amount"])
        session["payment_status"] = "paid"
        connect.pay_out(state, intent, paid, Origin())
        events = ("charge.succeeded", "payment_intent.succeeded")
    else:
        paid.update(
            status="failed",
            failure_code=_DEBIT_FAILURE.code,
            failure_message=_DEBIT_FAILURE.message,
            outcome=objects.outcome("failed", _DEBIT_FAILURE),
        )
        method = state.objects[intent["payment_method"]]
        intent.update(
            status="requires_payment_method",
            last_payment_error=objects.payment_error(_DEBIT_FAILURE, paid["id"], method),
        )
        events = ("charge.failed", "payment_intent.payment_failed")
    state.emit(events[0], paid, Origin())
    state.emit(events[1], intent, Origin())
    outcome = "succeeded" if succeeded else "failed"
    state.emit(f"checkout.session.async_payment_{outcome}", session, Origin())


def _check_payer(state: StripeState, session: StripeObject, payer: Payer) -> None:
    if not _EMAIL.fullmatch(payer_email(state, session, payer.email).strip()):
        raise _Refusal("Your email address is invalid.")
    if not payer.name.strip():
        raise _Refusal("Enter the name on your card or account.")
    collection = session["shipping_address_collection"]
    if collection is None:
        return
    for key, label in _REQUIRED_SHIPPING.items():
        if not payer.shipping.get(key, "").strip():
            raise _Refusal(f"Enter your shipping {label}.")
    if payer.shipping["country"] not in collection["allowed_countries"]:
        country = country_name(payer.shipping["country"])
        raise _Refusal(f"This merchant does not ship to {country}.")


def _read_card(state: StripeState, payer: Payer) -> tuple[Card, int, int]:
    number = payer.card_number.replace(" ", "")
    if not (number.isdigit() and 13 <= len(number) <= 19 and passes_luhn(number)):
        raise _Refusal("Your card number is invalid.")
    card = TEST_CARDS.get(number)
    if card is None:
        raise _Refusal("The Stripe stand-in only accepts the test cards listed on this page.")
    expiry = _EXPIRY.fullmatch(payer.expiry.strip())
    if expiry is None:
        raise _Refusal("Your card's expiration date is incomplete.")
    month, year = int(expiry[1]), int(expiry[2])
    year += 2000 if year < 100 else 0
    if not 1 <= month <= 12:
        raise _Refusal("Your card's expiration month is invalid.")
    today = state.clock()
    if (year, month) < (today.year, today.month):
        raise _Refusal("Your card's expiration date is in the past.")
    if not _CVC.fullmatch(payer.cvc.strip()):
        raise _Refusal("Your card's security code is incomplete.")
    return card, month, year


def _complete(
    state: StripeState, session: StripeObject, payer: Payer, method: StripeObject, *, settled: bool
) -> None:
    terms = state.checkout_terms[session["id"]]
    customer_id = _customer_for(state, session, payer)
    shipping = _shipping(session, payer)
    if session["mode"] == "setup":
        _save_for_later(state, session, terms, method, customer_id)
    else:
        _charge(state, session, terms, method, customer_id, shipping, settled=settled)
    session.update(
        status="complete",
        url=None,
        customer=customer_id,
        customer_details={
            "address": objects.address(),
            "business_name": None,
            "email": payer_email(state, session, payer.email),
            "individual_name": None,
            "name": payer.name,
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
        collected_information={
            "business_name": None,
            "individual_name": None,
            "shipping_details": shipping,
        },
    )
    state.emit("checkout.session.completed", session, Origin())


def _customer_for(state: StripeState, session: StripeObject, payer: Payer) -> str | None:
    if session["customer"] or session["customer_creation"] != "always":
        customer_id: str | None = session["customer"]
        return customer_id
    customer = state.add(
        objects.customer(
            state.now(), email=payer_email(state, session, payer.email), name=payer.name
        )
    )
    state.emit("customer.created", customer, Origin())
    return str(customer["id"])


def _shipping(session: StripeObject, payer: Payer) -> StripeObject | None:
    if session["shipping_address_collection"] is None:
        return None
    postal = {key: payer.shipping.get(key) for key in SHIPPING_FIELDS if key != "name"}
    return {"address": objects.address(**postal), "name": payer.shipping["name"]}


def _save_for_later(
    state: StripeState,
    session: StripeObject,
    terms: CheckoutTerms,
    method: StripeObject,
    customer_id: str | None,
) -> None:
    if customer_id:
        attach(state, method, customer_id, Origin())
    intent = state.add(
        objects.setup_intent(
            state.now(),
            customer_id=customer_id,
            description=terms.intent_description,
            metadata=dict(terms.intent_metadata),
        )
    )
    state.emit("setup_intent.created", intent, Origin())
    intent.update(payment_method=method["id"], status="succeeded")
    state.emit("setup_intent.succeeded", intent, Origin())
    session["setup_intent"] = intent["id"]


def _charge(
    state: StripeState,
    session: StripeObject,
    terms: CheckoutTerms,
    method: StripeObject,
    customer_id: str | None,
    shipping: StripeObject | None,
    *,
    settled: bool,
) -> None:
    # As on Stripe, only a payment saved for later (with a customer) keeps its method reusable.
    if customer_id and terms.setup_future_usage:
        attach(state, method, customer_id, Origin())
    else:
        state.spent_payment_methods.add(method["id"])
    intent = state.add(
        objects.payment_intent(
            state.now(),
            amount=session["amount_total"],
            currency=session["currency"],
            customer_id=customer_id,
            payment_method=method,
            metadata=dict(terms.intent_metadata),
            description=terms.intent_description,
            setup_future_usage=terms.setup_future_usage,
            shipping_details=shipping and objects.shipping(shipping["name"], shipping["address"]),
            transfer=terms.transfer,
        )
    )
    state.emit("payment_intent.created", intent, Origin())
    paid = state.add(
        objects.charge(
            state.now(),
            intent,
            method,
            status="succeeded" if settled else "pending",
            descriptor=state.statement_descriptor,
        )
    )
    session["payment_intent"] = intent["id"]
    intent["latest_charge"] = paid["id"]
    if settled:
        intent.update(status="succeeded", amount_received=intent["amount"])
        session["payment_status"] = "paid"
        connect.pay_out(state, intent, paid, Origin())
        state.emit("charge.succeeded", paid, Origin())
        state.emit("payment_intent.succeeded", intent, Origin())
    else:
        intent["status"] = "processing"
        state.emit("charge.pending", paid, Origin())
        state.emit("payment_intent.processing", intent, Origin())


def _success_url(session: StripeObject) -> str:
    return str(session["success_url"]).replace("{CHECKOUT_SESSION_ID}", session["id"])
