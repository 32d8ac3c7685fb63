"""Typed amounts: every way people write one is read exactly, anything else refused by name."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.amounts import amount_between, read_amount
from core.errors import DomainError, InvalidAmount
from core.i18n import use_locale
from core.money import Money

NBSP, NNBSP = "\u00a0", "\u202f"


def refusal(parse: Callable[[], object], locale: str = "en") -> str:
    """The message a refused amount gets, in the locale."""
    with pytest.raises(DomainError) as refused:
        parse()
    with use_locale(locale):
        return refused.value.user_message()


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("5000", "EUR", 500_000),
        (" 49.90 ", "EUR", 4_990),
        ("49,90", "EUR", 4_990),
        ("12,5", "EUR", 1_250),
        ("3,000", "GBP", 300_000),
        ("3,000 GBP", "GBP", 300_000),
        ("GBP 3,000", "GBP", 300_000),
        ("gbp3000", "GBP", 300_000),
        ("£3,000", "GBP", 300_000),
        ("£ 3,000.50", "GBP", 300_050),
        ("€60", "EUR", 6_000),
        ("60 €", "EUR", 6_000),
        ("60 EUR", "EUR", 6_000),
        ("60€", "EUR", 6_000),
        ("3 000", "EUR", 300_000),
        (f"3{NBSP}000,50", "EUR", 300_050),
        (f"3{NNBSP}000,50 €", "EUR", 300_050),
        (f"1{NNBSP}234{NNBSP}567", "EUR", 123_456_700),
        ("3.000,50", "EUR", 300_050),
        ("3,000.50", "USD", 300_050),
        ("1,234,567", "USD", 123_456_700),
        ("5.000.000", "EUR", 500_000_000),
        # Three digits after a single mark group thousands, unless the currency has three
        # decimals: nobody prices in tenths of a cent.
        ("49.999", "GBP", 4_999_900),
        ("3'000", "CHF", 300_000),
        ("$60", "USD", 6_000),
        # A dollar sign is the campaign's own dollar when it has one.
        ("$60", "CAD", 6_000),
        ("¥5000", "JPY", 5_000),
        ("12.345 KWD", "KWD", 12_345),
        ("٣٠٠٠", "EUR", 300_000),
        ("３０００", "EUR", 300_000),
    ],
)
def test_an_amount_is_read_exactly_however_it_is_written(
    text: str, currency: str, minor: int
) -> None:
    assert read_amount(text, currency) == Money(minor, currency)


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("5000", Money(500_000, "EUR")),
        ("£3,000", Money(300_000, "GBP")),
        ("3 000 usd", Money(300_000, "USD")),
        ("$60", Money(6_000, "USD")),
        ("¥5000", Money(5_000, "JPY")),
    ],
)
def test_a_goal_may_be_in_any_currency_named_by_code_or_symbol(text: str, money: Money) -> None:
    assert read_amount(text, "EUR", any_currency=True) == money


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("five thousand", "“five thousand” is not an amount: type digits, e.g. 5000"),
        ("", "“” is not an amount: type digits, e.g. 5000"),
        ("NaN", "“NaN” is not an amount: type digits, e.g. 5000"),
        ("inf", "“inf” is not an amount: type digits, e.g. 5000"),
        ("-inf", "“-inf” is not an amount: type digits, e.g. 5000"),
        ("1e5", "“1e5” is not an amount: type digits, e.g. 5000"),
        ("1e400", "“1e400” is not an amount: type digits, e.g. 5000"),
        ("0x10", "“0x10” is not an amount: type digits, e.g. 5000"),
        ("5 0", "“5 0” is not an amount: type digits, e.g. 5000"),
        ("1,00,000", "“1,00,000” is not an amount: type digits, e.g. 5000"),
        ("1.5.5", "“1.5.5” is not an amount: type digits, e.g. 5000"),
        ("€ 5 €", "“€ 5 €” is not an amount: type digits, e.g. 5000"),
        ("5-", "“5-” is not an amount: type digits, e.g. 5000"),
        (
            "5000 euros",
            "“5000 euros”: “euros” is not a currency; use a code such as EUR, USD or GBP.",
        ),
        ("5000 ABC", "“5000 ABC”: “ABC” is not a currency; use a code such as EUR, USD or GBP."),
        ("€60", "This campaign is in GBP; “€60” is in EUR."),
        ("60 EUR", "This campaign is in GBP; “60 EUR” is in EUR."),
        ("$60", "This campaign is in GBP; “$60” is in USD."),
        ("49.9999", "“49.9999” has too many decimals: GBP amounts have 2 at most."),
    ],
)
def test_what_is_not_an_amount_in_the_currency_is_refused_quoting_it(
    text: str, message: str
) -> None:
    assert refusal(lambda: read_amount(text, "GBP")) == message


def test_whole_number_currencies_refuse_decimals() -> None:
    assert refusal(lambda: read_amount("5000.5", "JPY")) == (
        "“5000.5” has decimals, but JPY amounts are whole numbers."
    )


def test_every_refusal_is_an_invalid_amount_to_type_again() -> None:
    for text in ("abc", "5000 ABC", "49.9999", "€60"):
        with pytest.raises(InvalidAmount):
            read_amount(text, "GBP")


def test_hostile_input_is_refused_with_a_short_quote() -> None:
    huge = "x" * 10_000
    message = refusal(lambda: read_amount(huge, "EUR"))
    assert message == f"“{'x' * 39}…” is not an amount: type digits, e.g. 5000"
    digits = "9" * 10_000
    assert refusal(lambda: read_amount(digits, "EUR")).startswith(f"“{'9' * 39}…” is not")
    spaced = "1\n\n\t2"
    assert refusal(lambda: read_amount(spaced, "EUR")) == (
        "“1 2” is not an amount: type digits, e.g. 5000"
    )


def test_a_long_number_is_read_exactly_and_refused_by_its_range() -> None:
    long = "9" * 45
    money = read_amount(long, "EUR")
    assert money.amount == int(long) * 100
    most = Money(1_000_000, "EUR")
    assert refusal(lambda: amount_between(long, money, Money(50, "EUR"), most)) == (
        f"“{'9' * 39}…” is more than €10,000.00, the largest amount accepted."
    )


@pytest.mark.parametrize("text", ["-5", "−5", "0", "0.49"])
def test_zero_negative_and_small_amounts_are_below_the_smallest(text: str) -> None:
    money = read_amount(text, "EUR")
    least, most = Money(50, "EUR"), Money(1_000_000, "EUR")
    assert refusal(lambda: amount_between(text, money, least, most)) == (
        f"“{text}” is less than €0.50, the smallest amount accepted."
    )


def test_the_refusals_speak_french() -> None:
    assert refusal(lambda: read_amount("cinq mille", "EUR"), "fr") == (
        "«\u00a0cinq mille\u00a0» n’est pas un montant\u00a0: tapez des chiffres, par exemple 5000"
    )
    assert refusal(lambda: read_amount("£60", "EUR"), "fr") == (
        "Cette campagne est en EUR\u00a0; «\u00a0£60\u00a0» est en GBP."
    )
    money = read_amount("0,10", "EUR")
    least, most = Money(50, "EUR"), Money(1_000_000, "EUR")
    assert refusal(lambda: amount_between("0,10", money, least, most), "fr") == (
        "«\u00a00,10\u00a0» est inférieur à 0,50\u00a0€, le plus petit montant accepté."
    )
