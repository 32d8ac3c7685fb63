"""The deadline scheduler: launches campaigns whose start has come, closes those whose time is
up, settles their payments, and reminds followers of campaigns about to end."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import TypeVar

from core.campaigns import Campaign
from core.payments import PaymentUnavailable
from core.payouts import NO_PAYOUTS, PayoutTerms
from core.ports import Clock, PaymentGateway, UnitOfWorkFactory
from core.usecases.checkout import sweep_stale_checkouts
from core.usecases.closing import close_due_campaigns
from core.usecases.launching import launch_due_campaigns
from core.usecases.reminding import remind_followers
from core.usecases.settling import Settlement, settle_due

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Tick:
    """What one tick did: campaigns launched, closed, reminded of, settled; stale checkouts
    settled."""

    launched: Sequence[Campaign] = ()
    closed: Sequence[Campaign] = ()
    reminded: Sequence[Campaign] = ()
    settled: Sequence[Settlement] = ()
    swept: int = 0


class DeadlineScheduler:
    """Every `interval` seconds: launch and close due campaigns, queue reminders of those
    ending soon, then, given a gateway, settle payments."""

    name = "deadline scheduler"

    def __init__(
        self,
        uows: UnitOfWorkFactory,
        clock: Clock,
        interval: float,
        gateway: PaymentGateway | None = None,
        terms: PayoutTerms = NO_PAYOUTS,
    ) -> None:
        self._uows = uows
        self._clock = clock
        self._interval = interval
        self._gateway = gateway
        # Where deadline charges go: the creators' accounts with [payments] connect.
        self._terms = terms
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start ticking in the background."""
        self._task = asyncio.create_task(self._loop(), name=self.name)

    async def stop(self) -> None:
        """Stop ticking; a tick in progress is cancelled and its transaction rolled back."""
        # Charges and refunds carry an idempotency key per pledge, so the next run finishes
        # an interrupted settlement without charging or refunding anyone twice.
        if self._task is None:
            return
        self._task.cancel()
        with suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def tick(self) -> Tick:
        """Run each step once; a step that fails is logged, and the next tick tries again."""
        # Launching first: a campaign whose launch was missed past its end is then closed.
        launched = await self._step(
            "launching due campaigns", launch_due_campaigns(self._uows, self._clock), ()
        )
        for campaign in launched:
            logger.info("launched %s", campaign.slug)
        closed = await self._step(
            "closing due campaigns", close_due_campaigns(self._uows, self._clock), ()
        )
        for campaign in closed:
            logger.info(
                "closed %s: %s with %s of %s (%d%%)",
                campaign.slug,
                campaign.status,
                campaign.raised_money.format("en"),
                campaign.goal.format("en"),
                campaign.percent,
            )
        reminded = await self._step(
            "reminding followers", remind_followers(self._uows, self._clock), ()
        )
        for campaign in reminded:
            logger.info("reminded the followers of %s that it ends soon", campaign.slug)
        if self._gateway is None:
            return Tick(launched, closed, reminded)
        settled = await self._step(
            "settling ended campaigns",
            settle_due(self._uows, self._clock, self._gateway, self._terms),
            (),
        )
        for settlement in settled:
            logger.info(
                "settled %s: %d charged, %d declined, %d released, %d refunded",
                settlement.campaign.slug,
                settlement.charged,
                settlement.declined,
                settlement.released,
                settlement.refunded,
            )
        swept = await self._step(
            "settling stale checkouts",
            sweep_stale_checkouts(self._uows, self._clock, self._gateway),
            0,
        )
        if swept:
            logger.info("settled %d pledges whose checkout page had expired", swept)
        return Tick(launched, closed, reminded, settled, swept)

    async def _step(self, what: str, work: Awaitable[T], nothing: T) -> T:
        try:
            return await work
        except PaymentUnavailable:
            # The gateway has logged why; a traceback per tick would bury it.
            logger.warning("%s failed: Stripe is unavailable; retrying next tick", what)
        except Exception:
            logger.exception("%s failed; retrying next tick", what)
        return nothing

    async def _loop(self) -> None:
        while True:
            await self.tick()
            await asyncio.sleep(self._interval)
