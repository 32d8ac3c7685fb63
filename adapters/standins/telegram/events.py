"""Changes in chats, and the means to wait for them or follow them as they happen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

T = TypeVar("T")

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


class Signal:
    """Wakes every coroutine that waits for the next change."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        """Wake everyone waiting now."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait(self, seconds: float) -> bool:
        """Wait for the next change, at most that many seconds; False when none came."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            async with asyncio.timeout(seconds):
                await waiter
        except TimeoutError:
            return False
        finally:
            self._waiters.discard(waiter)
        return True

    async def until(self, ready: Callable[[], T | None], seconds: float, what: str) -> T:
        """The first non-None `ready()`, checked after each change; TimeoutError if none in time."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            value = ready()
            if value is not None:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no {what} within {seconds} s")
            await self.wait(remaining)


Listener = Callable[[ChatEvent], None]


class EventHub:
    """Hands every chat event to its listeners: the tests' waits, and later a chat page."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every event from now on; the returned function stops that."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def publish(self, event: ChatEvent) -> None:
        """Hand an event to every listener."""
        for listener in list(self._listeners):
            listener(event)

    def stream(self, chat: ChatRef | None = None) -> EventStream:
        """Every event from now on (of one chat, if given), until the stream is closed."""
        return EventStream(self, chat)


class EventStream:
    """Chat events in order, from the moment it was opened; `close()` ends it."""

    def __init__(self, hub: EventHub, chat: ChatRef | None) -> None:
        self._chat = chat
        self._queue: asyncio.Queue[ChatEvent] = asyncio.Queue()
        self._unsubscribe: Callable[[], None] | None = hub.subscribe(self._enqueue)

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> ChatEvent:
        if self._unsubscribe is None and self._queue.empty():
            raise StopAsyncIteration
        return await self._queue.get()

    def close(self) -> None:
        """Stop receiving events; those already received can still be read."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _enqueue(self, event: ChatEvent) -> None:
        if self._chat is None or event.chat == self._chat:
            self._queue.put_nowait(event)
