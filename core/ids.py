"""Ids read from outside (links, provider metadata): what the databases can hold, or nothing."""

from __future__ import annotations

import re

# Both databases store ids as 64-bit signed integers.
MAX_ID = 2**63 - 1
# ASCII only: `str.isdigit` and `int` also take "²" or "١٢", and `int` takes " 7", "+7", "7_0".
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(text: str) -> int | None:
    """The non-negative id `text` spells in ASCII digits, or None if it is not one or too big."""
    if _DIGITS.fullmatch(text) is None:
        return None
    value = int(text)
    return value if value <= MAX_ID else None
