"""The list of backers a creator needs to deliver rewards."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.campaigns import Campaign
from core.errors import CampaignNotFound
from core.identity import Caller, Identity
from core.pledges import PledgeStatus
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.usecases.ambassadors import managed_campaign

# Pledges that never got past the checkout page are not backers.
_NOT_BACKERS = frozenset({PledgeStatus.PENDING, PledgeStatus.EXPIRED})


@dataclass(frozen=True, slots=True)
class BackerRow:
    """One pledge of a campaign, as fulfilment needs it."""

    pledge_id: int
    backer_number: int | None
    name: str
    platform: str
    tier: str
    amount: int
    currency: str
    status: str
    shipping_address: str


@dataclass(frozen=True, slots=True)
class BackerExport:
    """A campaign's backers as they stood at one moment."""

    campaign: Campaign
    rows: Sequence[BackerRow]
    as_of: datetime


async def campaign_backers(uows: UnitOfWorkFactory, slug: str) -> Sequence[BackerRow]:
    """Every pledge of a campaign that reached the provider, oldest first."""
    async with uows() as uow:
        campaign = await uow.campaigns.by_slug(slug)
        if campaign is None:
            raise CampaignNotFound(slug=slug)
        return await _rows(uow, campaign)


async def export_backers(
    uows: UnitOfWorkFactory,
    clock: Clock,
    operators: Collection[Identity],
    caller: Caller,
    campaign_id: int,
) -> BackerExport:
    """A campaign's backers with their shipping addresses, for its creator or an operator only."""
    async with uows() as uow:
        campaign = await managed_campaign(uow, operators, caller, campaign_id)
        rows = await _rows(uow, campaign)
    return BackerExport(campaign, rows, clock.now())


async def _rows(uow: UnitOfWork, campaign: Campaign) -> Sequence[BackerRow]:
    pledges = await uow.pledges.of_campaign(campaign.id)
    rows = []
    for pledge in pledges:
        # A top-up is counted in the pledge it raised, which ships its reward.
        if pledge.status in _NOT_BACKERS or pledge.tops_up is not None:
            continue
        backer = await uow.backers.get(pledge.backer_id)
        tier = campaign.tier(pledge.tier_id) if pledge.tier_id is not None else None
        rows.append(
            BackerRow(
                pledge_id=pledge.id,
                backer_number=pledge.backer_number,
                name=backer.display_name if backer else "",
                platform=str(backer.identity.platform) if backer else "",
                tier=tier.title if tier else "",
                amount=pledge.with_top_ups.amount,
                currency=pledge.amount.currency,
                status=str(pledge.status),
                shipping_address=pledge.shipping_address or "",
            )
        )
    return rows
