"""Turns at a single-writer database for the units of work of one process, in arrival order."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextvars import ContextVar


class WriterTurns:
    """Turns at the one write lock, first come, first served."""

    # SQLite's own wait for its write lock is a busy handler that polls with sleeps of up to
    # 100 ms, so a writer that just committed and begins again (the webhook applier, group
    # after group) would take the lock every time before the sleepers wake. Waiting here
    # instead, each unit of work gets its turn in the order it asked.

    def __init__(self) -> None:
        self._lock = asyncio.Lock()  # asyncio's lock wakes its waiters in order
        self._holding: ContextVar[bool] = ContextVar("holding_a_writer_turn", default=False)

    async def take(self) -> Callable[[], None]:
        """Wait for this task's turn; returns what ends it."""
        if self._holding.get():
            # A unit of work opened inside another (or in a task it started) waits for SQLite
            # as before, rather than for the turn its own caller holds.
            return _nothing
        await self._lock.acquire()
        token = self._holding.set(True)

        def end() -> None:
            self._holding.reset(token)
            self._lock.release()

        return end


def _nothing() -> None:
    """No turn was taken, so none ends."""
