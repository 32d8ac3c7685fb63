"""Amounts in minor units as Stripe reads them: currencies, minimum charges and display."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, list_currencies

# Stripe's zero-decimal currencies: amounts are whole units, not cents.
ZERO_DECIMAL = frozenset(
    {
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    }
)

# The smallest charge Stripe accepts, in minor units; other currencies: the local 50 cents.
_MINIMUM_CHARGE = {
    "usd": 50, "eur": 50, "gbp": 30, "chf": 50, "cad": 50, "aud": 50, "nzd": 50, "sgd": 50,
    "jpy": 50, "dkk": 250, "nok": 300, "sek": 300, "pln": 200, "czk": 1500, "huf": 17500,
    "mxn": 1000, "hkd": 400, "brl": 50, "inr": 50, "aed": 200, "ron": 200, "bgn": 100,
}  # fmt: skip


def is_currency(code: str) -> bool:
    """Whether `code` is a lowercase ISO 4217 currency."""
    return code.islower() and code.upper() in list_currencies()


def minimum_charge(currency: str) -> int:
    """The smallest amount Stripe charges in this currency, in minor units."""
    return _MINIMUM_CHARGE.get(currency, 50)


def display(amount: int, currency: str) -> str:
    """An amount as a payment page shows it, such as `€25.00`."""
    if currency in ZERO_DECIMAL:
        return str(
            format_currency(
                Decimal(amount), currency.upper(), "¤#,##0", locale="en", currency_digits=False
            )
        )
    return str(
        format_currency(
            Decimal(amount).scaleb(-2),
            currency.upper(),
            "¤#,##0.00",
            locale="en",
            currency_digits=False,
        )
    )
