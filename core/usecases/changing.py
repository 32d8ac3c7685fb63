"""Changing a pledge before the deadline: another reward or another amount, applied once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.campaigns import Campaign, FundingModel
from core.errors import CannotChange, CannotLower, PledgeNotFound, TierNotFound
from core.i18n import N_, LazyText
from core.identity import Caller
from core.money import Money
from core.payments import PaymentUnavailable
from core.pledges import Pledge, can_change, can_change_to, needs_top_up
from core.ports import Clock, PaymentGateway, UnitOfWork, UnitOfWorkFactory
from core.usecases.cancelling import FINAL_STRETCH
from core.usecases.pledge_moves import announce_milestones
from core.usecases.pledging import PledgeLimits, PledgeRequest, claim_unit, pledge_amount


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
    # What went back to the card of a paid pledge that came down.
    refunded: Money | None = None
    # What a paid pledge going up still needs paid; nothing changed until it is.
    top_up: TopUpDue | None = None


@dataclass(frozen=True, slots=True)
class TopUpDue:
    """A paid pledge's way up: the reward and amount it comes to once the difference is paid."""

    tier_id: int | None
    amount: Money
    difference: Money


def _refusal(pledge: Pledge, campaign: Campaign, now: datetime) -> CannotChange | None:
    if not campaign.is_open(now):
        return CannotChange(reason=LazyText(N_("the campaign has ended.")))
    if not can_change(pledge, campaign, now):
        return CannotChange(reason=LazyText(N_("it is no longer active.")))
    if pledge.withheld:
        return CannotChange(reason=LazyText(N_("your bank is handling a dispute about it.")))
    return None


def _already(pledge: Pledge, request: ChangeRequest) -> bool:
    """Whether the pledge already is what the request asks for (a repeat of a change)."""
    current = Money(pledge.backed_amount, pledge.amount.currency)
    if request.tier_id is not None:
        return pledge.tier_id == request.tier_id and request.amount in (None, current)
    return pledge.tier_id is None and request.amount == current


async def _own_pledge(uow: UnitOfWork, caller: Caller, pledge_id: int) -> tuple[Pledge, Campaign]:
    backer = await uow.backers.by_identity(caller.identity)
    held = await uow.pledges.hold(pledge_id)
    # A top-up is part of its pledge, never changed on its own.
    if (
        backer is None
        or held is None
        or held[0].backer_id != backer.id
        or held[0].tops_up is not None
    ):
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
    uows: UnitOfWorkFactory,
    clock: Clock,
    gateway: PaymentGateway | None,
    limits: PledgeLimits,
    request: ChangeRequest,
) -> PledgeChange:
    """Move a pledge to another reward or amount, once however often it is asked: a saved
    card is charged the new amount at the deadline; a paid pledge coming down has the
    difference refunded to its card, and one going up is told the difference to pay."""
    now = clock.now()
    async with uows() as uow:
        # Held: the same change asked at the same moment waits here, then finds it made.
        pledge, campaign = await _own_pledge(uow, request.caller, request.pledge_id)
        amount = new_amount(pledge, campaign, request, limits, now)
        if amount is None:
            return PledgeChange(pledge, campaign, changed=False)
        if campaign.funding_model is FundingModel.FLEXIBLE and needs_top_up(pledge, amount.amount):
            difference = Money(amount.amount - pledge.backed_amount, amount.currency)
            due = TopUpDue(request.tier_id, amount, difference)
            return PledgeChange(pledge, campaign, changed=False, top_up=due)
        if campaign.funding_model is FundingModel.ALL_OR_NOTHING:
            await _move_saved(uow, pledge, campaign, request.tier_id, amount, now)
            await uow.commit()
            return await _as_changed(uows, pledge.id, changed=True)
    if gateway is None:
        raise PaymentUnavailable()
    # Paid already: the money goes back first, then the pledge follows, once. The same change
    # asked twice at once shares the provider's idempotency key, so it refunds once.
    refund = Money(pledge.counted_amount - amount.amount, amount.currency)
    key = f"backit-pledge-{pledge.id}-change-{pledge.refunded_amount}-{refund.amount}"
    await gateway.refund(pledge, key, refund)
    target = pledge.refunded_amount + refund.amount
    async with uows() as uow:
        held, campaign = await _own_pledge(uow, request.caller, request.pledge_id)
        changed = await _move_refunded(uow, held, campaign, request.tier_id, target, now)
        await uow.commit()
    return await _as_changed(uows, pledge.id, changed, refund if changed else None)


