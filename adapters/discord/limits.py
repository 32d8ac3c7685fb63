"""Discord's size limits, and user text cut and escaped to fit them."""

from __future__ import annotations

import discord

# Cut and ellipsis are the same on every platform; Discord code takes them from here.
from adapters.chat_text import ELLIPSIS as ELLIPSIS
from adapters.chat_text import cut as cut
from adapters.chat_text import utf16_length

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
# Discord counts characters; UTF-16 code units are never fewer, so what fits them fits Discord.
length = utf16_length


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
