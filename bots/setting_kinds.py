"""Kinds of setting: how each is read from config.toml and from an environment variable."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from babel.numbers import list_currencies
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from core.identity import Identity
from core.payouts import ACCOUNT_COUNTRIES

T = TypeVar("T")

_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class Kind(Generic[T]):
    """One kind of setting: what it must look like, and how to read it.

    Readers raise ValueError when the value does not fit; the loader then names the setting.
    """

    expected: str
    from_toml: Callable[[object], T]
    from_env: Callable[[str], T]
    # Set for values that may hold a password: messages then never repeat them.
    secret: bool = False


def _positive_int(value: object) -> int:
    # TOML's true is an int to Python; a boolean here is always a mistake.
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(value)
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(value)
    return value.strip()


def _port(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
        raise ValueError(value)
    return value


def _http_url(value: object) -> str:
    url = _text(value)
    try:
        parts = urlsplit(url)
        # .port raises ValueError for a port that is not a number from 0 to 65535.
        addressable = bool(parts.hostname) and parts.port != 0
    except ValueError:
        raise ValueError(value) from None
    if parts.scheme not in ("http", "https") or not addressable or parts.query or parts.fragment:
        raise ValueError(value)
    # Paths are appended to it, so a trailing slash would double.
    return url.rstrip("/")


def _optional_http_url(value: object) -> str | None:
    if isinstance(value, str) and not value.strip():
        return None
    return _http_url(value)


def _optional_websocket_url(value: object) -> str | None:
    if isinstance(value, str) and not value.strip():
        return None
    url = _text(value)
    try:
        parts = urlsplit(url)
        addressable = bool(parts.hostname) and parts.port != 0
    except ValueError:
        raise ValueError(value) from None
    if parts.scheme not in ("ws", "wss") or not addressable or parts.query or parts.fragment:
        raise ValueError(value)
    return url


# Where a Discord server's invites and an app's install links live.
_DISCORD_HOSTS = ("discord.gg", "discord.com", "www.discord.com", "discordapp.com")


def _optional_discord_link(value: object) -> str | None:
    if isinstance(value, str) and not value.strip():
        return None
    url = _text(value)
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise ValueError(value) from None
    if parts.scheme != "https" or host not in _DISCORD_HOSTS or parts.path.strip("/") == "":
        raise ValueError(value)
    return url


def _telegram_mode(value: object) -> str:
    mode = _text(value).lower()
    if mode not in ("polling", "webhook"):
        raise ValueError(value)
    return mode


def _database_url(value: object) -> str:
    url = _text(value)
    try:
        make_url(url)
    except ArgumentError:
        raise ValueError(value) from None
    return url


def _log_level(value: object) -> str:
    level = _text(value).upper()
    if level not in logging.getLevelNamesMapping() or level == "NOTSET":
        raise ValueError(value)
    return level


def _identities(value: object) -> frozenset[Identity]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(value)
    return frozenset(Identity.parse(item.strip()) for item in value)


def _comma_separated(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _currency_table(value: object, amount: Callable[[object], int]) -> Mapping[str, int]:
    if not isinstance(value, dict):
        raise ValueError(value)
    for code, each in value.items():
        if not _CURRENCY.match(code):
            raise ValueError(value)
        amount(each)
    return MappingProxyType(dict(value))


def _currency_pairs(text: str) -> dict[str, int]:
    """CODE=amount pairs, comma-separated, as the environment gives a table."""
    pairs = [item.partition("=") for item in _comma_separated(text)]
    if not all(sep for _, sep, _ in pairs):
        raise ValueError(text)
    return {code.strip(): int(amount) for code, _, amount in pairs}


def _currency_amounts(value: object) -> Mapping[str, int]:
    return _currency_table(value, _positive_int)


def _non_negative_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(value)
    return value


def _currency_fees(value: object) -> Mapping[str, int]:
    fees = _currency_table(value, _non_negative_int)
    # Fees are charged in the currency they name: it must be one that exists.
    if not set(fees) <= set(list_currencies()):
        raise ValueError(value)
    return fees


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(value)
    return value


def _boolean_env(text: str) -> bool:
    word = text.strip().lower()
    if word not in ("true", "false"):
        raise ValueError(text)
    return word == "true"


def _account_country(value: object) -> str:
    country = _text(value).upper()
    if country not in ACCOUNT_COUNTRIES:
        raise ValueError(value)
    return country


# Backit's fee may take at most half of a pledge.
_MAX_FEE_PERCENT = 50


def _basis_points(value: object) -> int:
    """A percentage such as 5, 2.5 or "2.5" as hundredths of a percent (250), read as a
    decimal so that no float reaches money."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(value)
    try:
        # A TOML float's repr is its shortest exact decimal form: 2.5 reads as "2.5".
        percent = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise ValueError(value) from None
    if not percent.is_finite() or not 0 <= percent <= _MAX_FEE_PERCENT:
        raise ValueError(value)
    hundredths = percent * 100
    if hundredths != hundredths.to_integral_value():
        raise ValueError(value)
    return int(hundredths)


