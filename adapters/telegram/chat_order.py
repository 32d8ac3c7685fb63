"""Updates of different chats handled side by side, those of one chat one after another."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Awaitable
from inspect import iscoroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from adapters.in_hand import WorkInHand

log = logging.getLogger(__name__)

Waiting = deque[tuple[object, Awaitable[Any]]]


class ChatOrderedUpdates(BaseUpdateProcessor):
    """At most `max_concurrent_updates` chats served at once, each chat's updates in the order
    Telegram sent them (so a conversation sees its steps in order).

    An update whose chat is busy waits in that chat's line and holds none of the slots: a
    group waiting out its rate limit keeps one slot, and every other chat goes on.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        # Per busy chat, the updates behind the one being handled; a chat is forgotten as soon
        # as its line is empty, so memory follows the chats active right now.
        self._lines: dict[int, Waiting] = {}
        self._in_hand = WorkInHand()

    async def initialize(self) -> None:
        """Take updates again (after a stop)."""
        self._in_hand = WorkInHand()

    async def shutdown(self) -> None:
        """Say what the stop left unanswered."""
        if self._in_hand.dropped or self._in_hand.cut_short:
            log.warning(
                "telegram: stopped with %d updates dropped before they started and %d cut short",
                self._in_hand.dropped,
                self._in_hand.cut_short,
            )

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Handle the update now, or queue it behind its chat's update being handled."""
        if self._in_hand.stopping:
            self._drop(update, coroutine)
            return
        chat = _chat_of(update)
        if chat is None:
            await self._handle(coroutine)
            return
        line = self._lines.get(chat)
        if line is not None:
            line.append((update, coroutine))
            return
        line = self._lines[chat] = deque()
        try:
            await self._handle(coroutine)
            while line and not self._in_hand.stopping:
                await self._handle(line.popleft()[1])
        finally:
            del self._lines[chat]
            while line:
                self._drop(*line.popleft())

    async def finish(self, timeout: float) -> None:  # noqa: ASYNC109 - a deadline, not a wait
        """Start no other update; give those being handled `timeout` seconds, then cancel them."""
        for line in self._lines.values():
            while line:
                self._drop(*line.popleft())
        await self._in_hand.finish(timeout)

    async def _handle(self, coroutine: Awaitable[Any]) -> None:
        with self._in_hand.track():
            await coroutine

    def _drop(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Telegram has these already (polling confirmed them, the webhook answered 200): once
        # dropped they are gone, and the person sends again.
        if iscoroutine(coroutine):
            coroutine.close()
        self._in_hand.dropped += 1
        log.debug("telegram: stopping, update %s dropped", getattr(update, "update_id", update))


def _chat_of(update: object) -> int | None:
    """The chat whose order the update keeps: its chat, or the person's own (an inline query,
    a press on an inline message), which is their private chat's id too."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None
