"""What the payment provider reports about a pledge's money, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class OutcomeKind(StrEnum):
    """What the payment provider says happened to a pledge's money."""

    AUTHORIZED = "authorized"
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


@dataclass(frozen=True, slots=True)
class PaymentRefs:
    """The provider's references for a pledge; None leaves one unchanged."""

    checkout_session_id: str | None = None
    payment_intent_id: str | None = None
    customer_id: str | None = None
    payment_method_id: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    """One report about one pledge; `refunded_total` is cumulative, for refunds."""

    pledge_id: int
    kind: OutcomeKind
    # The provider event that reported it; None when confirmed directly (the success page).
    event_id: str | None = None
    refunded_total: int = 0
    refs: PaymentRefs = field(default_factory=PaymentRefs)
