"""Reading Stripe's objects as payment outcomes for pledges.

Events are authentic (signed) but their shapes are not trusted: every field is read for the
type it should have, and what cannot be read raises MalformedEvent rather than anything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from adapters.stripe.units import from_stripe
from core.ids import parse_id
from core.payments import (
    CheckoutMode,
    MalformedEvent,
    OutcomeKind,
    PaymentOutcome,
    PaymentRefs,
    ReportedTerms,
)
from core.payouts import DisputeReport, DisputeState

# Marks the PaymentIntents Backit creates itself at a campaign's deadline; a failure of any
# other (a card declined on the checkout page) leaves the backer free to try another card.
PURPOSE_KEY = "backit_purpose"
DEADLINE_CHARGE = "deadline_charge"
# Stripe's ids are short ASCII words (`cs_test_a1B2…`); the columns keeping them hold 255.
_MAX_ID = 255

Obj = Mapping[str, Any]


def stripe_id(value: object) -> str | None:
    """An id as Stripe writes one, or None for anything else."""
    if (
        isinstance(value, str)
        and 0 < len(value) <= _MAX_ID
        and value.isascii()
        and value.isprintable()
        and " " not in value
    ):
        return value
    return None


def required_object(value: object, what: str) -> Obj:
    """A nested object that must be there."""
    if not isinstance(value, Mapping):
        raise MalformedEvent(f"{what} is not an object")
    return value


def optional_object(value: object, what: str) -> Obj:
    """A nested object that may be absent (null)."""
    return {} if value is None else required_object(value, what)


def pledge_id_of(obj: Obj) -> int | None:
    """The pledge a Stripe object belongs to, from its metadata or client reference; None
    when it names none (another integration's object)."""
    metadata = optional_object(obj.get("metadata"), "metadata")
    raw = metadata.get("pledge_id") or obj.get("client_reference_id")
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise MalformedEvent(f"pledge id is a {type(raw).__name__}, not text")
    if not raw.isdigit():
        return None  # someone else's reference
    pledge_id = parse_id(raw)
    if not pledge_id:  # none, or 0: pledges are numbered from 1
        raise MalformedEvent(f"pledge id {raw[:30]!a} is not a pledge id")
    return pledge_id


def expandable_id(value: Any) -> str | None:
    """An expandable field's id, whether Stripe sent the id or the object."""
    if isinstance(value, Mapping):
        return stripe_id(value.get("id"))
    return stripe_id(value)


def own_id(obj: Obj) -> str:
    """The object's own id, which every object the events carry has."""
    found = stripe_id(obj.get("id"))
    if found is None:
        raise MalformedEvent("the object has no usable id")
    return found


def _line(value: object) -> str | None:
    # PostgreSQL text cannot hold NUL; nothing else is removed from what the backer typed.
    return value.replace("\x00", "") if isinstance(value, str) else None


def shipping_address(session: Obj) -> str | None:
    """The shipping address collected at checkout, written as one would on a parcel."""
    collected = optional_object(session.get("collected_information"), "collected_information")
    details = collected.get("shipping_details") or session.get("shipping_details")
    if not details:
        return None
    details = required_object(details, "shipping_details")
    address = optional_object(details.get("address"), "address")
    lines = [
        _line(details.get("name")),
        _line(address.get("line1")),
        _line(address.get("line2")),
        " ".join(p for p in (_line(address.get("postal_code")), _line(address.get("city"))) if p),
        _line(address.get("state")),
        _line(address.get("country")),
    ]
    return "\n".join(line for line in lines if line) or None


def session_refs(session: Obj) -> PaymentRefs:
    """The references a completed checkout session gives a pledge."""
    setup_intent = session.get("setup_intent")
    card = setup_intent.get("payment_method") if isinstance(setup_intent, Mapping) else None
    return PaymentRefs(
        checkout_session_id=own_id(session),
        payment_intent_id=expandable_id(session.get("payment_intent")),
        customer_id=expandable_id(session.get("customer")),
        payment_method_id=expandable_id(card),
        shipping_address=shipping_address(session),
    )


def _amount(obj: Obj, key: str) -> int | None:
    """An amount of the object's currency, in Backit's minor units; None if there is none."""
    value, currency = obj.get(key), _currency(obj)
    # bool is an int to Python, never an amount to Stripe.
    if not isinstance(value, int) or isinstance(value, bool) or currency is None:
        return None
    return from_stripe(value, currency)


def _currency(obj: Obj) -> str | None:
    currency = obj.get("currency")
    return currency.upper() if isinstance(currency, str) else None


def _terms(obj: Obj, amount_key: str, mode: object) -> ReportedTerms:
    """What the object says about its money; core compares it with the pledge."""
    return ReportedTerms(
        amount=_amount(obj, amount_key),
        currency=_currency(obj),
        mode=CheckoutMode(mode) if mode in ("payment", "setup") else None,
    )


def session_outcome(session: Obj, event_id: str | None = None) -> PaymentOutcome | None:
    """What a checkout session's state means: paid, card saved, expired, or not yet known."""
    pledge_id = pledge_id_of(session)
    if pledge_id is None:
        return None
    kind: OutcomeKind | None = None
    status, mode = session.get("status"), session.get("mode")
    if status == "expired":
        kind = OutcomeKind.EXPIRED
    elif status == "complete" and mode == "setup":
        kind = OutcomeKind.AUTHORIZED
    elif status == "complete" and session.get("payment_status") == "paid":
        kind = OutcomeKind.PAID
    if kind is None:
        return None
    return PaymentOutcome(
        pledge_id,
        kind,
        event_id,
        refs=session_refs(session),
        terms=_terms(session, "amount_total", mode),
    )


def async_payment_outcome(
    session: Obj, succeeded: bool, event_id: str | None
) -> PaymentOutcome | None:
    """A delayed payment (a bank debit) that settled, or failed, after its session completed."""
    pledge_id = pledge_id_of(session)
    if pledge_id is None:
        return None
    kind = OutcomeKind.PAID if succeeded else OutcomeKind.FAILED
    # The session's completion, still unpaid, recorded nothing: its references come with this.
    return PaymentOutcome(
        pledge_id,
        kind,
        event_id,
        refs=session_refs(session),
        terms=_terms(session, "amount_total", session.get("mode")),
    )


def payment_intent_outcome(
    intent: Obj, kind: OutcomeKind, event_id: str | None
) -> PaymentOutcome | None:
    """A PaymentIntent's success, or the failure of a deadline charge."""
    pledge_id = pledge_id_of(intent)
    if pledge_id is None:
        return None
    metadata = optional_object(intent.get("metadata"), "metadata")
    if kind is OutcomeKind.FAILED and metadata.get(PURPOSE_KEY) != DEADLINE_CHARGE:
        return None
    refs = PaymentRefs(payment_intent_id=own_id(intent))
    return PaymentOutcome(
        pledge_id, kind, event_id, refs=refs, terms=_terms(intent, "amount", "payment")
    )


def refund_outcome(charge: Obj, pledge_id: int, event_id: str | None) -> PaymentOutcome:
    """A charge's refunds so far, as one cumulative figure."""
    refunded = _amount(charge, "amount_refunded")
    if refunded is None:
        raise MalformedEvent("the charge has no amount refunded", pledge_id=pledge_id)
    return PaymentOutcome(
        pledge_id,
        OutcomeKind.REFUNDED,
        event_id,
        refunded_total=refunded,
        refs=PaymentRefs(payment_intent_id=expandable_id(charge.get("payment_intent"))),
        terms=_terms(charge, "amount", "payment"),
    )


_CLOSED_DISPUTES = {"won": DisputeState.WON, "lost": DisputeState.LOST}


def dispute_outcome(
    dispute: Obj, closed: bool, pledge_id: int, event_id: str | None
) -> PaymentOutcome:
    """A dispute of a pledge's charge: opened, or closed won or lost.

    It carries no terms: a dispute names its amount, not a checkout mode, and core checks that
    amount against the pledge itself.
    """
    amount = _amount(dispute, "amount")
    if amount is None:
        raise MalformedEvent("the dispute has no amount", pledge_id=pledge_id)
    reason = dispute.get("reason")
    if not isinstance(reason, str):
        raise MalformedEvent("the dispute has no reason", pledge_id=pledge_id)
    due_by: datetime | None = None
    if closed:
        state = _CLOSED_DISPUTES.get(str(dispute.get("status")))
        if state is None:
            raise MalformedEvent("a closed dispute is neither won nor lost", pledge_id=pledge_id)
    else:
        state = DisputeState.OPEN
        details = optional_object(dispute.get("evidence_details"), "evidence_details")
        due = details.get("due_by")
        if isinstance(due, int) and not isinstance(due, bool):
            due_by = datetime.fromtimestamp(due, UTC)
    return PaymentOutcome(
        pledge_id,
        OutcomeKind.DISPUTE,
        event_id,
        refs=PaymentRefs(payment_intent_id=expandable_id(dispute.get("payment_intent"))),
        dispute=DisputeReport(state, amount, reason, due_by),
    )
