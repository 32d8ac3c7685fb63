"""Stripe's test cards that the stand-in knows, and how each one behaves."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum


class CardBehaviour(Enum):
    """What happens when a card is used."""

    SUCCEEDS = "succeeds"
    DECLINED = "declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    NEEDS_AUTHENTICATION = "needs_authentication"
    DECLINES_AFTER_ATTACHING = "declines_after_attaching"
    DISPUTED = "disputed"


@dataclass(frozen=True)
class Card:
    """A test card number and its behaviour."""

    number: str
    behaviour: CardBehaviour
    description: str
    brand: str = "visa"
    funding: str = "credit"
    country: str = "US"

    @property
    def last4(self) -> str:
        """The last four digits."""
        return self.number[-4:]

    @property
    def fingerprint(self) -> str:
        """The same number always has the same fingerprint, as on Stripe."""
        return hashlib.sha256(self.number.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Decline:
    """How Stripe reports a declined card."""

    code: str
    decline_code: str
    message: str


TEST_CARDS = {
    card.number: card
    for card in (
        Card("4242424242424242", CardBehaviour.SUCCEEDS, "Succeeds"),
        Card("4000000000000002", CardBehaviour.DECLINED, "Declined"),
        Card("4000000000009995", CardBehaviour.INSUFFICIENT_FUNDS, "Declined: insufficient funds"),
        Card("4000000000003220", CardBehaviour.NEEDS_AUTHENTICATION, "Needs 3-D Secure"),
        Card(
            "4000000000000341",
            CardBehaviour.DECLINES_AFTER_ATTACHING,
            "Saves, then every later charge is declined",
        ),
        Card("4000000000000259", CardBehaviour.DISPUTED, "Succeeds, then is disputed as fraud"),
    )
}

# Stripe's test PaymentMethod ids, each standing for a test card: attaching one to a customer
# saves a new card payment method, as Stripe does in test mode.
TEST_PAYMENT_METHODS = {
    "pm_card_visa": TEST_CARDS["4242424242424242"],
    "pm_card_chargeDeclined": TEST_CARDS["4000000000000002"],
    "pm_card_chargeCustomerFail": TEST_CARDS["4000000000000341"],
    "pm_card_createDispute": TEST_CARDS["4000000000000259"],
}

_DECLINES = {
    CardBehaviour.DECLINED: Decline("card_declined", "generic_decline", "Your card was declined."),
    CardBehaviour.DECLINES_AFTER_ATTACHING: Decline(
        "card_declined", "generic_decline", "Your card was declined."
    ),
    CardBehaviour.INSUFFICIENT_FUNDS: Decline(
        "card_declined", "insufficient_funds", "Your card has insufficient funds."
    ),
    CardBehaviour.NEEDS_AUTHENTICATION: Decline(
        "authentication_required",
        "authentication_required",
        "Your card was declined. This transaction requires authentication.",
    ),
}


def charge_decline(card: Card) -> Decline | None:
    """The decline a charge on this card meets, or None when it goes through."""
    return _DECLINES.get(card.behaviour)


def setup_decline(card: Card) -> Decline | None:
    """The decline saving this card for later meets, or None when it is saved."""
    if card.behaviour is CardBehaviour.DECLINES_AFTER_ATTACHING:
        return None
    return _DECLINES.get(card.behaviour)


def passes_luhn(number: str) -> bool:
    """Whether the digits pass the Luhn check that every real card number passes."""
    total = 0
    for position, digit in enumerate(int(char) for char in reversed(number)):
        doubled = digit * 2 if position % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0
