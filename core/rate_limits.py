"""Sending limits kept before each send, so that a platform never has to refuse one."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

# Slots are this much further apart than the limit strictly needs: a request reaches the
# platform a few milliseconds after its slot, more or less, and at exactly the limit a strict
# one-second window then saw one message too many (31 at 30/s). 2 % costs 2 % of the rate.
_MARGIN = 1.02
# How many acquisitions between sweeps of chats whose windows have emptied.
_SWEEP_EVERY = 1024


@dataclass(frozen=True, slots=True)
class Rate:
    """At most `count` sends in any `seconds`."""

    count: int
    seconds: float

    def __post_init__(self) -> None:
        if self.count < 1 or self.seconds <= 0:
            raise ValueError("a rate needs at least one send over a positive time")

    @property
    def spacing(self) -> float:
        """The time between evenly spaced sends at this rate."""
        return self.seconds / self.count * _MARGIN


@dataclass(frozen=True, slots=True)
class SendLimits:
    """A platform's limits: overall per bot, per private chat, per group or channel."""

    overall: Rate
    private_chat: Rate
    group: Rate


class RateLimiter:
    """Hands out send slots, evenly spaced overall and in a sliding window per chat, and
    connections to make the requests on."""

    def __init__(
        self,
        limits: SendLimits,
        connections: int = 8,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits
        # Requests under way at once: beyond a few, they only queue for the same connections,
        # and a request that queued after its slot would reach the platform off its pace.
        self._connections = asyncio.Semaphore(connections)
        self._clock = clock
        self._sleep = sleep
        self._next_overall = 0.0
        self._paused_until = 0.0
        # Recent sends per chat, private chats apart from groups: each kind is forgotten as soon
        # as its own window has passed.
        self._windows: dict[bool, dict[str, deque[float]]] = {True: {}, False: {}}
        self._acquired = 0

    @asynccontextmanager
    async def turn(self, chat: str | None = None, *, private: bool = True) -> AsyncIterator[None]:
        """Wait for a slot to send to `chat` (None: a request that counts only overall), and
        hold one of the connections for the request made inside."""
        rate = self.limits.private_chat if private else self.limits.group
        windows = self._windows[private]
        while True:
            now = self._clock()
            ready = max(self._paused_until, _chat_ready(windows, chat, rate, now))
            if ready > now:
                # Waiting for the chat holds no connection: other chats go on meanwhile.
                await self._sleep(ready - now)
                continue
            async with self._connections:
                now = self._clock()
                if max(self._paused_until, _chat_ready(windows, chat, rate, now)) > now:
                    continue  # The chat's turn went to another send while this one waited.
                slot = max(now, self._next_overall)
                self._next_overall = slot + self.limits.overall.spacing
                if chat is not None:
                    windows.setdefault(chat, deque(maxlen=rate.count)).append(slot)
                self._sweep(now)
                if slot > now:
                    # Only for the overall slot, which comes round every few milliseconds.
                    await self._sleep(slot - now)
                if self._clock() >= self._paused_until:
                    yield
                    return

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (the platform said to wait)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def _sweep(self, now: float) -> None:
        """Forget chats with nothing left in their window, so memory follows activity only."""
        self._acquired += 1
        if self._acquired % _SWEEP_EVERY:
            return
        for private, rate in ((True, self.limits.private_chat), (False, self.limits.group)):
            since = now - rate.seconds * _MARGIN
            chats = self._windows[private]
            self._windows[private] = {chat: w for chat, w in chats.items() if w[-1] > since}


def _chat_ready(
    windows: dict[str, deque[float]], chat: str | None, rate: Rate, now: float
) -> float:
    """When the chat can take its next message."""
    window = windows.get(chat) if chat is not None else None
    if not window or len(window) < rate.count:
        return now
    # The oldest of the last `count` sends must leave the window first.
    return window[0] + rate.seconds * _MARGIN
