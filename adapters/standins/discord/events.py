"""What happens in the stand-in, for tests that wait on it and for pages that show it live."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

T = TypeVar("T")

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


class Signal:
    """Wakes every coroutine waiting for the next change."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        """Wake everyone waiting now."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def until(self, ready: Callable[[], T | None], within: float, what: str) -> T:
        """The first non-None `ready()`, checked after each change; TimeoutError if none in time."""
        try:
            async with asyncio.timeout(within):
                while True:
                    value = ready()
                    if value is not None:
                        return value
                    waiter = asyncio.get_running_loop().create_future()
                    self._waiters.add(waiter)
                    try:
                        await waiter
                    finally:
                        self._waiters.discard(waiter)
        except TimeoutError:
            raise TimeoutError(f"no {what} within {within} s") from None


Listener = Callable[[StandinEvent], None]


class EventHub:
    """Hands every event to its listeners: the tests' waits, and later a sandbox page."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self.changed = Signal()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every event from now on; the returned function stops that."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def publish(self, event: StandinEvent) -> None:
        """Hand an event to every listener, then wake the waits."""
        for listener in list(self._listeners):
            listener(event)
        self.changed.notify()

    def stream(self, channel_id: int | None = None) -> EventStream:
        """Every event from now on (of one channel, if given), until the stream is closed."""
        return EventStream(self, channel_id)


class EventStream:
    """Events in order from the moment it was opened; `close()` ends it."""

    def __init__(self, hub: EventHub, channel_id: int | None) -> None:
        self._channel_id = channel_id
        self._queue: asyncio.Queue[StandinEvent] = asyncio.Queue()
        self._unsubscribe: Callable[[], None] | None = hub.subscribe(self._enqueue)

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> StandinEvent:
        if self._unsubscribe is None and self._queue.empty():
            raise StopAsyncIteration
        return await self._queue.get()

    async def next(self, kind: EventKind | None = None, *, within: float = 5.0) -> StandinEvent:
        """The next event (of that kind, skipping others), waiting at most `within` seconds."""
        async with asyncio.timeout(within):
            while True:
                event = await self._queue.get()
                if kind in (None, event.kind):
                    return event

    def close(self) -> None:
        """Stop receiving events; those already received can still be read."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _enqueue(self, event: StandinEvent) -> None:
        if self._channel_id is None or event.channel_id == self._channel_id:
            self._queue.put_nowait(event)
