"""Giving a campaign its cover, and reading covers back for drawing."""

from __future__ import annotations

from core.campaigns import Campaign
from core.covers import Cover, NotYourCampaign
from core.errors import CampaignNotFound
from core.identity import Identity
from core.ports import UnitOfWork, UnitOfWorkFactory


async def campaign_to_cover(uow: UnitOfWork, creator: Identity, slug: str) -> Campaign:
    """The campaign `creator` may give a cover to, checked before they are asked for one."""
    async with uow:
        return _own(await uow.campaigns.by_slug(slug), creator, slug)


async def set_cover(uow: UnitOfWork, creator: Identity, slug: str, cover: Cover) -> Campaign:
    """Make `cover` the campaign's cover, in place of any it had; only its creator may."""
    async with uow:
        campaign = _own(await uow.campaigns.by_slug(slug), creator, slug)
        await uow.covers.put(campaign.id, cover)
        await uow.commit()
    campaign.cover = cover.digest
    return campaign


async def cover_jpeg(uows: UnitOfWorkFactory, digest: str) -> bytes | None:
    """The JPEG of the cover with this digest, if one is still kept."""
    async with uows(read_only=True) as uow:
        cover = await uow.covers.by_digest(digest)
    return None if cover is None else cover.jpeg


def _own(campaign: Campaign | None, creator: Identity, slug: str) -> Campaign:
    """The campaign if `creator` made it; a draft is missing to anyone else."""
    if campaign is None or not campaign.shown_to(creator):
        raise CampaignNotFound(slug=slug)
    if not campaign.is_creator(creator):
        raise NotYourCampaign(title=campaign.title)
    return campaign
