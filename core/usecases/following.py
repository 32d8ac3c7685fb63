"""Following campaigns to hear about them."""

from __future__ import annotations

from collections.abc import Sequence

from core.campaigns import Campaign
from core.errors import CampaignNotFound
from core.follows import Follow
from core.identity import Caller
from core.ports import Clock, UnitOfWork
from core.usecases.backers import ensure_backer
from core.usecases.browsing import CampaignDetail, as_seen_by, shown_by_id


async def follow(uow: UnitOfWork, clock: Clock, caller: Caller, campaign_id: int) -> CampaignDetail:
    """Follow a campaign (following twice is harmless); a draft only by its creators. Returns
    the campaign as the follower now sees it, their pledge included."""
    async with uow:
        # Operators may look at drafts, but have no reason to follow one.
        campaign = await shown_by_id(uow, campaign_id, caller.identity, ())
        backer = await ensure_backer(uow, caller)
        await uow.follows.add(Follow(backer.id, campaign.id, clock.now()))
        seen = await as_seen_by(uow, campaign, caller.identity)
        await uow.commit()
    return seen


async def unfollow(uow: UnitOfWork, caller: Caller, campaign_id: int) -> CampaignDetail:
    """Stop following a campaign (unfollowing twice is harmless); returns it as now seen."""
    async with uow:
        campaign = await shown_by_id(uow, campaign_id, caller.identity, ())
        backer = await uow.backers.by_identity(caller.identity)
        if backer is not None:
            await uow.follows.remove(backer.id, campaign.id)
        seen = await as_seen_by(uow, campaign, caller.identity)
        await uow.commit()
    return seen


async def set_muted(uow: UnitOfWork, caller: Caller, campaign_id: int, muted: bool) -> None:
    """Mute a followed campaign (receipts still arrive) or unmute it."""
    async with uow:
        backer = await uow.backers.by_identity(caller.identity)
        if backer is None or await uow.follows.get(backer.id, campaign_id) is None:
            raise CampaignNotFound(slug=str(campaign_id))
        await uow.follows.set_muted(backer.id, campaign_id, muted)
        await uow.commit()


async def following(uow: UnitOfWork, caller: Caller) -> Sequence[Campaign]:
    """The campaigns a person follows."""
    async with uow:
        backer = await uow.backers.by_identity(caller.identity)
        if backer is None:
            return []
        return await uow.follows.campaigns_followed(backer.id)
