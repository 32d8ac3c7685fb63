"""Text for chat platforms: measured as they count it, cut and split without breaking what
reads as one character (an accent, an emoji sequence, a flag)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator

ELLIPSIS = "…"
# Where a long text breaks, best first: between paragraphs, lines, words.
_BREAKS = ("\n\n", "\n", " ")
_ZWJ = "\u200d"
# Combining marks, variation selectors and keycaps: each belongs to the character before it.
_MARKS = frozenset({"Mn", "Mc", "Me"})

# How long a text is for a platform's limit; escaping for the platform may be part of it.
Measure = Callable[[str], int]


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: how Telegram counts, and never less than Discord counts
    (an emoji outside the Basic Multilingual Plane counts two)."""
    return len(text.encode("utf-16-le")) // 2


def cut(text: str, limit: int) -> str:
    """The text, shortened with an ellipsis if it is longer than `limit` UTF-16 units, never
    inside a character."""
    if utf16_length(text) <= limit:
        return text
    used = 0
    for index, char in enumerate(text):
        used += utf16_length(char)
        if used > limit - 1:
            return text[: _boundary_before(text, index)].rstrip() + ELLIPSIS
    return text


def split(
    text: str, limit: int, measure: Measure = utf16_length, *, first: int | None = None
) -> list[str]:
    """The text in pieces that join back into it, each measuring at most `limit` (the first
    at most `first`, when given), broken between paragraphs, else lines, else words, else
    characters; a character is cut only if it alone is longer than the limit."""
    if min(limit, limit if first is None else first) < 2:
        # One character, escaped, takes up to two units: a smaller limit could never progress.
        raise ValueError("a piece needs room for at least two UTF-16 code units")
    pieces: list[str] = []
    rest = text
    while rest:
        room = first if first is not None and not pieces else limit
        end = _longest_fitting(rest, room, measure)
        at = end if end == len(rest) else _break(rest, end, room, measure)
        pieces.append(rest[:at])
        rest = rest[at:]
    return pieces


def _longest_fitting(text: str, limit: int, measure: Measure) -> int:
    """How many characters from the start fit (escapes only ever add length); at least one."""
    low, high, best = 1, min(len(text), limit), 1
    while low <= high:
        middle = (low + high) // 2
        if measure(text[:middle]) <= limit:
            best, low = middle, middle + 1
        else:
            high = middle - 1
    return best


def _break(text: str, end: int, limit: int, measure: Measure) -> int:
    """Where to end a piece no longer than `end`: the best break that still fits."""
    # A shorter piece can escape more (a link cut short is no longer left alone): check each.
    # None at all: a character longer than the whole piece (a pile of accents) is cut.
    return next((at for at in _break_candidates(text, end) if measure(text[:at]) <= limit), end)


def _break_candidates(text: str, end: int) -> Iterator[int]:
    # Breaking early would spend a message on little text: look only in the second half.
    floor = end // 2
    for mark in _BREAKS:
        found = text.rfind(mark, floor, end)
        if found >= 0 and not _inside_cluster(text, found + len(mark)):
            yield found + len(mark)
    at = _boundary_before(text, end)
    if at > 0:
        yield at


def _boundary_before(text: str, at: int) -> int:
    """The nearest place at or before `at` that ends a character, or 0 if none does."""
    while 0 < at < len(text) and _inside_cluster(text, at):
        at -= 1
    return at


def _inside_cluster(text: str, at: int) -> bool:
    """Whether cutting before `at` splits what reads as one character: an accent, an emoji."""
    before, after = text[at - 1], text[at]
    if before == _ZWJ or after == _ZWJ or unicodedata.category(after) in _MARKS:
        return True
    if before == "\r" and after == "\n":
        return True
    # Skin tones and the tags of subdivision flags modify the emoji before them.
    if "\U0001f3fb" <= after <= "\U0001f3ff" or "\U000e0020" <= after <= "\U000e007f":
        return True
    return _regional(before) and _regional(after) and _regional_run(text, at) % 2 == 1


def _regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _regional_run(text: str, at: int) -> int:
    """How many regional indicators (flag halves) stand just before `at`."""
    start = at
    while start > 0 and _regional(text[start - 1]):
        start -= 1
    return at - start
