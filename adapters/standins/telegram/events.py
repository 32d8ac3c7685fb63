"""Changes in chats, and the means to wait for them or follow them as they happen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from adapters.standins.events import EventHub as SharedHub
from adapters.standins.events import EventStream as SharedStream

EventKind = Literal["sent", "edited", "deleted", "callback_answered"]


@dataclass(frozen=True)
class ChatRef:
    """A chat as tests and pages name it; a private chat also names its bot."""

    id: int
    type: str
    title: str | None = None
    bot_id: int | None = None


@dataclass(frozen=True)
class CallbackAnswer:
    """How a bot answered a button press."""

    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass(frozen=True)
class ChatEvent:
    """One change in a chat, as a chat page would show it."""

    kind: EventKind
    chat: ChatRef
    message_id: int
    # The message as it looked right after the change; None once deleted.
    message: dict[str, Any] | None
    by_bot: bool
    answer: CallbackAnswer | None = None


Listener = Callable[[ChatEvent], None]
EventStream = SharedStream[ChatEvent]
EventHub = SharedHub[ChatEvent]
