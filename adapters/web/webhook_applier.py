"""Group commit for webhooks: the outcomes of concurrent requests applied in one transaction."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from core.payments import PaymentOutcome
from core.ports import Clock, UnitOfWorkFactory
from core.usecases.payments import AppliedOutcome, apply_payment_outcomes

# Bounds how long one transaction holds the database, and so how long other writers wait.
GROUP_LIMIT = 100

_Waiting = tuple[PaymentOutcome, asyncio.Future[AppliedOutcome]]


class WebhookApplier:
    """Applies what waits, up to `limit` outcomes a transaction, each undone alone if it fails."""

    # One per web server. Requests arriving while a group is applied wait for the next group,
    # and each hears back only once its group is committed: an acknowledgement means durable.

    def __init__(self, uows: UnitOfWorkFactory, clock: Clock, limit: int = GROUP_LIMIT) -> None:
        self._uows, self._clock, self._limit = uows, clock, limit
        self._waiting: asyncio.Queue[_Waiting] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def apply(self, outcome: PaymentOutcome) -> AppliedOutcome:
        """Apply an outcome with whatever else waits; return once committed, or raise."""
        if self._task is None:
            raise RuntimeError("the webhook applier is not running")
        applied: asyncio.Future[AppliedOutcome] = asyncio.get_running_loop().create_future()
        self._waiting.put_nowait((outcome, applied))
        return await applied

    async def running(self, _app: web.Application) -> AsyncIterator[None]:
        """Apply in the background while the application runs (an aiohttp cleanup context)."""
        self._task = asyncio.create_task(self._apply_groups(), name="webhook applier")
        try:
            yield
        finally:
            # By now the server has answered (or given up on) every request.
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _apply_groups(self) -> None:
        while True:
            group = [await self._waiting.get()]
            while len(group) < self._limit and not self._waiting.empty():
                group.append(self._waiting.get_nowait())
            try:
                results = await apply_payment_outcomes(
                    self._uows(), self._clock, [outcome for outcome, _ in group]
                )
            except asyncio.CancelledError:
                for _, applied in group:
                    applied.cancel()
                raise
            except Exception as error:
                # The transaction itself failed (its commit, say): none of the group holds.
                results = [error] * len(group)
            for (_, applied), result in zip(group, results, strict=True):
                if applied.done():
                    continue  # its request is gone; the outcome stands all the same
                if isinstance(result, Exception):
                    applied.set_exception(result)
                else:
                    applied.set_result(result)
