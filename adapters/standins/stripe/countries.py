"""The countries Stripe Checkout ships to, and their names on the payment page."""

from __future__ import annotations

from babel import Locale

from core.shipping import SHIPPING_COUNTRIES

__all__ = ["SHIPPING_COUNTRIES", "country_name"]

_NAMES = Locale("en").territories


def country_name(code: str) -> str:
    """The English name of a country, or its code when it has none."""
    return str(_NAMES.get(code, code))
