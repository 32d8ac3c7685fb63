"""What the payment provider reports about a pledge's money, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.errors import DomainError
from core.i18n import N_
from core.money import Money
from core.payouts import Destination, DisputeReport
from core.pledge_links import InvalidLink


class OutcomeKind(StrEnum):
    """What the payment provider says happened to a pledge's money."""

    AUTHORIZED = "authorized"
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    # A backer disputed the charge with their bank: opened, won or lost (the report says).
    DISPUTE = "dispute"


@dataclass(frozen=True, slots=True)
class PaymentRefs:
    """The provider's references for a pledge (and its shipping address); None changes nothing."""

    checkout_session_id: str | None = None
    payment_intent_id: str | None = None
    customer_id: str | None = None
    payment_method_id: str | None = None
    # The address a shipping reward goes to, as the backer entered it at checkout.
    shipping_address: str | None = None
    # The transfer that moved a destination charge's money to the creator's account.
    transfer_id: str | None = None


class CheckoutMode(StrEnum):
    """Charge now (flexible) or save the card to charge at the deadline (all-or-nothing)."""

    PAYMENT = "payment"
    SETUP = "setup"


@dataclass(frozen=True, slots=True)
class ReportedTerms:
    """The money a provider's object says it is for, as read; None where it says nothing."""

    # Minor units; a card saved for later (setup mode) has none.
    amount: int | None
    # Upper case, as Money has it.
    currency: str | None
    mode: CheckoutMode | None


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    """One report about one pledge; `refunded_total` is cumulative, for refunds."""

    pledge_id: int
    kind: OutcomeKind
    # The provider event that reported it; None when confirmed directly (the success page).
    event_id: str | None = None
    refunded_total: int = 0
    refs: PaymentRefs = field(default_factory=PaymentRefs)
    event_type: str | None = None
    # What the provider's object is for, checked against the pledge before anything moves;
    # None for what Backit decided itself (a deadline charge's result, a stale page swept).
    terms: ReportedTerms | None = None
    # For a dispute: where it stands, what it claims and why.
    dispute: DisputeReport | None = None


@dataclass(frozen=True, slots=True)
class PaymentAnomaly:
    """A provider report that was not applied, kept for an operator to look into."""

    event_id: str | None
    event_type: str | None
    pledge_id: int | None
    reason: str
    recorded_at: datetime
    id: int = 0


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    """Everything the provider needs to open a hosted checkout page for one pledge."""

    pledge_id: int
    mode: CheckoutMode
    amount: Money
    # What the page names as paid for: the reward (or a pledge without one), its campaign.
    item_name: str
    item_description: str
    # Shown beside the page's button, in the backer's language: what saving a card commits
    # them to (setup mode); None where the page says it all.
    submit_message: str | None
    success_url: str
    cancel_url: str
    expires_at: datetime
    # Countries a shipping reward goes to; None when nothing ships.
    ship_to: tuple[str, ...] | None
    idempotency_key: str
    # The creator's account the money goes to, less Backit's fee; None keeps it on the
    # platform's own account.
    destination: Destination | None = None


@dataclass(frozen=True, slots=True)
class CheckoutSession:
    """An opened checkout page."""

    id: str
    url: str


@dataclass(frozen=True, slots=True)
class ChargeResult:
    """The result of charging a saved card."""

    succeeded: bool
    payment_intent_id: str | None = None
    decline_reason: str | None = None


class MalformedEvent(Exception):
    """An authentic provider event that cannot be read; recorded once, never applied."""

    def __init__(
        self,
        reason: str,
        event_id: str | None = None,
        event_type: str | None = None,
        pledge_id: int | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason, self.event_id, self.event_type = reason, event_id, event_type
        self.pledge_id = pledge_id

    def anomaly(self, now: datetime) -> PaymentAnomaly:
        """The event as an anomaly to keep."""
        return PaymentAnomaly(self.event_id, self.event_type, self.pledge_id, self.reason, now)


class PaymentUnavailable(DomainError):
    """The payment provider could not be reached or refused the request."""

    template = N_("Payments are unavailable right now. Please try again in a few minutes.")


class CheckoutNotFound(InvalidLink):
    """The provider knows no such checkout page: to the backer, a broken link like any other."""
