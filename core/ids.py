"""Record ids read from outside: ASCII digits naming a row a 64-bit signed column can hold."""

from __future__ import annotations

# Ids are BIGINT on PostgreSQL and INTEGER (eight bytes) on SQLite: both stop here.
MAX_ID = 2**63 - 1
# More digits than MAX_ID has cannot name a row; checked before int() reads a long string.
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(text: str) -> int | None:
    """The id a text names, or None unless it is ASCII digits for a number from 1 to MAX_ID."""
    # str.isdigit alone accepts "²" and other digits int() refuses or reads differently.
    if not (0 < len(text) <= _MAX_DIGITS and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
