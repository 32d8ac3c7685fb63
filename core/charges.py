"""The smallest amount the payment provider will charge, per currency."""

from __future__ import annotations

from core.money import Money

# Stripe's minimum charge amounts, in major units, as listed at
# https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts. Stripe refuses to open
# a payment below them, so a pledge below them could never be paid.
_MINIMUM_MAJOR = {
    "AED": "2.00",
    "AUD": "0.50",
    "BGN": "1.00",
    "BRL": "0.50",
    "CAD": "0.50",
    "CHF": "0.50",
    "CZK": "15.00",
    "DKK": "2.50",
    "EUR": "0.50",
    "GBP": "0.30",
    "HKD": "4.00",
    # Whole forints: Babel gives HUF no minor digits.
    "HUF": "175",
    "INR": "0.50",
    "JPY": "50",
    "MXN": "10.00",
    "MYR": "2.00",
    "NOK": "3.00",
    "NZD": "0.50",
    "PLN": "2.00",
    "RON": "2.00",
    "SEK": "3.00",
    "SGD": "0.50",
    "THB": "10.00",
    "USD": "0.50",
}


def minimum_charge(currency: str) -> Money:
    """The smallest pledge the provider can take in a currency."""
    major = _MINIMUM_MAJOR.get(currency)
    # Stripe's table names no minimum for other currencies (it converts them and checks the
    # result itself): one minor unit stays the floor, as before the table.
    return Money(1, currency) if major is None else Money.from_major(major, currency)
