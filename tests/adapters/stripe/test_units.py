"""Amounts cross to Stripe in its own units: ISO's minor units are not always Stripe's."""

from __future__ import annotations

import pytest
from babel.numbers import list_currencies
from hypothesis import given
from hypothesis import strategies as st

from adapters.stripe.units import from_stripe, to_stripe
from core.money import Money
from core.payments import PaymentUnavailable


@pytest.mark.parametrize(
    ("money", "stripe_amount"),
    [
        (Money(2_500, "EUR"), 2_500),  # €25.00: both count cents
        (Money(500, "JPY"), 500),  # ¥500: both count whole yen
        (Money(1_250, "KWD"), 1_250),  # 1.250 KWD: both count thousandths
        # Stripe's special cases: no minor unit to ISO, hundredths to Stripe's API.
        (Money(175, "HUF"), 17_500),
        (Money(500, "ISK"), 50_000),
        (Money(2_000, "COP"), 200_000),
        (Money(10_000, "IDR"), 1_000_000),
    ],
)
def test_an_amount_is_sent_in_stripes_units_and_read_back_as_it_was(
    money: Money, stripe_amount: int
) -> None:
    assert to_stripe(money) == stripe_amount
    assert from_stripe(stripe_amount, money.currency) == money.amount


def test_an_amount_backit_cannot_count_exactly_matches_no_pledge() -> None:
    # 175.50 HUF at Stripe: Backit counts whole forints.
    assert from_stripe(17_550, "HUF") is None


def test_a_currency_iso_counts_finer_than_stripe_charges_only_whole_stripe_units() -> None:
    # ISO gives the Uruguayan wage index unit four decimals; Stripe's API would take two.
    assert to_stripe(Money(12_300, "UYW")) == 123
    with pytest.raises(PaymentUnavailable):
        to_stripe(Money(12_345, "UYW"))


@given(st.sampled_from(sorted(list_currencies())), st.integers(min_value=0, max_value=10**12))
def test_every_currency_round_trips(currency: str, amount: int) -> None:
    try:
        sent = to_stripe(Money(amount, currency))
    except PaymentUnavailable:
        return
    assert from_stripe(sent, currency) == amount
