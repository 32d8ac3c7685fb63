"""Changes inside a stand-in, for tests that wait on them and pages that show them live."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")


class Event(Protocol):
    """Anything a stand-in publishes: it says what kind of change it is."""

    @property
    def kind(self) -> str:
        """What happened, such as "sent" or "message_edited"."""
        ...


E = TypeVar("E", bound=Event)


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


class EventHub(Generic[E]):
    """Hands every event to its listeners, then wakes whoever waits for a change."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[E], None]] = []
        self.changed = Signal()

    def subscribe(self, listener: Callable[[E], None]) -> Callable[[], None]:
        """Call `listener` with every event from now on; the returned function stops that."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def publish(self, event: E) -> None:
        """Hand an event to every listener, then wake the waits."""
        for listener in list(self._listeners):
            listener(event)
        self.changed.notify()

    def stream(self, keep: Callable[[E], bool] | None = None) -> EventStream[E]:
        """Every event from now on (those `keep` accepts, if given), until the stream is closed."""
        return EventStream(self, keep)


class EventStream(Generic[E]):
    """Events in order from the moment it was opened; `close()` ends it."""

    def __init__(self, hub: EventHub[E], keep: Callable[[E], bool] | None) -> None:
        self._keep = keep
        self._queue: asyncio.Queue[E] = asyncio.Queue()
        self._unsubscribe: Callable[[], None] | None = hub.subscribe(self._enqueue)

    def __aiter__(self) -> EventStream[E]:
        return self

    async def __anext__(self) -> E:
        if self._unsubscribe is None and self._queue.empty():
            raise StopAsyncIteration
        return await self._queue.get()

    async def next(self, kind: str | None = None, *, within: float = 5.0) -> E:
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

    def _enqueue(self, event: E) -> None:
        if self._keep is None or self._keep(event):
            self._queue.put_nowait(event)
