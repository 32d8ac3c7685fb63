"""Deadline reminders: followers who have not backed hear when a campaign is about to end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from core import notifications
from core.campaigns import Campaign
from core.outbox import Audience
from core.ports import Clock, UnitOfWorkFactory

REMINDER_WINDOW = timedelta(hours=48)


async def remind_followers(
    uows: UnitOfWorkFactory, clock: Clock, window: timedelta = REMINDER_WINDOW
) -> Sequence[Campaign]:
    """Queue a reminder for every campaign entering its last `window`, once per campaign."""
    now = clock.now()
    async with uows() as uow:
        # Claimed and queued in one transaction: a crash in between reminds nobody twice.
        campaigns = await uow.campaigns.claim_reminders(now, now + window)
        for campaign in campaigns:
            await uow.outbox.enqueue_audience(
                campaign.id,
                Audience.FOLLOWERS_NOT_BACKED,
                notifications.deadline_near(campaign),
                now,
                include_communities=False,
            )
        await uow.commit()
    return campaigns
