"""The provider's minimum charge, per currency."""

from __future__ import annotations

import pytest

from core.charges import minimum_charge
from core.money import Money


@pytest.mark.parametrize(
    ("currency", "minimum"),
    [
        ("USD", 50),
        ("EUR", 50),
        ("GBP", 30),
        ("JPY", 50),
        ("CZK", 1_500),
        ("DKK", 250),
        ("HKD", 400),
        ("HUF", 175),
        ("MXN", 1_000),
        ("THB", 1_000),
        ("BGN", 100),
    ],
)
def test_listed_currencies_take_stripes_minimum_charge(currency: str, minimum: int) -> None:
    assert minimum_charge(currency) == Money(minimum, currency)


@pytest.mark.parametrize("currency", ["ISK", "KWD", "ZAR"])
def test_unlisted_currencies_take_one_minor_unit(currency: str) -> None:
    assert minimum_charge(currency) == Money(1, currency)