POSITIVE_INT: Kind[int] = Kind(
    "a positive integer", _positive_int, lambda text: _positive_int(int(text.strip()))
)
DATABASE_URL: Kind[str] = Kind(
    "a database URL like sqlite+aiosqlite:///data/backit.db (the value is not shown)",
    _database_url,
    _database_url,
    secret=True,
)
PORT: Kind[int] = Kind(
    "a port number from 0 to 65535 (0: any free port)",
    _port,
    lambda text: _port(int(text.strip())),
)
TEXT: Kind[str] = Kind("a non-empty string", _text, _text)
HTTP_URL: Kind[str] = Kind(
    'an http(s) URL without query or fragment, like "https://backit.example.org"',
    _http_url,
    _http_url,
)
OPTIONAL_HTTP_URL: Kind[str | None] = Kind(
    'empty, or an http(s) URL without query or fragment, like "http://127.0.0.1:12111"',
    _optional_http_url,
    _optional_http_url,
)
OPTIONAL_WEBSOCKET_URL: Kind[str | None] = Kind(
    'empty, or a ws(s) URL without query or fragment, like "ws://127.0.0.1:12112/gateway"',
    _optional_websocket_url,
    _optional_websocket_url,
)
OPTIONAL_DISCORD_LINK: Kind[str | None] = Kind(
    "empty, or a server invite or app install link on https://discord.gg or https://discord.com, "
    'like "https://discord.gg/AbCdEf"',
    _optional_discord_link,
    _optional_discord_link,
)
LOG_LEVEL: Kind[str] = Kind("one of DEBUG, INFO, WARNING, ERROR, CRITICAL", _log_level, _log_level)
IDENTITIES: Kind[frozenset[Identity]] = Kind(
    'a list of platform identities like "telegram:123" or "discord:456" '
    "(in the environment: comma-separated)",
    _identities,
    lambda text: _identities(_comma_separated(text)),
)
CURRENCY_AMOUNTS: Kind[Mapping[str, int]] = Kind(
    "a table of currency codes to positive integers, like { JPY = 1500000 } "
    "(in the environment: JPY=1500000,KRW=13000000)",
    _currency_amounts,
    lambda text: _currency_amounts(_currency_pairs(text)),
)
CURRENCY_FEES: Kind[Mapping[str, int]] = Kind(
    "a table of currency codes to amounts in minor units (cents) from 0 up, like "
    "{ EUR = 30, JPY = 40 } (in the environment: EUR=30,JPY=40)",
    _currency_fees,
    lambda text: _currency_fees(_currency_pairs(text)),
)
BOOLEAN: Kind[bool] = Kind("true or false", _boolean, _boolean_env)
ACCOUNT_COUNTRY: Kind[str] = Kind(
    'a two-letter country code where Stripe opens Express accounts, like "FR", "DE", "GB" or "US"',
    _account_country,
    _account_country,
)
FEE_PERCENT: Kind[int] = Kind(
    'a percentage from 0 to 50 with at most two decimals, like 5 or 2.5 (or "2.5")',
    _basis_points,
    _basis_points,
)
TELEGRAM_MODE: Kind[str] = Kind('"polling" or "webhook"', _telegram_mode, _telegram_mode)
