"""What a chat bot has in hand: the tasks answering people, given a deadline when it stops."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class WorkInHand:
    """The tasks answering someone right now; once stopping, nothing new starts, and what is
    under way gets until a deadline before it is cancelled."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self.stopping = False
        # What the stop left unanswered: work never started, and work cancelled at the deadline.
        self.dropped = 0
        self.cut_short = 0

    @contextmanager
    def track(self) -> Iterator[None]:
        """Count the current task as in hand while inside."""
        task = asyncio.current_task()
        assert task is not None, "work is done in tasks"
        self._tasks.add(task)
        try:
            yield
        finally:
            self._tasks.discard(task)

    async def finish(self, timeout: float) -> None:  # noqa: ASYNC109 - a deadline, not a wait
        """Start nothing more; give the work in hand `timeout` seconds, then cancel it."""
        self.stopping = True
        if not self._tasks:
            return
        _, late = await asyncio.wait(set(self._tasks), timeout=timeout)
        if not late:
            return
        for task in late:
            task.cancel()
        self.cut_short += len(late)
        await asyncio.wait(late)
