"""Recording what each send did, promptly and in group-committed batches."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from core.outbox import OutboxMessage, RecipientKind
from core.ports import UnitOfWork, UnitOfWorkFactory

logger = logging.getLogger(__name__)

# After a failed write (the database restarting, say), wait this long before trying again.
_WRITE_RETRY_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Sent:
    """Delivered at `at`."""

    message: OutboxMessage
    at: datetime


@dataclass(frozen=True, slots=True)
class Retry:
    """Not delivered this time; try again at `at`, after the parts already sent."""

    message: OutboxMessage
    at: datetime
    error: str
    parts_sent: int


@dataclass(frozen=True, slots=True)
class GiveUp:
    """Dead-lettered: the message itself failed, or too many attempts did."""

    message: OutboxMessage
    error: str


@dataclass(frozen=True, slots=True)
class Gone:
    """The recipient cannot be reached: stop messaging them altogether."""

    message: OutboxMessage
    error: str


Outcome = Sent | Retry | GiveUp | Gone


class DeliveryLog:
    """Outcomes written as soon as the previous write finishes, all waiting ones at once, so
    that a crash forgets at most the sends still in flight."""

    def __init__(self, uows: UnitOfWorkFactory) -> None:
        self._uows = uows
        self._waiting: list[Outcome] = []
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin writing in the background."""
        self._task = asyncio.create_task(self._run(), name="delivery log")

    def add(self, outcome: Outcome) -> None:
        """Queue an outcome for the next write."""
        self._waiting.append(outcome)
        self._arrived.set()

    async def stop(self) -> None:
        """Write everything still waiting, then stop."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._waiting:
            await self._write_waiting()

    async def _run(self) -> None:
        while True:
            await self._arrived.wait()
            self._arrived.clear()
            try:
                await self._write_waiting()
            except Exception:
                logger.exception("recording deliveries failed; trying again")
                await asyncio.sleep(_WRITE_RETRY_SECONDS)
                self._arrived.set()

    async def _write_waiting(self) -> None:
        batch, self._waiting = self._waiting, []
        try:
            async with self._uows() as uow:
                await _write(uow, batch)
                await uow.commit()
        except BaseException:
            # Nothing of the batch was written: keep it, ahead of what arrived meanwhile.
            self._waiting[:0] = batch
            raise


async def _write(uow: UnitOfWork, batch: list[Outcome]) -> None:
    sent = [outcome for outcome in batch if isinstance(outcome, Sent)]
    if sent:
        # One statement for the batch, stamped with its latest send: milliseconds apart.
        at = max(outcome.at for outcome in sent)
        await uow.outbox.mark_sent([outcome.message.id for outcome in sent], at)
    for outcome in batch:
        match outcome:
            case Retry(message, at, error, parts_sent):
                await uow.outbox.retry_later(message.id, at, error, parts_sent)
            case GiveUp(message, error):
                await uow.outbox.give_up(message.id, error)
            case Gone(message, error):
                await _stop_messaging(uow, message, error)


async def _stop_messaging(uow: UnitOfWork, message: OutboxMessage, error: str) -> None:
    recipient = message.recipient
    await uow.outbox.abandon_recipient(recipient, error)
    if recipient.kind is RecipientKind.USER and recipient.backer_id is not None:
        await uow.backers.set_reachable(recipient.backer_id, False)
    elif recipient.community_id is not None:
        await uow.communities.stop_announcements(recipient.community_id)
    logger.info(
        "%s %s %s cannot be reached (%s): stopped messaging it",
        recipient.platform,
        recipient.kind,
        recipient.address,
        error,
    )
