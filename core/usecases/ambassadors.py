"""Creator tools: what each backer's share link brought a campaign, and the creator's dashboard."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from core.campaigns import Campaign
from core.errors import NotAllowed
from core.identity import Caller, Identity
from core.money import Money
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.statements import Statement, statement
from core.updates import CreatorUpdate
from core.usecases.backers import ensure_backer
from core.usecases.browsing import shown_by_id
from core.usecases.choosing import Choice, chosen_campaign

DASHBOARD_UPDATES = 3


@dataclass(frozen=True, slots=True)
class AmbassadorRow:
    """One referral link's results."""

    name: str
    backers: int
    amount: Money


@dataclass(frozen=True, slots=True)
class AmbassadorReport:
    """Every link's results for the creator and operators (`full`); anyone else gets only
    their own results and their own share code."""

    campaign: Campaign
    rows: Sequence[AmbassadorRow]
    full: bool
    referral_code: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    """One of a creator's campaigns with its latest updates."""

    campaign: Campaign
    latest_updates: Sequence[CreatorUpdate]


def _manages(campaign: Campaign, who: Identity, operators: Collection[Identity]) -> bool:
    return campaign.is_creator(who) or who in operators


async def managed_campaign(
    uow: UnitOfWork, operators: Collection[Identity], caller: Caller, campaign_id: int
) -> Campaign:
    """In an open unit of work, the campaign a button names, if the caller is its creator or an
    operator; NotAllowed otherwise."""
    campaign = await shown_by_id(uow, campaign_id, caller.identity, operators)
    if not _manages(campaign, caller.identity, operators):
        raise NotAllowed()
    return campaign


async def _report(
    uow: UnitOfWork, campaign: Campaign, operators: Collection[Identity], caller: Caller
) -> AmbassadorReport:
    full = _manages(campaign, caller.identity, operators)
    # A backer asking for their link gets one, even before their first pledge.
    me = await ensure_backer(uow, caller)
    rows = []
    for code, backers, amount in await uow.pledges.referral_stats(campaign.id):
        if not full and code != me.referral_code:
            continue
        ambassador = await uow.backers.by_referral_code(code)
        name = ambassador.display_name if ambassador else code
        rows.append(AmbassadorRow(name, backers, Money(amount, campaign.goal.currency)))
    await uow.commit()
    return AmbassadorReport(campaign, rows, full, me.referral_code)


async def ambassadors(
    uows: UnitOfWorkFactory, operators: Collection[Identity], caller: Caller, choice: Choice
) -> AmbassadorReport:
    """Referral results of a campaign, as much as the caller may see."""
    async with uows() as uow:
        campaign = await chosen_campaign(uow, choice, caller.identity, operators)
        return await _report(uow, campaign, operators, caller)


async def my_campaigns(uows: UnitOfWorkFactory, caller: Caller) -> Sequence[Statement]:
    """The campaigns the caller created, with live figures and what their payments come to."""
    async with uows() as uow:
        return [
            statement(campaign, await uow.pledges.of_campaign(campaign.id))
            for campaign in await uow.campaigns.created_by(caller.identity)
        ]


async def dashboard(
    uows: UnitOfWorkFactory, operators: Collection[Identity], caller: Caller, campaign_id: int
) -> Dashboard:
    """A campaign's figures and latest updates, for its creator or an operator only."""
    async with uows() as uow:
        campaign = await managed_campaign(uow, operators, caller, campaign_id)
        updates, _ = await uow.updates.of_campaign(
            campaign.id, backers_only_too=True, offset=0, limit=DASHBOARD_UPDATES
        )
    return Dashboard(campaign, updates)
