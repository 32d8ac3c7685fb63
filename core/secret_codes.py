"""The codes that reveal secret rewards: unguessable, and short enough for any link."""

from __future__ import annotations

import re
import secrets
import string

# Letters and digits only: a code sits in Telegram start payloads, where "_" separates parts.
_ALPHABET = string.ascii_letters + string.digits
LENGTH = 10
SECRET_CODE = re.compile(rf"^[A-Za-z0-9]{{{LENGTH}}}$")


def new_secret_code() -> str:
    """A fresh code, about 59 random bits: tier ids are sequential, a code cannot be guessed."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(LENGTH))
