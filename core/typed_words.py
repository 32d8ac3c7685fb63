"""Words as creators type them, compared without case, accents or a closing dot."""

from __future__ import annotations

import unicodedata


def plain(text: str) -> str:
    """Lowercase without accents or a closing dot: "Févr." and "fevr" read the same."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip(".")
