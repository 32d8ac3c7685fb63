"""Readers for catalog field values; each raises ValueError saying what the value must be."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from babel.numbers import list_currencies

from core.campaigns import FundingModel
from core.identity import Identity
from core.money import Money, minor_digits

_RELATIVE = re.compile(r"^([+-])(\d+)([dhm])$")
_RELATIVE_MONTHS = re.compile(r"^\+(\d+)mo$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def text(value: object) -> str:
    """Any string."""
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def yes_no(value: object) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def positive_int(value: object) -> int:
    """A whole number above zero."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError("must be a positive integer")
    return value


def one_of(choices: tuple[str, ...]) -> Callable[[object], str]:
    """A reader accepting one of a few strings."""

    def read(value: object) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return str(value)

    return read


def funding_model(value: object) -> FundingModel:
    """all_or_nothing or flexible."""
    return FundingModel(one_of(tuple(FundingModel))(value))


def currency(value: object) -> str:
    """An ISO 4217 currency code."""
    if not isinstance(value, str) or value not in list_currencies():
        raise ValueError('must be an ISO 4217 currency code like "EUR"')
    return value


def money(code: str) -> Callable[[object], Money]:
    """A reader of positive amounts in major units of one currency."""
    expected = f'must be a positive amount in {code} like "25" or 12.5'

    def read(value: object) -> Money:
        # Decimal is how the catalog parser reads TOML floats, exactly as written.
        if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
            raise ValueError(expected)
        # Money.from_major reads a comma as a decimal point: "1,000" would be one unit.
        if isinstance(value, str) and "," in value:
            raise ValueError(f"{expected}, without commas")
        try:
            amount = Money.from_major(str(value), code)
        except (ValueError, ArithmeticError):
            raise ValueError(f"{expected}, with at most {minor_digits(code)} decimals") from None
        if amount.amount <= 0:
            raise ValueError(expected)
        return amount

    return read


def amounts(code: str) -> Callable[[object], tuple[int, ...]]:
    """A reader of a list of amounts, returned in minor units."""
    read_one = money(code)

    def read(value: object) -> tuple[int, ...]:
        if not isinstance(value, list):
            raise ValueError(f'must be a list of amounts in {code} like ["15000", "20000"]')
        return tuple(read_one(item).amount for item in value)

    return read


def instant(now: datetime) -> Callable[[object], datetime]:
    """A reader of "-20d", "+18h", "+30m" (from now) or ISO 8601 times with an offset, in UTC."""
    expected = 'must be a time like "-20d", "+18h" or "2026-05-01T12:00:00+02:00"'

    def read(value: object) -> datetime:
        if isinstance(value, str) and (relative := _RELATIVE.match(value)):
            sign, count, unit = relative.groups()
            delta = timedelta(**{_UNITS[unit]: int(count)})
            return now + delta if sign == "+" else now - delta
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                raise ValueError(expected) from None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"{expected}, with its UTC offset")
        return value.astimezone(UTC)

    return read


def month(now: datetime) -> Callable[[object], date]:
    """A reader of delivery months: "2026-09", or "+4mo" (months from now); the 1st of it."""
    expected = 'must be a month like "2026-09" or "+4mo"'

    def read(value: object) -> date:
        if not isinstance(value, str):
            raise ValueError(expected)
        if relative := _RELATIVE_MONTHS.match(value):
            index = now.year * 12 + now.month - 1 + int(relative.group(1))
            return date(index // 12, index % 12 + 1, 1)
        if (absolute := _MONTH.match(value)) and 1 <= int(absolute.group(2)) <= 12:
            return date(int(absolute.group(1)), int(absolute.group(2)), 1)
        raise ValueError(expected)

    return read


def identities(value: object) -> tuple[Identity, ...]:
    """A list of "telegram:123" / "discord:456" identities."""
    expected = 'must be a list of identities like "telegram:123" or "discord:456"'
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(expected)
    try:
        return tuple(Identity.parse(item) for item in value)
    except ValueError:
        raise ValueError(expected) from None


def countries(value: object) -> tuple[str, ...]:
    """A list of ISO 3166 two-letter country codes."""
    if not isinstance(value, list) or not all(
        isinstance(item, str) and re.fullmatch(r"[A-Z]{2}", item) for item in value
    ):
        raise ValueError('must be a list of two-letter country codes like ["FR", "BE"]')
    return tuple(value)
