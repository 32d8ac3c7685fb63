"""The outbox dispatcher: claim due messages, send them within each platform's limits, record
what happened, and report a creator update's delivery as it goes."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Coroutine, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from core.campaigns import Campaign
from core.delivery import DeliveryFailed, MessageSender, RecipientGone, TryAgainLater
from core.i18n import use_locale
from core.outbox import OutboxMessage, PledgeReceipt, ReferralCredited
from core.ports import Clock, UnitOfWorkFactory
from core.usecases.delivery_log import DeliveryLog, GiveUp, Gone, Outcome, Retry, Sent
from core.usecases.reporting import DeliveryReports
from core.views.model import Notice
from core.views.notices import NoticeContext, NoticeLinks, notice

logger = logging.getLogger(__name__)

# Notices written for one reader alone: they carry that reader's referral code.
_PERSONAL = (PledgeReceipt, ReferralCredited)
# A send that failed in a way no sender foresaw may still have been delivered: one retry only.
_UNEXPECTED_RETRIES = 1
# A failure's reason is kept with the message for people to read: a line, not a report.
_REASON = 200


@dataclass(frozen=True, slots=True)
class DispatchSettings:
    """How much to claim at once, how long a claim holds, and how failures are retried."""

    batch_size: int = 100
    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 8
    first_retry: timedelta = timedelta(seconds=10)
    last_retry: timedelta = timedelta(hours=1)
    idle_seconds: float = 1.0
    report_every: timedelta = timedelta(seconds=5)
    stop_timeout: float = 10.0


def retry_delay(attempts: int, settings: DispatchSettings, rng: random.Random) -> timedelta:
    """Exponential backoff with jitter: 10 s, 20 s, 40 s... up to an hour, each 50–100 %."""
    ceiling, doublings = settings.first_retry, max(attempts - 1, 0)
    # Doubling stops at the last delay, so that no number of attempts overflows a timedelta.
    while doublings and ceiling < settings.last_retry:
        ceiling, doublings = ceiling * 2, doublings - 1
    ceiling = min(ceiling, settings.last_retry)
    # Jitter spreads retries of a failed burst so they do not all come back at once.
    return ceiling * rng.uniform(0.5, 1.0)


class _InFlight:
    """The sends one platform has under way, and a way to wait until there are fewer."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[None]] = set()
        self._fewer = asyncio.Event()
        self._at_most = 0

    def start(self, send: Coroutine[None, None, None]) -> None:
        """Run one send in the background."""
        task = asyncio.create_task(send)
        self.tasks.add(task)
        task.add_done_callback(self._done)

    async def settle(self, at_most: int, stopping: asyncio.Event) -> None:
        """Wait until at most `at_most` sends are under way, or until woken for stopping."""
        self._at_most = at_most
        # No await between this check and the wait: a stop cannot slip in unnoticed.
        if len(self.tasks) > at_most and not stopping.is_set():
            self._fewer.clear()
            await self._fewer.wait()

    def wake(self) -> None:
        """End any wait in settle() now."""
        self._fewer.set()

    def _done(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if len(self.tasks) <= self._at_most:
            self._fewer.set()


class Dispatcher:
    """Delivers the outbox through one sender per platform; several may share a database."""

    name = "dispatcher"

    def __init__(
        self,
        uows: UnitOfWorkFactory,
        clock: Clock,
        senders: Sequence[MessageSender],
        links: NoticeLinks,
        settings: DispatchSettings,
        rng: random.Random | None = None,
    ) -> None:
        self._uows = uows
        self._clock = clock
        self._senders = {sender.platform: sender for sender in senders}
        self._links = links
        self._settings = settings
        # Jitter only spreads retries out: it needs no cryptographic randomness.
        self._rng = rng or random.Random()  # noqa: S311
        self._log = DeliveryLog(uows)
        self._reports = DeliveryReports(uows, clock, self._senders, settings.report_every)
        self._stopping = asyncio.Event()
        self._in_flight = {platform: _InFlight() for platform in self._senders}
        self._loops: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start one loop per platform, and the delivery reports, in the background."""
        self._stopping.clear()
        self._log.start()
        self._loops = [
            asyncio.create_task(self._lane(sender), name=f"dispatching {platform}")
            for platform, sender in self._senders.items()
        ]
        self._loops.append(asyncio.create_task(self._report_loop(), name="delivery reports"))

    async def stop(self) -> None:
        """Claim nothing more, let sends in flight finish (up to the timeout), record them."""
        self._stopping.set()
        for sends in self._in_flight.values():
            sends.wake()
        await asyncio.gather(*self._loops, return_exceptions=True)
        self._loops = []
        under_way = {task for sends in self._in_flight.values() for task in sends.tasks}
        if under_way:
            _, late = await asyncio.wait(under_way, timeout=self._settings.stop_timeout)
            for task in late:
                # Left leased: claimed again after the lease, so at most these are resent.
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        await self._log.stop()

    async def drain(self) -> None:
        """Deliver everything due now, record it and report on it; for one-off runs and tests."""
        self._stopping.clear()
        self._log.start()
        try:
            for sender in self._senders.values():
                while await self._dispatch_batch(sender):
                    await self._in_flight[sender.platform].settle(0, self._stopping)
        finally:
            for sends in self._in_flight.values():
                await sends.settle(0, self._stopping)
            await self._log.stop()
        await self._reports.report_due()

    async def _lane(self, sender: MessageSender) -> None:
        while not self._stopping.is_set():
            try:
                claimed = await self._dispatch_batch(sender)
            except Exception:
                logger.exception("claiming %s messages failed; trying again", sender.platform)
                claimed = 0
            if claimed:
                # Claim again while half a batch is still going, so sends never wait on a claim.
                await self._in_flight[sender.platform].settle(
                    self._settings.batch_size // 2, self._stopping
                )
            else:
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self._settings.idle_seconds)

    async def _report_loop(self) -> None:
        interval = self._settings.report_every.total_seconds()
        while not self._stopping.is_set():
            try:
                await self._reports.report_due()
            except Exception:
                logger.exception("reporting update deliveries failed; trying again")
            with suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), interval)

    async def _dispatch_batch(self, sender: MessageSender) -> int:
        """Claim one batch and start sending it; how many messages were claimed."""
        now = self._clock.now()
        async with self._uows() as uow:
            claimed = await uow.outbox.claim(
                sender.platform, now, now + self._settings.lease, self._settings.batch_size
            )
            await uow.commit()
        if not claimed:
            return 0
        notices = await self._notices(claimed)
        # A task per message: those waiting for their chat's turn do not hold up the others,
        # and the senders' rate limiters decide when each goes out.
        sends = self._in_flight[sender.platform]
        for message in claimed:
            sends.start(self._deliver(sender, message, notices.get(message.id)))
        return len(claimed)

    async def _notices(self, messages: Sequence[OutboxMessage]) -> dict[int, Notice]:
        """Each message's notice in its reader's language; shared ones written once."""
        campaigns: dict[int, Campaign | None] = {}
        codes: dict[int, str | None] = {}
        async with self._uows(read_only=True) as uow:
            for message in messages:
                campaign_id = message.notification.event.campaign_id
                if campaign_id not in campaigns:
                    campaigns[campaign_id] = await uow.campaigns.get(campaign_id)
                backer_id = message.recipient.backer_id
                personal = isinstance(message.notification.event, _PERSONAL)
                if personal and backer_id is not None:
                    backer = await uow.backers.get(backer_id)
                    codes[message.id] = backer.referral_code if backer else None
        now = self._clock.now()
        shared: dict[tuple[str, str], Notice] = {}
        written: dict[int, Notice] = {}
        for message in messages:
            item = message.notification
            campaign = campaigns[item.event.campaign_id]
            if campaign is None:
                continue
            key = (item.event_key, message.recipient.locale)
            if message.id not in codes and key in shared:
                written[message.id] = shared[key]
                continue
            context = NoticeContext(campaign, codes.get(message.id), self._links, now)
            with use_locale(message.recipient.locale):
                written[message.id] = notice(item.event, context)
            if message.id not in codes:
                shared[key] = written[message.id]
        return written

    async def _deliver(
        self, sender: MessageSender, message: OutboxMessage, notice: Notice | None
    ) -> None:
        self._log.add(await self._send(sender, message, notice))

    async def _send(
        self, sender: MessageSender, message: OutboxMessage, notice: Notice | None
    ) -> Outcome:
        if notice is None:
            return GiveUp(message, "the campaign no longer exists")
        if message.attempts > self._settings.max_attempts:
            # Claimed again and again without an outcome: its sends keep crashing a dispatcher.
            return GiveUp(message, message.last_error or "too many attempts")
        try:
            await sender.send(message.recipient, notice, skip_parts=message.parts_sent)
        except RecipientGone as gone:
            return Gone(message, gone.reason)
        except TryAgainLater as failure:
            return self._retry(message, failure.reason, failure.sent_parts, failure.retry_after)
        except DeliveryFailed as failure:
            return GiveUp(message, failure.reason)
        except Exception as error:
            logger.exception("sending outbox message %d failed unexpectedly", message.id)
            return self._unexpected(message, error)
        return Sent(message, self._clock.now())

    def _unexpected(self, message: OutboxMessage, error: Exception) -> Outcome:
        """Retried on a first attempt only: it may have gone out, and each retry could repeat it."""
        reason = f"unexpected {type(error).__name__}: {error}"[:_REASON]
        if message.attempts > _UNEXPECTED_RETRIES:
            return GiveUp(message, f"{reason} (after {message.attempts} attempts)")
        return self._retry(message, reason, message.parts_sent, None)

    def _retry(
        self, message: OutboxMessage, error: str, parts_sent: int, retry_after: float | None
    ) -> Outcome:
        if message.attempts >= self._settings.max_attempts:
            return GiveUp(message, f"{error} (after {message.attempts} attempts)")
        if retry_after is not None:
            # The platform said how long to wait: exactly that, not a guess.
            delay = timedelta(seconds=retry_after)
        else:
            delay = retry_delay(message.attempts, self._settings, self._rng)
        return Retry(message, self._clock.now() + delay, error, parts_sent)
