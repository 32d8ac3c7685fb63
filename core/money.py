"""Money as an integer count of a currency's minor unit, never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision

_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units (cents, yen…) of an ISO 4217 currency."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        # bool is an int subclass; a True amount is always a bug upstream.
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError(f"money amount must be an int, not {type(self.amount).__name__}")
        if not _CURRENCY_CODE.match(self.currency):
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        """No money in the given currency."""
        return cls(0, currency)

    @classmethod
    def from_major(cls, text: str, currency: str) -> Money:
        """Parse a decimal amount in major units ("25", "12.50") exactly."""
        digits = minor_digits(currency)
        value = Decimal(text.strip().replace(",", "."))
        # Written decimals count, not their value: "1,000" is a thousand to most people, so
        # it is refused rather than read as one euro.
        exponent = value.as_tuple().exponent
        if not value.is_finite() or not isinstance(exponent, int) or exponent < -digits:
            raise ValueError(f"{text!r} has more than {digits} decimals for {currency}")
        return cls(int(value.scaleb(digits)), currency)

    def to_major(self) -> Decimal:
        """The amount in major units, exactly, for display and formatting."""
        return Decimal(self.amount).scaleb(-minor_digits(self.currency))

    def format(self, locale: str) -> str:
        """Render for a reader's locale: "€1,234.50", "1 234,50 €", "¥1,235"."""
        return format_currency(self.to_major(), self.currency, locale=locale)


def minor_digits(currency: str) -> int:
    """How many decimal places the currency's minor unit has (JPY: 0, EUR: 2)."""
    return int(get_currency_precision(currency))
