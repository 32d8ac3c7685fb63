"""Amounts as Stripe's API counts them, which is not always in ISO 4217's minor units.

Backit's Money counts in each currency's ISO minor unit (Babel's digits). Stripe counts in
whole units for its zero-decimal currencies, thousandths for its three-decimal ones, and
hundredths for every other, even where ISO has no minor unit (HUF, ISK, COP, IDR: Stripe's
"special cases", docs.stripe.com/currencies). Every amount crosses to and from Stripe here.
"""

from __future__ import annotations

from core.money import Money, minor_digits
from core.payments import PaymentUnavailable

_ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND",
     "VUV", "XAF", "XOF", "XPF"}
)  # fmt: skip
_THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})


def _shift(currency: str) -> int:
    """How many more decimals Stripe's count has than Backit's, for this currency."""
    if currency in _ZERO_DECIMAL:
        digits = 0
    elif currency in _THREE_DECIMAL:
        digits = 3
    else:
        digits = 2
    return digits - minor_digits(currency)


def to_stripe(money: Money) -> int:
    """The amount Stripe's API takes for `money`."""
    shift = _shift(money.currency)
    scale = _power_of_ten(shift)
    if shift >= 0:
        return money.amount * scale
    # A currency ISO counts finer than Stripe does: only whole Stripe units can be charged.
    if money.amount % scale:
        raise PaymentUnavailable()
    return money.amount // scale


def from_stripe(amount: int, currency: str) -> int | None:
    """Backit's minor units for an amount Stripe reports in `currency` (upper case); None
    when they cannot hold it exactly, so it can match no pledge."""
    shift = _shift(currency)
    scale = _power_of_ten(shift)
    if shift <= 0:
        return amount * scale
    return None if amount % scale else amount // scale


def _power_of_ten(shift: int) -> int:
    return int(10 ** abs(shift))
