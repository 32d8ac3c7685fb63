"""Discord's size limits, and user text cut and escaped to fit them."""

from __future__ import annotations

import discord

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
# Characters counted across every embed of one message.
EMBED_TOTAL = 6000
ROWS = 5
ROW_WIDTH = 5
BUTTON_LABEL = 80
MODAL_TITLE = 45
MODAL_FIELDS = 5
INPUT_LABEL = 45
INPUT_DESCRIPTION = 100
TEXT_INPUT = 4000
CHOICE_NAME = 100
CHOICES = 25
ELLIPSIS = "…"


def length(text: str) -> int:
    """Length in UTF-16 code units: never less than Discord's count, however it counts."""
    return len(text.encode("utf-16-le")) // 2


def cut(text: str, limit: int) -> str:
    """The text, shortened with an ellipsis if it is longer than `limit`."""
    if length(text) <= limit:
        return text
    used = 0
    for index, char in enumerate(text):
        used += length(char)
        if used > limit - 1:
            return text[:index].rstrip() + ELLIPSIS
    return text


def inert(text: str) -> str:
    """User text that neither formats nor pings: markdown and mentions escaped."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def fit(text: str, limit: int) -> str:
    """User text made inert within `limit`, cut before escaping so that no escape is split."""
    shown = inert(cut(text, limit))
    if length(shown) <= limit:
        return shown
    # Escapes lengthen the text: find the longest cut whose escaped form still fits.
    low, high, best = 0, limit - 1, ""
    while low <= high:
        room = (low + high) // 2
        shown = inert(cut(text, room)) if room else ""
        if length(shown) <= limit:
            best, low = shown, room + 1
        else:
            high = room - 1
    return best
