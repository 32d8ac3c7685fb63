"""The deadline scheduler: closes campaigns whose time is up, on a fixed interval."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from contextlib import suppress

from core.campaigns import Campaign
from core.ports import Clock, UnitOfWorkFactory
from core.usecases.closing import close_due_campaigns

logger = logging.getLogger(__name__)


class DeadlineScheduler:
    """A background task that runs close_due_campaigns every `interval` seconds."""

    name = "deadline scheduler"

    def __init__(self, uows: UnitOfWorkFactory, clock: Clock, interval: float) -> None:
        self._uows = uows
        self._clock = clock
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start ticking in the background."""
        self._task = asyncio.create_task(self._loop(), name=self.name)

    async def stop(self) -> None:
        """Stop ticking; a tick in progress is cancelled and its transaction rolled back."""
        if self._task is None:
            return
        self._task.cancel()
        with suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def tick(self) -> Sequence[Campaign]:
        """Close what is due now; a failure is logged, and the next tick tries again."""
        try:
            closed = await close_due_campaigns(self._uows, self._clock)
        except Exception:
            logger.exception("closing due campaigns failed; retrying next tick")
            return ()
        for campaign in closed:
            logger.info(
                "closed %s: %s with %s of %s (%d%%)",
                campaign.slug,
                campaign.status,
                campaign.raised_money.format("en"),
                campaign.goal.format("en"),
                campaign.percent,
            )
        return closed

    async def _loop(self) -> None:
        while True:
            await self.tick()
            await asyncio.sleep(self._interval)
