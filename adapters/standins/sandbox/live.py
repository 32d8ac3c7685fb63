"""What changes in your chats, as JSON for the page: messages sent, edited, deleted, buttons
answered, forms opened."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from adapters.standins.discord import StandinEvent
from adapters.standins.sandbox.places import DiscordPlaces, TelegramPlaces
from adapters.standins.telegram import ChatEvent

Change = dict[str, Any]
_MODAL = 9


class LiveFeed:
    """The changes of your chats on both stand-ins, in order, from the moment it was opened."""

    def __init__(
        self,
        telegram: TelegramPlaces,
        discord: DiscordPlaces | None,
        *,
        on_close: Callable[[LiveFeed], None],
    ) -> None:
        self._telegram = telegram
        self._discord = discord
        self._on_close = on_close
        # None marks the end of the feed.
        self._queue: asyncio.Queue[Change | None] = asyncio.Queue()
        self._unsubscribe = [telegram.standin.subscribe(self._telegram_event)]
        if discord is not None:
            self._unsubscribe.append(discord.standin.subscribe(self._discord_event))

    async def next(self, within: float) -> Change | None:
        """The next change, or None once closed; TimeoutError when none came in time."""
        async with asyncio.timeout(within):
            return await self._queue.get()

    def close(self) -> None:
        """Stop following the stand-ins and end the feed."""
        if self._unsubscribe:
            for unsubscribe in self._unsubscribe:
                unsubscribe()
            self._unsubscribe = []
            self._queue.put_nowait(None)
            self._on_close(self)

    def _telegram_event(self, event: ChatEvent) -> None:
        key = self._telegram.key_of(event.chat)
        if key is None:
            return
        self._queue.put_nowait(
            {
                "platform": "telegram",
                "kind": event.kind,
                "chat": key,
                "message_id": event.message_id,
                "message": event.message,
                "answer": asdict(event.answer) if event.answer is not None else None,
            }
        )

    def _discord_event(self, event: StandinEvent) -> None:
        places = self._discord
        if places is None or places.channel(event.channel_id) is None:
            return
        change: Change = {"platform": "discord", "channel_id": str(event.channel_id)}
        if event.message is not None and event.visible_to in (None, places.you.id):
            change.update(kind=event.kind, message=event.message)
        elif event.interaction is not None and _opened_form_for(event, places.you.id):
            # Only the form and the interaction's id: its token is the bot's to answer with.
            form = (event.callback or {})["data"]
            change.update(kind="modal", interaction_id=event.interaction["id"], modal=form)
        else:
            return
        self._queue.put_nowait(change)


def _opened_form_for(event: StandinEvent, user_id: int) -> bool:
    """Whether the bot answered one of this person's interactions with a form (a modal)."""
    if event.interaction is None or event.callback is None or event.callback.get("type") != _MODAL:
        return False
    actor = event.interaction.get("member", {}).get("user") or event.interaction.get("user", {})
    return str(actor.get("id")) == str(user_id)
