"""A bot's pending updates: numbered, filtered by type, confirmed by offset, waited for."""

from __future__ import annotations

from typing import Any, Final

from adapters.standins.events import Signal

# What Telegram sends when a bot has not chosen: everything but these three.
OPT_IN_UPDATES: Final = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
UPDATE_TYPES: Final = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "message_reaction",
        "message_reaction_count",
    }
)


class UpdateQueue:
    """Updates waiting for a bot, in order, until it confirms them."""

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.allowed: frozenset[str] = UPDATE_TYPES - OPT_IN_UPDATES
        self.arrived = Signal()
        self._last_id = 0
        self._poll = 0

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update of that kind; None when the bot does not take that kind."""
        if kind not in self.allowed:
            return None
        self._last_id += 1
        update = {"update_id": self._last_id, kind: payload}
        self.pending.append(update)
        self.arrived.notify()
        return update

    def allow(self, kinds: list[str]) -> None:
        """Take only these kinds of update from now on; an empty list restores the default."""
        self.allowed = frozenset(kinds) & UPDATE_TYPES or UPDATE_TYPES - OPT_IN_UPDATES

    def confirm(self, offset: int) -> None:
        """Forget the updates before `offset`; a negative offset keeps only the last -offset."""
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [update for update in self.pending if update["update_id"] >= offset]

    def drop(self) -> None:
        """Forget every pending update."""
        self.pending.clear()

    def begin_poll(self) -> int:
        """Number a new getUpdates call; an older one still waiting learns it was replaced."""
        self._poll += 1
        self.arrived.notify()
        return self._poll

    def replaced(self, poll: int) -> bool:
        """Whether a newer getUpdates call came after `poll`."""
        return poll != self._poll
