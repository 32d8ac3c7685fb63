"""Money: integer minor units, exact parsing, locale-aware formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import Money, minor_digits


def test_parses_major_units_exactly() -> None:
    assert Money.from_major("12.50", "EUR") == Money(1250, "EUR")
    assert Money.from_major("12,5", "EUR") == Money(1250, "EUR")
    assert Money.from_major("1500", "JPY") == Money(1500, "JPY")


@pytest.mark.parametrize(("text", "currency"), [("1.234", "EUR"), ("10.5", "JPY")])
def test_refuses_more_decimals_than_the_currency_has(text: str, currency: str) -> None:
    with pytest.raises(ValueError, match="decimals"):
        Money.from_major(text, currency)


def test_refuses_floats_and_bools_as_amounts() -> None:
    with pytest.raises(TypeError):
        Money(12.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True, "EUR")


def test_refuses_a_malformed_currency() -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(100, "eur")


def test_does_not_mix_currencies() -> None:
    with pytest.raises(ValueError, match="cannot mix"):
        Money(1, "EUR") + Money(1, "USD")


def test_formats_for_the_readers_locale() -> None:
    assert Money(123_450, "EUR").format("en") == "€1,234.50"
    assert Money(123_450, "EUR").format("fr") == "1\u202f234,50\u00a0€"


def test_zero_decimal_currencies_format_without_cents() -> None:
    assert minor_digits("JPY") == 0
    assert Money(1500, "JPY").format("en") == "¥1,500"
    assert Money(1500, "JPY").to_major() == Decimal(1500)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["EUR", "USD", "JPY", "GBP"]))
def test_major_units_round_trip(amount: int, currency: str) -> None:
    money = Money(amount, currency)
    assert Money.from_major(str(money.to_major()), currency) == money


@pytest.mark.parametrize(
    ("text", "currency"), [("1,000", "EUR"), ("1.000", "USD"), ("1,000", "JPY")]
)
def test_a_thousands_separator_is_never_read_as_a_decimal_point(text: str, currency: str) -> None:
    with pytest.raises(ValueError, match="decimals"):
        Money.from_major(text, currency)
