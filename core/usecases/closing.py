"""Closing campaigns at their deadline: funded or not, announced once."""

from __future__ import annotations

from collections.abc import Sequence

from core import notifications
from core.campaigns import Campaign, CampaignStatus
from core.errors import CampaignNotFound
from core.outbox import Audience
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory


async def close_campaign(
    uow: UnitOfWork, clock: Clock, campaign_id: int, *, force: bool = False
) -> Campaign | None:
    """Close one live campaign whose time is up (or now, when forced); None if nothing to do."""
    now = clock.now()
    async with uow:
        campaign = await uow.campaigns.get(campaign_id)
        if campaign is None or campaign.status is not CampaignStatus.LIVE:
            return None
        if now < campaign.ends_at and not force:
            return None
        status = (
            CampaignStatus.SUCCESSFUL
            if campaign.raised >= campaign.goal.amount
            else CampaignStatus.FAILED
        )
        # Conditional: two schedulers closing at once close it, and announce it, once.
        if not await uow.campaigns.set_status(campaign.id, CampaignStatus.LIVE, status):
            return None
        campaign.status = status
        await uow.outbox.enqueue_audience(
            campaign.id,
            Audience.FOLLOWERS_AND_BACKERS,
            notifications.campaign_ended(campaign),
            now,
            include_communities=True,
        )
        await uow.commit()
    return campaign


async def close_now(uows: UnitOfWorkFactory, clock: Clock, slug: str) -> Campaign | None:
    """Close a live campaign now, funded or not, as if its deadline had passed; None if it
    was not live."""
    async with uows() as uow:
        campaign = await uow.campaigns.by_slug(slug)
    if campaign is None:
        raise CampaignNotFound(slug=slug)
    return await close_campaign(uows(), clock, campaign.id, force=True)


async def close_due_campaigns(uows: UnitOfWorkFactory, clock: Clock) -> Sequence[Campaign]:
    """Close every live campaign past its end time, each in its own transaction."""
    async with uows() as uow:
        due = await uow.campaigns.due_to_close(clock.now())
    closed = [await close_campaign(uows(), clock, campaign.id) for campaign in due]
    return [campaign for campaign in closed if campaign is not None]
