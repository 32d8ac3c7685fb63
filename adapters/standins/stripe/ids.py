"""Object ids shaped like Stripe's: a type prefix and random letters and digits."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits

# Stripe's checkout session ids are much longer than the others.
_LENGTHS = {"cs_test": 60}


def new_id(prefix: str) -> str:
    """A fresh id such as `pi_3Qx...` or `cs_test_a1...`."""
    length = _LENGTHS.get(prefix, 24)
    return f"{prefix}_{''.join(secrets.choice(_ALPHABET) for _ in range(length))}"
