"""Ambassadors: what each backer's share link brought a campaign."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from core.campaigns import Campaign
from core.identity import Caller, Identity
from core.money import Money
from core.ports import UnitOfWorkFactory
from core.usecases.choosing import Choice, chosen_campaign


@dataclass(frozen=True, slots=True)
class AmbassadorRow:
    """One referral link's results."""

    name: str
    backers: int
    amount: Money


@dataclass(frozen=True, slots=True)
class AmbassadorReport:
    """Every link's results for the creator; only their own for anyone else."""

    campaign: Campaign
    rows: Sequence[AmbassadorRow]
    full: bool


async def ambassadors(
    uows: UnitOfWorkFactory, operators: Collection[Identity], caller: Caller, choice: Choice
) -> AmbassadorReport:
    """Referral results of a campaign, as much as the caller may see."""
    async with uows() as uow:
        campaign = await chosen_campaign(uow, choice, caller.identity, operators)
        full = campaign.is_creator(caller.identity) or caller.identity in operators
        me = await uow.backers.by_identity(caller.identity)
        rows = []
        for code, backers, amount in await uow.pledges.referral_stats(campaign.id):
            if not full and (me is None or code != me.referral_code):
                continue
            ambassador = await uow.backers.by_referral_code(code)
            name = ambassador.display_name if ambassador else code
            rows.append(AmbassadorRow(name, backers, Money(amount, campaign.goal.currency)))
    return AmbassadorReport(campaign, rows, full)


async def my_campaigns(uows: UnitOfWorkFactory, caller: Caller) -> Sequence[Campaign]:
    """The campaigns the caller created, with live figures."""
    async with uows() as uow:
        return await uow.campaigns.created_by(caller.identity)
