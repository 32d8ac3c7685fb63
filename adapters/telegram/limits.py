"""Telegram's size limits, measured the way Telegram measures them."""

from __future__ import annotations

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200
BUTTON_LABEL_LIMIT = 64
ELLIPSIS = "…"


def telegram_length(text: str) -> int:
    """Length in UTF-16 code units, which is how Telegram counts (an emoji may count twice)."""
    return len(text.encode("utf-16-le")) // 2


def cut(text: str, limit: int) -> str:
    """The text, shortened with an ellipsis if it is longer than `limit`."""
    if telegram_length(text) <= limit:
        return text
    used = 0
    for index, char in enumerate(text):
        used += telegram_length(char)
        if used > limit - 1:
            return text[:index].rstrip() + ELLIPSIS
    return text
