"""Campaigns and tiers between rows and core dataclasses, always loaded with their tiers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from adapters.storage.tables import (
    CampaignCoverRow,
    CampaignCreatorRow,
    CampaignRow,
    PledgeRow,
    RewardTierRow,
)
from core.campaigns import Campaign, RewardTier
from core.identity import Identity
from core.money import Money
from core.pledges import PledgeStatus
from core.reservations import Reservations

_Row = TypeVar("_Row", bound=Any)


async def load_campaigns(session: AsyncSession, query: Select[CampaignRow]) -> list[Campaign]:
    """Run a select of campaign rows and return them, in order, with tiers and creators, in
    one statement."""
    rows = await session.scalars(_with_tiers_and_creators(query))
    return await _completed(session, [to_campaign(row) for row in rows.unique()])


async def load_page(
    session: AsyncSession, query: Select[CampaignRow]
) -> tuple[list[Campaign], int | None]:
    """A page of campaign rows with tiers and creators, and how many rows the query matches
    before its offset and limit, in one statement; the count is None for an empty page."""
    total = func.count().over().label("total")
    rows = (await session.execute(_with_tiers_and_creators(query.add_columns(total)))).unique()
    page = rows.all()
    campaigns = await _completed(session, [to_campaign(row) for row, _ in page])
    return campaigns, page[0][1] if page else None


def _with_tiers_and_creators(query: Select[_Row]) -> Select[_Row]:
    return query.options(
        joinedload(CampaignRow.tiers),
        joinedload(CampaignRow.creators),
        joinedload(CampaignRow.cover).load_only(CampaignCoverRow.digest),
    ).execution_options(
        # Another transaction may have changed a row this session loaded before: read it again.
        populate_existing=True
    )


async def _completed(session: AsyncSession, campaigns: list[Campaign]) -> list[Campaign]:
    await _read_reservations(session, [t for c in campaigns for t in c.tiers if t.sold_out])
    return campaigns


async def _read_reservations(session: AsyncSession, exhausted: Sequence[RewardTier]) -> None:
    """Tell, for tiers with no unit left, how many units pending pledges hold and since when."""
    if not exhausted:
        return
    held = await session.execute(
        select(PledgeRow.tier_id, func.count(), func.min(PledgeRow.created_at))
        .where(
            PledgeRow.tier_id.in_([tier.id for tier in exhausted]),
            PledgeRow.status == PledgeStatus.PENDING,
        )
        .group_by(PledgeRow.tier_id)
    )
    by_tier = {tier_id: Reservations(count, oldest) for tier_id, count, oldest in held}
    for tier in exhausted:
        tier.reservations = by_tier.get(tier.id)


async def load_campaign(session: AsyncSession, query: Select[CampaignRow]) -> Campaign | None:
    """The one campaign a select finds, if any."""
    found = await load_campaigns(session, query)
    return found[0] if found else None


def to_campaign(row: CampaignRow) -> Campaign:
    """A campaign row (tiers, creators and cover digest loaded) as core's Campaign."""
    return Campaign(
        id=row.id,
        slug=row.slug,
        title=row.title,
        blurb=row.blurb,
        description=row.description,
        creator_name=row.creator_name,
        creator_identities=tuple(
            Identity(creator.platform, creator.user_id) for creator in row.creators
        ),
        category=row.category,
        goal=Money(row.goal_amount, row.currency),
        funding_model=row.funding_model,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=row.status,
        image_url=row.image_url,
        staff_pick=row.staff_pick,
        stretch_goals=tuple(row.stretch_goals),
        raised=row.raised,
        backers_count=row.backers_count,
        tiers=[_to_tier(tier, row.currency) for tier in row.tiers],
        cover=row.cover.digest if row.cover is not None else None,
        late_until=row.late_until,
        late_raised=row.late_raised,
        late_backers=row.late_backers,
    )


def _to_tier(row: RewardTierRow, currency: str) -> RewardTier:
    return RewardTier(
        id=row.id,
        campaign_id=row.campaign_id,
        title=row.title,
        description=row.description,
        amount=Money(row.amount, currency),
        quantity_limit=row.quantity_limit,
        claimed=row.claimed,
        estimated_delivery=row.estimated_delivery,
        ships=row.ships,
        ship_countries=tuple(row.ship_countries),
        position=row.position,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        late_amount=None if row.late_amount is None else Money(row.late_amount, currency),
        secret_code=row.secret_code,
    )


def campaign_row(campaign: Campaign) -> CampaignRow:
    """A new row (with tier and creator rows) for a campaign not stored yet."""
    return CampaignRow(
        slug=campaign.slug,
        title=campaign.title,
        blurb=campaign.blurb,
        description=campaign.description,
        creator_name=campaign.creator_name,
        category=campaign.category,
        image_url=campaign.image_url,
        goal_amount=campaign.goal.amount,
        currency=campaign.goal.currency,
        funding_model=campaign.funding_model,
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        status=campaign.status,
        staff_pick=campaign.staff_pick,
        stretch_goals=list(campaign.stretch_goals),
        raised=campaign.raised,
        backers_count=campaign.backers_count,
        late_until=campaign.late_until,
        late_raised=campaign.late_raised,
        late_backers=campaign.late_backers,
        tiers=[_tier_row(tier, campaign.goal.currency) for tier in campaign.tiers],
        creators=_creator_rows(campaign.creator_identities),
    )


def _tier_row(tier: RewardTier, currency: str) -> RewardTierRow:
    if tier.amount.currency != currency:
        raise ValueError(f"tier {tier.title!r} is in {tier.amount.currency}, not {currency}")
    return RewardTierRow(
        title=tier.title,
        description=tier.description,
        amount=tier.amount.amount,
        quantity_limit=tier.quantity_limit,
        claimed=tier.claimed,
        estimated_delivery=tier.estimated_delivery,
        ships=tier.ships,
        ship_countries=list(tier.ship_countries),
        position=tier.position,
        opens_at=tier.opens_at,
        closes_at=tier.closes_at,
        late_amount=None if tier.late_amount is None else tier.late_amount.amount,
        secret_code=tier.secret_code,
    )


def _creator_rows(identities: Sequence[Identity]) -> list[CampaignCreatorRow]:
    return [
        CampaignCreatorRow(platform=identity.platform, user_id=identity.user_id, position=position)
        for position, identity in enumerate(identities)
    ]
