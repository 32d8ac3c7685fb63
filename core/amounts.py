"""Amounts people type: digits with their own separators, and a currency code or symbol."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from babel.numbers import get_currency_symbol, list_currencies

from core.errors import (
    AmountInOtherCurrency,
    AmountTooLarge,
    AmountTooSmall,
    NotAnAmount,
    TooManyDecimals,
    UnknownCurrency,
)
from core.money import Money, minor_digits

# Longer than any amount with its currency: the rest is not worth reading, only refusing.
TYPED_MAX = 40
# Before or after the digits, a currency: "£3,000", "GBP 3,000", "60 €", "60EUR".
_TYPED = re.compile(
    r"^(?P<before>[^\d.,\-−+]*?)\s*(?P<sign>[-−+])?\s*"
    r"(?P<number>\d(?:[\d.,'’\s]*\d)?)\s*(?P<after>\D*?)$"
)
# Spaces of every width (French writes 3 000 with U+00A0 or U+202F) and the Swiss apostrophe
# only ever group thousands; a comma or a point may also be the decimal mark.
_GROUPING = re.compile(r"[\s'’]")
_MARKS = ",."
# Babel's sign for a locale's own currency is narrower elsewhere ("$" for CAD in Canada).
_SYMBOL_LOCALES = ("en", "fr", "en_CA", "en_AU", "fr_CA", "fr_CH", "de_CH", "ja", "zh")


class _Unreadable(Exception):
    """What was typed is no amount: read_amount says so, quoting it."""


def _ascii_digits(text: str) -> str:
    """Every decimal digit of any script ("٣٠٠٠", "３０００") as its ASCII digit."""
    return "".join(
        str(unicodedata.decimal(char)) if unicodedata.category(char) == "Nd" else char
        for char in text
    )


@cache
def _codes() -> frozenset[str]:
    return frozenset(list_currencies())


@cache
def _symbols() -> dict[str, tuple[str, ...]]:
    """Each currency symbol with the currencies it may stand for, the English meaning first."""
    found: dict[str, list[str]] = {}
    for locale in _SYMBOL_LOCALES:
        for code in sorted(_codes()):
            symbol = get_currency_symbol(code, locale=locale)
            if symbol != code and code not in found.setdefault(symbol, []):
                found[symbol].append(code)
    return {symbol: tuple(codes) for symbol, codes in found.items()}


def _currency(token: str, quoted: str, expected: str | None) -> str | None:
    """The currency a code or symbol names, preferring `expected` when a symbol is shared."""
    if not token:
        return None
    if token.upper() in _codes():
        return token.upper()
    candidates = _symbols().get(token, ())
    if not candidates:
        # A word or a sign is a currency this does not know; anything else is not an amount.
        if token.isalpha() or any(unicodedata.category(char) == "Sc" for char in token):
            raise UnknownCurrency(text=quoted, currency=token)
        raise _Unreadable
    return expected if expected in candidates else candidates[0]


def _digits(number: str, currency: str) -> tuple[str, str]:
    """Whole and decimal digits of "3 000,50", "3,000.50", "3.000", "49,90"."""
    marks = [index for index, char in enumerate(number) if char in _MARKS]
    decimals = ""
    if marks:
        last = marks[-1]
        after = number[last + 1 :]
        only_one_kind = len({number[index] for index in marks}) == 1
        # "3,000" and "5.000" group thousands (no currency has three decimals and a mark
        # used once besides the few that do); "49,90", "3 000,50" and "1,000.5" have decimals.
        grouped = only_one_kind and (
            len(marks) > 1 or (len(after) == 3 and minor_digits(currency) < 3)
        )
        if not grouped:
            decimals, number = after, number[:last]
    groups = re.split(r"[\s'’.,]", number)
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise _Unreadable
    if decimals and not decimals.isdigit():
        raise _Unreadable
    return "".join(groups), decimals


def quoted(text: str) -> str:
    """What was typed, on one line, shortened when it is far longer than any amount."""
    line = " ".join(text.split())
    return line if len(line) <= TYPED_MAX else line[: TYPED_MAX - 1] + "…"


def read_amount(
    text: str, currency: str, *, any_currency: bool = False, example: str = "5000"
) -> Money:
    """An amount typed in `currency` (or, with `any_currency`, in the code or symbol typed
    beside it, else `currency`): "3 000,50", "£3,000", "GBP 3,000", "60 €", "49.90"."""
    shown = quoted(text)
    try:
        return _read(text, shown, currency, any_currency)
    except _Unreadable:
        raise NotAnAmount(text=shown, example=example) from None


def _read(text: str, shown: str, currency: str, any_currency: bool) -> Money:
    if len(text) > TYPED_MAX * 4:
        raise _Unreadable
    found = _TYPED.match(_ascii_digits(text.strip()))
    if found is None or (found["before"].strip() and found["after"].strip()):
        raise _Unreadable
    token = (found["before"] or found["after"]).strip()
    typed = _currency(token, shown, None if any_currency else currency)
    if typed is not None and typed != currency and not any_currency:
        raise AmountInOtherCurrency(currency=currency, text=shown, typed=typed)
    currency = typed or currency
    whole, decimals = _digits(found["number"], currency)
    places = minor_digits(currency)
    if len(decimals) > places:
        raise TooManyDecimals(text=shown, currency=currency, places=places)
    # Integers all the way: Decimal would round past its 28 digits.
    minor = int(whole) * 10**places + int(decimals.ljust(places, "0") or 0)
    return Money(-minor if found["sign"] in ("-", "−") else minor, currency)


def amount_between(text: str, money: Money, minimum: Money, maximum: Money) -> Money:
    """The typed amount, if it lies between the two; else a refusal quoting it."""
    if money.amount < minimum.amount:
        raise AmountTooSmall(text=quoted(text), minimum=minimum)
    if money.amount > maximum.amount:
        raise AmountTooLarge(text=quoted(text), maximum=maximum)
    return money
