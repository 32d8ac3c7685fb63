"""Launching campaigns at their start time: live once, announced once to those waiting."""

from __future__ import annotations

from collections.abc import Sequence

from core import notifications
from core.campaigns import Campaign, CampaignStatus
from core.outbox import Audience
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory


async def launch_campaign(uow: UnitOfWork, clock: Clock, campaign_id: int) -> Campaign | None:
    """Make one coming-soon campaign live once its start has come, and tell its followers and
    announcing communities; None if there is nothing to do."""
    now = clock.now()
    async with uow:
        campaign = await uow.campaigns.get(campaign_id)
        if campaign is None or campaign.status is not CampaignStatus.COMING_SOON:
            return None
        if now < campaign.starts_at:
            return None
        # Conditional: two schedulers launching at once launch it, and announce it, once; a
        # launch its creator moved meanwhile waits for its new time.
        if not await uow.campaigns.go_live(campaign.id, campaign.starts_at):
            return None
        campaign.status = CampaignStatus.LIVE
        # Launched only after its end (no scheduler ran all along), it is closed next, and
        # that is all there is to tell.
        if now < campaign.ends_at:
            await uow.outbox.enqueue_audience(
                campaign.id,
                Audience.FOLLOWERS_AND_BACKERS,
                notifications.campaign_launched(campaign),
                now,
                include_communities=True,
            )
        await uow.commit()
    return campaign


async def launch_due_campaigns(uows: UnitOfWorkFactory, clock: Clock) -> Sequence[Campaign]:
    """Launch every coming-soon campaign whose start has come, each in its own transaction."""
    async with uows() as uow:
        due = await uow.campaigns.due_to_launch(clock.now())
    launched = [await launch_campaign(uows(), clock, campaign.id) for campaign in due]
    return [campaign for campaign in launched if campaign is not None]
