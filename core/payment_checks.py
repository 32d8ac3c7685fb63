"""Whether a provider's report is about the money Backit asked for on a pledge."""

from __future__ import annotations

from core.campaigns import FundingModel
from core.payments import CheckoutMode, OutcomeKind, PaymentOutcome
from core.pledges import Pledge, PledgeStatus

# Provider values go into reasons an operator reads: a bounded, printable excerpt of each.
_SHOWN = 40


def checkout_mode_for(model: FundingModel, *, late: bool = False) -> CheckoutMode:
    """All-or-nothing saves the card for the deadline; flexible charges now, and so does a late
    pledge, the deadline being past."""
    if model is FundingModel.ALL_OR_NOTHING and not late:
        return CheckoutMode.SETUP
    return CheckoutMode.PAYMENT


def expected_modes(
    model: FundingModel, status: PledgeStatus, *, late: bool = False
) -> frozenset[CheckoutMode]:
    """The modes of the provider objects Backit may have made for a pledge in this status."""
    first = checkout_mode_for(model, late=late)
    if first is CheckoutMode.PAYMENT or status is PledgeStatus.PENDING:
        return frozenset({first})
    # Once the card is saved: the deadline charge, and after a decline the retry page, charge.
    return frozenset({CheckoutMode.SETUP, CheckoutMode.PAYMENT})


def mismatched_terms(outcome: PaymentOutcome, pledge: Pledge, model: FundingModel) -> str | None:
    """Why the money a report describes is not the pledge's (None when it is, or unsaid)."""
    terms = outcome.terms
    if terms is None:
        return None  # decided by Backit itself, on the pledge's own figures
    expected = pledge.amount
    if terms.currency != expected.currency:
        return f"currency {_shown(terms.currency)}, expected {expected.currency}"
    modes = expected_modes(model, pledge.status, late=pledge.late)
    if terms.mode not in modes:
        wanted = " or ".join(sorted(modes))
        return f"mode {_shown(terms.mode)}, expected {wanted}"
    # A card saved for later carries no amount; every charge does, and must be the pledge's.
    if terms.mode is not CheckoutMode.SETUP and terms.amount != expected.amount:
        return (
            f"amount {_shown(terms.amount)} {terms.currency}, "
            f"expected {expected.amount} {expected.currency}"
        )
    if outcome.kind is OutcomeKind.REFUNDED and outcome.refunded_total > expected.amount:
        return f"refunded {_shown(outcome.refunded_total)}, more than {expected.amount}"
    return None


def other_object(outcome: PaymentOutcome, pledge: Pledge) -> str | None:
    """Which of the provider's objects a report names instead of the pledge's own, if any."""
    session, known_session = outcome.refs.checkout_session_id, pledge.checkout_session_id
    if session is not None and known_session is not None and session != known_session:
        return f"checkout session {_shown(session)}, expected {known_session}"
    intent, known_intent = outcome.refs.payment_intent_id, pledge.payment_intent_id
    # A failed pledge's intent is the declined one; the retry page pays with a new intent.
    if (
        intent is not None
        and known_intent is not None
        and intent != known_intent
        and pledge.status is not PledgeStatus.FAILED
    ):
        return f"payment intent {_shown(intent)}, expected {known_intent}"
    return None


def _shown(value: object) -> str:
    text = "nothing" if value is None else str(value)
    if len(text) > _SHOWN:
        text = text[:_SHOWN] + "…"
    return text if text.isprintable() else ascii(text)
