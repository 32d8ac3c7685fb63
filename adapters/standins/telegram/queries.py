"""Callback and inline queries waiting for a bot's answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adapters.standins.events import Signal
from adapters.standins.telegram.chats import Content
from adapters.standins.telegram.events import CallbackAnswer, ChatRef

# A bot has 15 minutes to answer a button press; after that Telegram calls the query too old.
CALLBACK_ANSWER_WINDOW = 15 * 60.0


@dataclass
class CallbackQueryRecord:
    """A button press, and the bot's answer once it comes."""

    id: str
    bot_id: int
    chat: ChatRef
    message_id: int
    created_at: float
    answer: CallbackAnswer | None = None
    answered: Signal = field(default_factory=Signal)


@dataclass(frozen=True)
class InlineAnswer:
    """How a bot answered an inline query: the results it offers, and paging."""

    query_id: str
    bot_id: int
    query: str
    results: list[dict[str, Any]]
    next_offset: str
    cache_time: int
    is_personal: bool
    button: dict[str, Any] | None


@dataclass
class InlineQueryRecord:
    """What a user typed after the bot's username, and the bot's answer once it comes."""

    id: str
    bot_id: int
    user_id: int
    query: str
    answer: InlineAnswer | None = None
    # What choosing each result posts, prepared when the bot answers.
    contents: list[Content | None] = field(default_factory=list)
    answered: Signal = field(default_factory=Signal)
