"""Everything the stand-in knows: its objects by id, its events, and what time it is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from adapters.standins.snapshots import snapshot
from adapters.standins.stripe.cards import Card
from adapters.standins.stripe.ids import new_id

StripeObject = dict[str, Any]


@dataclass(frozen=True)
class Origin:
    """The API request behind a change, as events record it; empty for the page and for time."""

    request_id: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class LineItem:
    """One line of a payment-mode checkout session."""

    name: str
    unit_amount: int
    quantity: int
    currency: str
    description: str | None = None

    @property
    def amount(self) -> int:
        """The line's total, in minor units."""
        return self.unit_amount * self.quantity


@dataclass(frozen=True)
class TransferTerms:
    """Where a destination charge sends its money, and what the platform keeps of it."""

    destination: str
    application_fee_amount: int | None = None
    on_behalf_of: str | None = None


@dataclass(frozen=True)
class CheckoutTerms:
    """What a checkout session was created with that the session object does not show."""

    line_items: list[LineItem] = field(default_factory=list)
    intent_metadata: dict[str, str] = field(default_factory=dict)
    intent_description: str | None = None
    setup_future_usage: str | None = None
    transfer: TransferTerms | None = None


@dataclass
class OnboardingLink:
    """A single-use account link: opened once, then only its refresh URL is left."""

    account_id: str
    refresh_url: str
    return_url: str
    expires_at: int
    opened: bool = False
    completed: bool = False


class StripeState:
    """The stand-in's memory: objects, events, test cards behind payment methods, the clock."""

    def __init__(
        self, clock: Callable[[], datetime], *, api_version: str, merchant_name: str
    ) -> None:
        self.clock = clock
        self.api_version = api_version
        self.merchant_name = merchant_name
        self.objects: dict[str, StripeObject] = {}
        self.events: dict[str, StripeObject] = {}
        self.checkout_terms: dict[str, CheckoutTerms] = {}
        self.cards: dict[str, Card] = {}
        self.spent_payment_methods: set[str] = set()
        # The platform's Connect application, named on the application fees it collects.
        self.application_id = new_id("ca")
        self.onboarding_links: dict[str, OnboardingLink] = {}
        # Express dashboard links, by the token in their URL: the account each one opens.
        self.dashboard_links: dict[str, str] = {}
        self.event_listeners: list[Callable[[StripeObject], None]] = []

    @property
    def statement_descriptor(self) -> str:
        """What card statements show for the merchant."""
        return self.merchant_name.upper()[:22]

    def now(self) -> int:
        """The current time as a unix timestamp."""
        return int(self.clock().timestamp())

    def add(self, obj: StripeObject) -> StripeObject:
        """Keep a new object and hand it back."""
        self.objects[obj["id"]] = obj
        return obj

    def find(self, object_type: str, object_id: str) -> StripeObject | None:
        """The object of that type with that id, if there is one."""
        obj = self.objects.get(object_id)
        return obj if obj is not None and obj["object"] == object_type else None

    def newest_first(self, object_type: str) -> list[StripeObject]:
        """Every object of a type, the latest created first, as Stripe lists them."""
        return [obj for obj in reversed(self.objects.values()) if obj["object"] == object_type]

    def emit(
        self,
        event_type: str,
        obj: StripeObject,
        origin: Origin,
        *,
        account: str | None = None,
        previous: StripeObject | None = None,
    ) -> StripeObject:
        """Record an event carrying a snapshot of `obj`, and tell the listeners; an event about
        a connected account names it in `account`, and an update says what it changed from."""
        data: StripeObject = {"object": snapshot(obj)}
        if previous is not None:
            data["previous_attributes"] = previous
        event: StripeObject = {
            "id": new_id("evt"),
            "object": "event",
            "api_version": self.api_version,
            "created": self.now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": 0,
            "request": {"id": origin.request_id, "idempotency_key": origin.idempotency_key},
            "type": event_type,
        }
        if account is not None:
            event["account"] = account
        self.events[event["id"]] = event
        for listener in self.event_listeners:
            listener(event)
        return event
