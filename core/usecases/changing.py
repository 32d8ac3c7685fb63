"""Changing a pledge before the deadline: another reward or another amount, applied once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.campaigns import Campaign
from core.errors import CannotChange, PledgeNotFound
from core.i18n import N_, LazyText
from core.identity import Caller
from core.money import Money
from core.pledges import Pledge, can_change
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.usecases.cancelling import FINAL_STRETCH
from core.usecases.payments import announce_milestones
from core.usecases.pledging import PledgeLimits, PledgeRequest, no_unit_left, pledge_amount


@dataclass(frozen=True, slots=True)
class ChangeRequest:
    """A backer asking for another reward (or none, with an amount) on one of their pledges."""

    caller: Caller
    pledge_id: int
    tier_id: int | None
    # None means the reward's price; required without a reward.
    amount: Money | None = None


@dataclass(frozen=True, slots=True)
class PledgeChange:
    """A pledge as a change left it (or found it), with its campaign."""

    pledge: Pledge
    campaign: Campaign
    changed: bool


def _refusal(pledge: Pledge, campaign: Campaign, now: datetime) -> CannotChange | None:
    if not campaign.is_open(now):
        return CannotChange(reason=LazyText(N_("the campaign has ended.")))
    if not can_change(pledge, campaign, now):
        return CannotChange(reason=LazyText(N_("it is no longer active.")))
    return None


def _already(pledge: Pledge, request: ChangeRequest) -> bool:
    """Whether the pledge already is what the request asks for (a repeat of a change)."""
    if request.tier_id is not None:
        return pledge.tier_id == request.tier_id and request.amount in (None, pledge.amount)
    return pledge.tier_id is None and request.amount == pledge.amount


async def _own_pledge(uow: UnitOfWork, caller: Caller, pledge_id: int) -> tuple[Pledge, Campaign]:
    backer = await uow.backers.by_identity(caller.identity)
    held = await uow.pledges.hold(pledge_id)
    if backer is None or held is None or held[0].backer_id != backer.id:
        raise PledgeNotFound()
    campaign = await uow.campaigns.get(held[0].campaign_id)
    assert campaign is not None, "a pledge's campaign is never deleted"
    return held[0], campaign


async def pledge_to_change(
    uows: UnitOfWorkFactory, clock: Clock, caller: Caller, pledge_id: int
) -> PledgeChange:
    """One of the caller's pledges that may be changed now, with its campaign."""
    async with uows() as uow:
        pledge, campaign = await _own_pledge(uow, caller, pledge_id)
    refusal = _refusal(pledge, campaign, clock.now())
    if refusal is not None:
        raise refusal
    return PledgeChange(pledge, campaign, changed=False)


async def change_pledge(
    uows: UnitOfWorkFactory, clock: Clock, limits: PledgeLimits, request: ChangeRequest
) -> PledgeChange:
    """Move an all-or-nothing pledge to another reward or amount: its units, the campaign's
    total and the amount charged at the deadline move once, however often it is asked."""
    now = clock.now()
    async with uows() as uow:
        # Held: the same change asked at the same moment waits here, then finds it made.
        pledge, campaign = await _own_pledge(uow, request.caller, request.pledge_id)
        refusal = _refusal(pledge, campaign, now)
        if refusal is not None:
            raise refusal
        if _already(pledge, request):
            return PledgeChange(pledge, campaign, changed=False)
        asked = PledgeRequest(request.caller, campaign.id, request.tier_id, request.amount)
        amount = pledge_amount(campaign, asked, limits, now, held_tier=pledge.tier_id)
        _check_reward(pledge, campaign, request.tier_id)
        _check_goal(pledge, campaign, amount, now)
        if request.tier_id != pledge.tier_id:
            await _move_unit(uow, campaign, pledge.tier_id, request.tier_id, now)
        await uow.pledges.change_reward(pledge.id, request.tier_id, amount, now)
        difference = amount.amount - pledge.amount.amount
        if difference:
            # The backer is counted already: only the total moves.
            change = await uow.campaigns.change_total(campaign.id, difference)
            await announce_milestones(uow, campaign.id, change, now)
        await uow.commit()
    async with uows() as uow:
        changed = await uow.pledges.get(pledge.id)
        latest = await uow.campaigns.get(campaign.id)
    assert changed is not None, "a pledge is never deleted"
    assert latest is not None, "a pledge's campaign is never deleted"
    return PledgeChange(changed, latest, changed=True)


async def _move_unit(
    uow: UnitOfWork, campaign: Campaign, held: int | None, wanted: int | None, now: datetime
) -> None:
    """Claim a unit of the new reward (never oversold), then give the old one back."""
    if wanted is not None and not await uow.tiers.claim(wanted):
        latest = await uow.campaigns.get(campaign.id)
        tier = latest.tier(wanted) if latest is not None else None
        assert tier is not None, "a tier is never deleted from a live campaign"
        raise no_unit_left(tier, now)
    if held is not None:
        await uow.tiers.release(held)


def with_amount(caller: Caller, pledge: Pledge, campaign: Campaign, amount: Money) -> ChangeRequest:
    """Another amount typed for a pledge: its reward kept while the amount covers its price,
    else an amount without a reward."""
    tier = campaign.tier(pledge.tier_id) if pledge.tier_id is not None else None
    if tier is not None and amount.amount >= tier.amount.amount:
        return ChangeRequest(caller, pledge.id, tier.id, amount)
    return ChangeRequest(caller, pledge.id, None, amount)


def _check_reward(pledge: Pledge, campaign: Campaign, tier_id: int | None) -> None:
    tier = campaign.tier(tier_id) if tier_id is not None else None
    # The saved card's checkout asked for no address: a reward that ships needs its own.
    if tier is not None and tier.ships and pledge.shipping_address is None:
        raise CannotChange(
            reason=LazyText(
                N_("this reward ships, and your pledge has no address: add a second pledge for it.")
            )
        )


def _check_goal(pledge: Pledge, campaign: Campaign, amount: Money, now: datetime) -> None:
    """In a campaign's last day a backer may not pull it back under its goal, as for cancelling."""
    after = campaign.raised - pledge.counted_amount + amount.amount
    goal = campaign.goal.amount
    if campaign.ends_at - now < FINAL_STRETCH and campaign.raised >= goal > after:
        raise CannotChange(
            reason=LazyText(N_("in its last day, the campaign would fall below its goal."))
        )
