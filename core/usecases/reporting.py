"""Delivery reports: the creator watches an update reach its audience, in one message."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from core.delivery import DeliveryFailed, MessageSender, RecipientGone
from core.i18n import DEFAULT_LOCALE, use_locale
from core.identity import Platform
from core.notifications import update_key
from core.ports import Clock, UnitOfWorkFactory
from core.updates import CreatorUpdate
from core.views.notices import delivery_report

logger = logging.getLogger(__name__)

# Reports claimed per round; each costs one status message edit at most.
_REPORTS_PER_ROUND = 50


class DeliveryReports:
    """Posts, then edits in place every `every`, the delivery count of each creator update."""

    def __init__(
        self,
        uows: UnitOfWorkFactory,
        clock: Clock,
        senders: Mapping[Platform, MessageSender],
        every: timedelta,
    ) -> None:
        self._uows = uows
        self._clock = clock
        self._senders = senders
        self._every = every
        # What each report in progress shows, so an unchanged count costs no edit.
        self._shown: dict[int, str] = {}

    async def report_due(self) -> None:
        """Bring every report that is due up to date; finish those whose delivery is over."""
        now = self._clock.now()
        async with self._uows() as uow:
            due = await uow.updates.claim_reports(now, now + self._every, _REPORTS_PER_ROUND)
            await uow.commit()
        for update in due:
            sender = self._senders.get(update.author.platform)
            # Another dispatcher with that platform's sender will take it next round.
            if sender is not None and update.report_chat is not None:
                await self._report(sender, update, update.report_chat)

    async def _report(self, sender: MessageSender, update: CreatorUpdate, chat: str) -> None:
        async with self._uows() as uow:
            counts = await uow.outbox.delivery_counts(update_key(update.id))
            author = await uow.backers.by_identity(update.author)
        finished = counts.waiting == 0
        with use_locale(author.effective_locale if author else DEFAULT_LOCALE):
            text = delivery_report(counts, finished)
        try:
            if update.report_message_id is None:
                message_id = await sender.post_report(chat, text)
                async with self._uows() as uow:
                    await uow.updates.set_report_message(update.id, message_id)
                    await uow.commit()
            elif self._shown.get(update.id) != text:
                await sender.edit_report(chat, update.report_message_id, text)
        except RecipientGone as gone:
            logger.info("update %d: its report cannot be shown (%s)", update.id, gone.reason)
            finished = True
        except DeliveryFailed as failure:
            logger.warning("update %d: report not shown (%s); next round", update.id, failure)
            return
        self._shown[update.id] = text
        if finished:
            self._shown.pop(update.id, None)
            async with self._uows() as uow:
                await uow.updates.finish_report(update.id)
                await uow.commit()
