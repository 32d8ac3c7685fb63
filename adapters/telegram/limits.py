"""Telegram's size limits, measured the way Telegram measures them."""

from __future__ import annotations

# Cutting is the same on every platform; Telegram code takes it from here.
from adapters.chat_text import cut as cut
from adapters.chat_text import utf16_length

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200
BUTTON_LABEL_LIMIT = 64
# Telegram counts text in UTF-16 code units, after entity parsing: an emoji may count twice.
telegram_length = utf16_length
