"""Reading Stripe's objects as payment outcomes for pledges."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.ids import parse_id
from core.payments import OutcomeKind, PaymentOutcome, PaymentRefs

# Marks the PaymentIntents Backit creates itself at a campaign's deadline; a failure of any
# other (a card declined on the checkout page) leaves the backer free to try another card.
PURPOSE_KEY = "backit_purpose"
DEADLINE_CHARGE = "deadline_charge"

Obj = Mapping[str, Any]


def pledge_id_of(obj: Obj) -> int | None:
    """The pledge a Stripe object belongs to, from its metadata or client reference."""
    metadata = obj.get("metadata") or {}
    raw = metadata.get("pledge_id") or obj.get("client_reference_id")
    return parse_id(raw) if isinstance(raw, str) else None


def _id(value: Any) -> str | None:
    """An expandable field's id, whether Stripe sent the id or the object."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        found = value.get("id")
        return found if isinstance(found, str) else None
    return None


def shipping_address(session: Obj) -> str | None:
    """The shipping address collected at checkout, written as one would on a parcel."""
    collected = session.get("collected_information") or {}
    details = collected.get("shipping_details") or session.get("shipping_details")
    if not details:
        return None
    address = details.get("address") or {}
    lines = [
        details.get("name"),
        address.get("line1"),
        address.get("line2"),
        " ".join(p for p in (address.get("postal_code"), address.get("city")) if p),
        address.get("state"),
        address.get("country"),
    ]
    return "\n".join(line for line in lines if line)


def session_refs(session: Obj) -> PaymentRefs:
    """The references a completed checkout session gives a pledge."""
    setup_intent = session.get("setup_intent")
    payment_method = (
        _id(setup_intent.get("payment_method")) if isinstance(setup_intent, Mapping) else None
    )
    return PaymentRefs(
        checkout_session_id=_id(session.get("id")),
        payment_intent_id=_id(session.get("payment_intent")),
        customer_id=_id(session.get("customer")),
        payment_method_id=payment_method,
        shipping_address=shipping_address(session),
    )


def session_outcome(session: Obj, event_id: str | None = None) -> PaymentOutcome | None:
    """What a checkout session's state means: paid, card saved, expired, or not yet known."""
    pledge_id = pledge_id_of(session)
    if pledge_id is None:
        return None
    kind: OutcomeKind | None = None
    if session.get("status") == "expired":
        kind = OutcomeKind.EXPIRED
    elif session.get("status") == "complete" and session.get("mode") == "setup":
        kind = OutcomeKind.AUTHORIZED
    elif session.get("status") == "complete" and session.get("payment_status") == "paid":
        kind = OutcomeKind.PAID
    if kind is None:
        return None
    return PaymentOutcome(pledge_id, kind, event_id, refs=session_refs(session))


def async_payment_outcome(
    session: Obj, succeeded: bool, event_id: str | None
) -> PaymentOutcome | None:
    """A delayed payment (a bank debit) that settled, or failed, after its session completed."""
    pledge_id = pledge_id_of(session)
    if pledge_id is None:
        return None
    kind = OutcomeKind.PAID if succeeded else OutcomeKind.FAILED
    # The session's completion, still unpaid, recorded nothing: its references come with this.
    return PaymentOutcome(pledge_id, kind, event_id, refs=session_refs(session))


def payment_intent_outcome(
    intent: Obj, kind: OutcomeKind, event_id: str | None
) -> PaymentOutcome | None:
    """A PaymentIntent's success, or the failure of a deadline charge."""
    pledge_id = pledge_id_of(intent)
    if pledge_id is None:
        return None
    is_deadline_charge = (intent.get("metadata") or {}).get(PURPOSE_KEY) == DEADLINE_CHARGE
    if kind is OutcomeKind.FAILED and not is_deadline_charge:
        return None
    refs = PaymentRefs(payment_intent_id=_id(intent.get("id")))
    return PaymentOutcome(pledge_id, kind, event_id, refs=refs)


def refund_outcome(charge: Obj, pledge_id: int, event_id: str | None) -> PaymentOutcome:
    """A charge's refunds so far, as one cumulative figure."""
    refunded = charge.get("amount_refunded")
    return PaymentOutcome(
        pledge_id,
        OutcomeKind.REFUNDED,
        event_id,
        refunded_total=refunded if isinstance(refunded, int) else 0,
        refs=PaymentRefs(payment_intent_id=_id(charge.get("payment_intent"))),
    )
