"""What happens in the stand-in, for tests that wait on it and for pages that show it live."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from adapters.standins.events import EventHub as SharedHub
from adapters.standins.events import EventStream as SharedStream

EventKind = Literal[
    "message_created",
    "message_edited",
    "message_deleted",
    "interaction_dispatched",
    "interaction_answered",
]


@dataclass(frozen=True)
class StandinEvent:
    """One change, as a Discord-style page would show it."""

    kind: EventKind
    channel_id: int
    guild_id: int | None
    # The message right after the change (a copy), for message events.
    message: dict[str, Any] | None = None
    # An ephemeral message's only reader; None when everyone in the channel sees it.
    visible_to: int | None = None
    # The INTERACTION_CREATE payload, for interaction events.
    interaction: dict[str, Any] | None = None
    # The bot's callback body, for `interaction_answered`.
    callback: dict[str, Any] | None = None


Listener = Callable[[StandinEvent], None]
EventStream = SharedStream[StandinEvent]
EventHub = SharedHub[StandinEvent]
