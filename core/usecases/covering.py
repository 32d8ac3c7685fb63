"""Giving a campaign its cover, and reading covers back for drawing."""

from __future__ import annotations

from core.campaigns import Campaign
from core.covers import Cover, NotYourCampaign
from core.identity import Identity
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.usecases.choosing import chosen_campaign


async def campaign_to_cover(uow: UnitOfWork, creator: Identity, name: str) -> Campaign:
    """The campaign (by slug or title) `creator` may give a cover to, checked before they are
    asked for one."""
    async with uow:
        return _own(await chosen_campaign(uow, name, creator, ()), creator)


async def set_cover(uow: UnitOfWork, creator: Identity, name: str, cover: Cover) -> Campaign:
    """Make `cover` the cover of the campaign named (by slug or title), in place of any it
    had; only its creator may."""
    async with uow:
        campaign = _own(await chosen_campaign(uow, name, creator, ()), creator)
        await uow.covers.put(campaign.id, cover)
        await uow.commit()
    campaign.cover = cover.digest
    return campaign


async def cover_jpeg(uows: UnitOfWorkFactory, digest: str) -> bytes | None:
    """The JPEG of the cover with this digest, if one is still kept."""
    async with uows(read_only=True) as uow:
        cover = await uow.covers.by_digest(digest)
    return None if cover is None else cover.jpeg


def _own(campaign: Campaign, creator: Identity) -> Campaign:
    """The campaign if `creator` made it."""
    if not campaign.is_creator(creator):
        raise NotYourCampaign(title=campaign.title)
    return campaign
