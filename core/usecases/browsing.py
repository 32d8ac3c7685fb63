"""Finding campaigns: browse pages, search and one campaign's detail."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from core.campaigns import Campaign, CampaignStatus, RewardTier
from core.categories import CATEGORIES
from core.errors import CampaignNotFound, InvalidField, TextTooLong
from core.i18n import N_, LazyText
from core.identity import Identity
from core.pledges import Pledge, current_pledge
from core.ports import CampaignQuery, Clock, Sort, UnitOfWork, UnitOfWorkFactory

SEARCH_MAX_CHARS = 100
PAGE_SIZE_MAX = 25


@dataclass(frozen=True, slots=True)
class BrowsePage:
    """One page of campaigns and where it sits in the whole list."""

    query: CampaignQuery
    campaigns: Sequence[Campaign]
    total: int

    @property
    def has_previous(self) -> bool:
        """Whether an earlier page exists."""
        return self.query.offset > 0

    @property
    def has_next(self) -> bool:
        """Whether a later page exists."""
        return self.query.offset + len(self.campaigns) < self.total


@dataclass(frozen=True, slots=True)
class CampaignDetail:
    """A campaign as one viewer sees it."""

    campaign: Campaign
    following: bool
    # The viewer's current pledge to it (the newest, paid or with a card saved), if any.
    backed: Pledge | None = None
    # How many follow it, counted only while it is coming soon: they are waiting for its launch.
    waiting: int = 0
    # The secret reward the viewer's link revealed, offered beside the listed ones.
    revealed: RewardTier | None = None


def _validate(query: CampaignQuery) -> CampaignQuery:
    if query.category is not None and query.category not in CATEGORIES:
        raise InvalidField(field=LazyText(N_("Category")), reason=query.category)
    if query.text is not None and len(query.text) > SEARCH_MAX_CHARS:
        raise TextTooLong(field=LazyText(N_("Search")), limit=SEARCH_MAX_CHARS)
    if query.offset < 0 or not 0 < query.limit <= PAGE_SIZE_MAX:
        raise InvalidField(field=LazyText(N_("Page")), reason=str(query.offset))
    return query


async def browse(uow: UnitOfWork, clock: Clock, query: CampaignQuery) -> BrowsePage:
    """A page of open campaigns in the requested order and filter; a page gone, the last one."""
    query = _validate(query)
    now = clock.now()
    async with uow:
        campaigns, total = await uow.campaigns.browse(query, now)
        if query.offset > 0 and query.offset >= total:
            # A page that is gone (campaigns ended since its button was made): the last one.
            last = max(total - 1, 0) // query.limit * query.limit
            query = replace(query, offset=last)
            campaigns, total = await uow.campaigns.browse(query, now)
    return BrowsePage(query, campaigns, total)


async def published(uow: UnitOfWork, now: datetime, words: str, limit: int) -> list[Campaign]:
    """In an open unit of work, campaigns to show or share: live ones holding the `words` (the
    most backed first, or trending without words), then those coming soon, soonest first."""
    query = CampaignQuery(
        Sort.MOST_BACKED if words else Sort.TRENDING, text=words or None, limit=limit
    )
    live, _ = await uow.campaigns.browse(query, now)
    if len(live) >= limit:
        return list(live)
    soon_query = replace(query, sort=Sort.COMING_SOON, limit=limit - len(live))
    soon, _ = await uow.campaigns.browse(soon_query, now)
    return [*live, *soon]


async def shown_by_slug(
    uow: UnitOfWork, slug: str, viewer: Identity | None, operators: Collection[Identity]
) -> Campaign | None:
    """In an open unit of work, the campaign with that slug if the viewer may see it: a draft
    is as missing as an unknown slug to all but its creators and the operators."""
    campaign = await uow.campaigns.by_slug(slug)
    return campaign if campaign is not None and campaign.shown_to(viewer, operators) else None


async def shown_by_id(
    uow: UnitOfWork, campaign_id: int, viewer: Identity | None, operators: Collection[Identity]
) -> Campaign:
    """In an open unit of work, the campaign a button names, if the viewer may see it."""
    campaign = await uow.campaigns.get(campaign_id)
    if campaign is None or not campaign.shown_to(viewer, operators):
        raise CampaignNotFound(slug=str(campaign_id))
    return campaign


async def stored_campaign(uow: UnitOfWork, key: int | str) -> Campaign | None:
    """In an open unit of work, any campaign by id or slug, drafts included."""
    if isinstance(key, int):
        return await uow.campaigns.get(key)
    return await uow.campaigns.by_slug(key)


async def seen_by(
    uow: UnitOfWork,
    campaign: Campaign | None,
    key: int | str,
    viewer: Identity | None,
    operators: Collection[Identity],
) -> CampaignDetail:
    """In an open unit of work, the campaign found under `key` as the viewer sees it, followed
    and backed, if they may see it: a draft is as missing as an unknown key to all but its
    creators and the operators."""
    if campaign is None or not campaign.shown_to(viewer, operators):
        raise CampaignNotFound(slug=str(key))
    return await as_seen_by(uow, campaign, viewer)


async def campaign_by_slug(uow: UnitOfWork, slug: str) -> Campaign:
    """Any campaign by slug, drafts included: for the operator's console on the server."""
    async with uow:
        campaign = await uow.campaigns.by_slug(slug)
    if campaign is None:
        raise CampaignNotFound(slug=slug)
    return campaign


async def viewer_follows(uow: UnitOfWork, campaign: Campaign, viewer: Identity | None) -> bool:
    """In an open unit of work, whether the viewer follows the campaign."""
    if viewer is None:
        return False
    backer = await uow.backers.by_identity(viewer)
    return backer is not None and await uow.follows.get(backer.id, campaign.id) is not None


async def waiting_for(uow: UnitOfWork, campaign: Campaign) -> int:
    """In an open unit of work, how many follow a coming-soon campaign, waiting for its
    launch; 0 for any other."""
    if campaign.status is not CampaignStatus.COMING_SOON:
        return 0
    return await uow.follows.count(campaign.id)


async def count_waiting(uows: UnitOfWorkFactory, campaign: Campaign) -> int:
    """How many wait for a coming-soon campaign's launch, read afresh (follows are not kept in
    memory); 0 for any other, without reading."""
    if campaign.status is not CampaignStatus.COMING_SOON:
        return 0
    async with uows(read_only=True) as uow:
        return await waiting_for(uow, campaign)


async def as_seen_by(
    uow: UnitOfWork, campaign: Campaign, viewer: Identity | None
) -> CampaignDetail:
    """In an open unit of work, the campaign as the viewer sees it: followed, backed, and
    while it is coming soon, how many wait for it."""
    waiting = await waiting_for(uow, campaign)
    backer = await uow.backers.by_identity(viewer) if viewer is not None else None
    if backer is None:
        return CampaignDetail(campaign, following=False, waiting=waiting)
    following = await uow.follows.get(backer.id, campaign.id) is not None
    backed = current_pledge(await uow.pledges.of_backer(backer.id), campaign.id)
    return CampaignDetail(campaign, following, backed, waiting)
