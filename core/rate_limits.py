"""Sending limits kept before each send, so that a platform never has to refuse one."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

# Slots are this much further apart than the limit strictly needs: a request reaches the
# platform a few milliseconds after its slot, more or less, and at exactly the limit a strict
# one-second window then saw one message too many (31 at 30/s). 2 % costs 2 % of the rate.
# Windows count a send from its slot until its request came back, for the requests held up
# longer (by a busy event loop on either side).
_MARGIN = 1.02
# How many acquisitions between sweeps of chats whose windows have emptied.
_SWEEP_EVERY = 1024
# Waiters for the overall slot, in this order: someone waiting for an answer, then the rest.
_URGENT, _ROUTINE = 0, 1


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
    """Hands out send slots, evenly spaced overall and in a sliding window per chat, urgent
    sends first, and connections to make the requests on."""

    def __init__(
        self,
        limits: SendLimits,
        connections: int = 8,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self.connections = connections
        # Requests under way at once: beyond a few, they only queue for the same connections,
        # and a request that queued after its slot would reach the platform off its pace.
        self._connections = asyncio.Semaphore(connections)
        self._budget = _Budget(limits, clock, sleep)

    def sharing(self, connections: int) -> RateLimiter:
        """A limiter for another sender on the same account: the same slots, chat windows and
        pauses, with `connections` of its own (those of its HTTP client)."""
        other = RateLimiter(self.limits, connections)
        other._budget = self._budget
        return other

    @asynccontextmanager
    async def turn(
        self, chat: str | None = None, *, private: bool = True, urgent: bool = False
    ) -> AsyncIterator[None]:
        """Wait for a slot to send to `chat` (None: a request that counts only overall), and
        hold one of the connections for the request made inside. An `urgent` send (someone
        waits for it) takes the next overall slot before any other, a pause over included."""
        budget = self._budget
        while True:
            # Waiting for the chat holds no connection: other chats go on meanwhile. A pause
            # holds every chat, so it is waited out in line.
            await budget.chat_ready(chat, private)
            async with self._connections:
                send = await budget.overall_slot(chat, private, _URGENT if urgent else _ROUTINE)
                if send is not None:
                    try:
                        yield
                    finally:
                        budget.came_back(send)
                    return
                # The chat's turn went to another send while this one waited: wait again.

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (the platform said to wait)."""
        self._budget.pause(seconds)


class _Send:
    """A send in the windows: when its request came back, or infinity while under way."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at = math.inf


class _Budget:
    """What every sender on one account shares: the overall pace, the line for it, the
    chats' windows and the pauses."""

    def __init__(
        self,
        limits: SendLimits,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self.limits = limits
        self._clock = clock
        self._sleep = sleep
        self._next_overall = 0.0
        self._paused_until = 0.0
        # The overall window is kept too: a wake-up late by a busy event loop may send its
        # slot late and the next on time, but never more than the limit in a window.
        self._recent: deque[_Send] = deque(maxlen=limits.overall.count)
        # Recent sends per chat, private chats apart from groups: each kind is forgotten as soon
        # as its own window has passed.
        self.windows: dict[bool, dict[str, deque[_Send]]] = {True: {}, False: {}}
        # Set, and replaced, each time a request comes back: a window may be waiting for it.
        self._back = asyncio.Event()
        # Sends waiting for the overall slot, in order of rank then arrival; each is woken by
        # the event when it comes first. Pacing runs from when the line last filled.
        self._line: list[tuple[int, int, asyncio.Event]] = []
        self._arrivals = itertools.count()
        self._waiting_since = 0.0
        self._acquired = 0

    async def chat_ready(self, chat: str | None, private: bool) -> None:
        """Return once the chat may take a message."""
        if chat is None:
            return
        rate = self.limits.private_chat if private else self.limits.group
        while True:
            now = self._clock()
            ready = _window_ready(self.windows[private].get(chat), rate, now)
            if ready <= now:
                return
            await self._until(ready, now)

    async def overall_slot(self, chat: str | None, private: bool, rank: int) -> _Send | None:
        """Wait in line for the overall slot and take it; None, and out of line, if the
        chat's window filled meanwhile."""
        first = asyncio.Event()
        place = (rank, next(self._arrivals), first)
        if not self._line:
            self._waiting_since = self._clock()
        heapq.heappush(self._line, place)
        try:
            while True:
                if self._line[0] is not place:
                    # Only the first in line watches the time; the others wait their turn.
                    first.clear()
                    await first.wait()
                    continue
                now = self._clock()
                due = max(self._next_overall, self._paused_until)
                ready = max(due, _window_ready(self._recent, self.limits.overall, now))
                if ready > now:
                    await self._until(ready, now)
                    continue
                heapq.heappop(self._line)
                # A slot that came due while nobody waited is not owed to anyone.
                return self._take(chat, private, max(due, self._waiting_since), now)
        finally:
            if place in self._line:  # Cancelled while waiting.
                self._line.remove(place)
                heapq.heapify(self._line)
            if self._line:
                self._line[0][2].set()

    def came_back(self, send: _Send) -> None:
        """Note that the send's request has come back, answered or not."""
        send.at = self._clock()
        self._back.set()
        self._back = asyncio.Event()

    def pause(self, seconds: float) -> None:
        """Hold every send for `seconds`."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def _until(self, ready: float, now: float) -> None:
        """Wait until `ready`, or for a request to come back if it waits for one."""
        if ready == math.inf:
            await self._back.wait()
        else:
            await self._sleep(ready - now)

    def _take(self, chat: str | None, private: bool, slot: float, now: float) -> _Send | None:
        """Take the slot due at `slot` for a send made `now`, if the chat still has room."""
        rate = self.limits.private_chat if private else self.limits.group
        windows = self.windows[private]
        if chat is not None and _window_ready(windows.get(chat), rate, now) > now:
            return None
        # Pace from when the slot was due, not from a late wake-up: a busy event loop then
        # slows nobody down, and the overall window keeps what it makes up within the limit.
        self._next_overall = slot + self.limits.overall.spacing
        send = _Send()
        self._recent.append(send)
        if chat is not None:
            windows.setdefault(chat, deque(maxlen=rate.count)).append(send)
        self._sweep(now)
        return send

    def _sweep(self, now: float) -> None:
        """Forget chats with nothing left in their window, so memory follows activity only."""
        self._acquired += 1
        if self._acquired % _SWEEP_EVERY:
            return
        for private, rate in ((True, self.limits.private_chat), (False, self.limits.group)):
            since = now - rate.seconds * _MARGIN
            chats = self.windows[private]
            self.windows[private] = {chat: w for chat, w in chats.items() if w[-1].at > since}


def _window_ready(window: deque[_Send] | None, rate: Rate, now: float) -> float:
    """When a window of recent sends can take the next one (infinity: once a request under
    way has come back)."""
    if not window or len(window) < rate.count:
        return now
    # The oldest of the last `count` sends must leave the window first.
    return window[0].at + rate.seconds * _MARGIN