def new_amount(
    pledge: Pledge, campaign: Campaign, request: ChangeRequest, limits: PledgeLimits, now: datetime
) -> Money | None:
    """The amount a change comes to, checked; None when the pledge already is so."""
    refusal = _refusal(pledge, campaign, now)
    if refusal is not None:
        raise refusal
    if _already(pledge, request):
        return None
    asked = PledgeRequest(request.caller, campaign.id, request.tier_id, request.amount)
    amount = pledge_amount(campaign, asked, limits, now, held_tier=pledge.tier_id)
    if not can_change_to(pledge, campaign, amount.amount):
        raise CannotLower()
    dropped_reward = request.tier_id is None and pledge.tier_id is not None
    if dropped_reward and needs_top_up(pledge, amount.amount):
        # A top-up moves a reward, or keeps it; more money for none is not a change to pay for.
        raise CannotChange(reason=LazyText(N_("a larger pledge keeps its reward.")))
    _check_reward(pledge, campaign, request.tier_id)
    _check_goal(pledge, campaign, amount, now)
    return amount


async def _move_saved(
    uow: UnitOfWork,
    pledge: Pledge,
    campaign: Campaign,
    tier_id: int | None,
    amount: Money,
    now: datetime,
) -> None:
    """An all-or-nothing pledge takes its new reward and amount; the total follows."""
    if tier_id != pledge.tier_id:
        await _move_unit(uow, campaign, pledge.tier_id, tier_id, now)
    await uow.pledges.change_reward(pledge.id, tier_id, amount, now)
    difference = amount.amount - pledge.amount.amount
    if difference:
        # The backer is counted already: only the total moves.
        change = await uow.campaigns.change_total(campaign.id, difference)
        await announce_milestones(uow, campaign.id, change, now)


async def _move_refunded(
    uow: UnitOfWork,
    pledge: Pledge,
    campaign: Campaign,
    tier_id: int | None,
    refunded: int,
    now: datetime,
) -> bool:
    """A paid pledge whose difference was refunded takes its new reward, and counts the
    refund unless the provider's own news of it came first; False if all was done."""
    changed = False
    if pledge.refunded_amount < refunded:
        await uow.pledges.add_refund(pledge.id, pledge.refunded_amount, refunded)
        await uow.campaigns.change_total(campaign.id, pledge.refunded_amount - refunded)
        changed = True
    if tier_id != pledge.tier_id:
        await _move_unit(uow, campaign, pledge.tier_id, tier_id, now)
        # The amount stays what was charged: the refund says how much of it is left.
        await uow.pledges.change_reward(pledge.id, tier_id, pledge.amount, now)
        changed = True
    return changed


async def _as_changed(
    uows: UnitOfWorkFactory, pledge_id: int, changed: bool, refunded: Money | None = None
) -> PledgeChange:
    async with uows() as uow:
        pledge = await uow.pledges.get(pledge_id)
        campaign = await uow.campaigns.get(pledge.campaign_id) if pledge else None
    assert pledge is not None, "a pledge is never deleted"
    assert campaign is not None, "a pledge's campaign is never deleted"
    return PledgeChange(pledge, campaign, changed, refunded)


async def _move_unit(
    uow: UnitOfWork, campaign: Campaign, held: int | None, wanted: int | None, now: datetime
) -> None:
    """Claim a unit of the new reward (never oversold), then give the old one back."""
    if wanted is not None:
        await claim_unit(uow, campaign.id, wanted, now)
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
    # A secret reward is had through its link, as a pledge of its own: no change leads to it.
    if tier is not None and tier.secret and tier.id != pledge.tier_id:
        raise TierNotFound()
    # The saved card's checkout asked for no address: a reward that ships needs its own.
    if tier is not None and tier.ships and pledge.shipping_address is None:
        raise CannotChange(
            reason=LazyText(
                N_("this reward ships, and your pledge has no address: add a second pledge for it.")
            )
        )


def _check_goal(pledge: Pledge, campaign: Campaign, amount: Money, now: datetime) -> None:
    """In a campaign's last day a backer may not pull it back under its goal, as for cancelling."""
    after = campaign.raised - pledge.backed_amount + amount.amount
    goal = campaign.goal.amount
    if campaign.ends_at - now < FINAL_STRETCH and campaign.raised >= goal > after:
        raise CannotChange(
            reason=LazyText(N_("in its last day, the campaign would fall below its goal."))
        )
