"""Applying what the payment provider reports to pledges, totals and milestones, exactly once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core import notifications
from core.backers import Backer
from core.campaigns import Campaign
from core.milestones import Milestone, milestones_crossed
from core.outbox import Audience, Recipient, RecipientKind
from core.payments import OutcomeKind, PaymentOutcome
from core.pledges import COUNTED, Pledge, PledgeStatus
from core.ports import Clock, UnitOfWork

# A lost race (another transaction changed the pledge first) is decided again on fresh data.
MAX_ATTEMPTS = 5


_TARGET = {
    OutcomeKind.AUTHORIZED: PledgeStatus.AUTHORIZED,
    OutcomeKind.PAID: PledgeStatus.PAID,
    OutcomeKind.FAILED: PledgeStatus.FAILED,
    OutcomeKind.EXPIRED: PledgeStatus.EXPIRED,
    OutcomeKind.CANCELLED: PledgeStatus.CANCELLED,
}

# Statuses a backer hears about; an abandoned checkout (expired) is not worth a message.
_RECEIPTED = frozenset(
    {PledgeStatus.AUTHORIZED, PledgeStatus.PAID, PledgeStatus.FAILED, PledgeStatus.CANCELLED}
)


@dataclass(frozen=True, slots=True)
class AppliedOutcome:
    """What applying an outcome changed."""

    pledge: Pledge | None
    changed: bool
    duplicate_event: bool = False
    milestones: tuple[Milestone, ...] = ()


async def apply_payment_outcome(
    uow: UnitOfWork, clock: Clock, outcome: PaymentOutcome
) -> AppliedOutcome:
    """Apply one outcome in one transaction: the event id, the pledge, the total, the news."""
    now = clock.now()
    async with uow:
        if outcome.event_id is not None and not await uow.payment_events.record(
            outcome.event_id, now
        ):
            return AppliedOutcome(pledge=None, changed=False, duplicate_event=True)
        for _ in range(MAX_ATTEMPTS):
            pledge = await uow.pledges.get(outcome.pledge_id)
            if pledge is None:
                # Not ours (or long gone): remember the event so it is not retried forever.
                await uow.commit()
                return AppliedOutcome(pledge=None, changed=False)
            applied = await _apply(uow, pledge, outcome, now)
            if applied is not None:
                await uow.pledges.set_payment_refs(
                    pledge.id,
                    checkout_session_id=outcome.refs.checkout_session_id,
                    payment_intent_id=outcome.refs.payment_intent_id,
                    customer_id=outcome.refs.customer_id,
                    payment_method_id=outcome.refs.payment_method_id,
                    shipping_address=outcome.refs.shipping_address,
                )
                await uow.commit()
                return applied
        raise RuntimeError(f"pledge {outcome.pledge_id} kept changing under us")


async def _apply(
    uow: UnitOfWork, pledge: Pledge, outcome: PaymentOutcome, now: datetime
) -> AppliedOutcome | None:
    """Decide and write; None when another transaction changed the pledge first."""
    if outcome.kind is OutcomeKind.REFUNDED:
        return await _refund(uow, pledge, outcome.refunded_total, now)
    target = _TARGET[outcome.kind]
    if pledge.status is target or not pledge.can_become(target):
        # A repeat, or news older than what we know (expired after paid): nothing to change.
        return AppliedOutcome(pledge, changed=False)
    before = pledge.status
    if not await uow.pledges.transition(pledge.id, before, target, now):
        return None
    pledge.status = target
    milestones: list[Milestone] = []
    if before not in COUNTED and target in COUNTED:
        milestones = await _count(uow, pledge, now)
    elif before in COUNTED and target not in COUNTED:
        await _uncount(uow, pledge, pledge.amount.amount - pledge.refunded_amount)
    if pledge.tier_id is not None and _gives_up_reward(before, target):
        await uow.tiers.release(pledge.tier_id)
    if target in _RECEIPTED:
        await _notify_backer(uow, pledge, now)
    return AppliedOutcome(pledge, changed=True, milestones=tuple(milestones))


def _gives_up_reward(before: PledgeStatus, target: PledgeStatus) -> bool:
    """Whether the pledge's reward unit goes back on sale (a declined deadline charge keeps
    it, since the backer may still pay with another card)."""
    if target is PledgeStatus.FAILED:
        return before is PledgeStatus.PENDING
    return target in (PledgeStatus.CANCELLED, PledgeStatus.EXPIRED)


async def _refund(
    uow: UnitOfWork, pledge: Pledge, refunded_total: int, now: datetime
) -> AppliedOutcome | None:
    refunded = min(refunded_total, pledge.amount.amount)
    if pledge.status is not PledgeStatus.PAID or refunded <= pledge.refunded_amount:
        return AppliedOutcome(pledge, changed=False)
    if not await uow.pledges.add_refund(pledge.id, pledge.refunded_amount, refunded):
        return None
    delta = refunded - pledge.refunded_amount
    pledge.refunded_amount = refunded
    if refunded == pledge.amount.amount:
        if not await uow.pledges.transition(
            pledge.id, PledgeStatus.PAID, PledgeStatus.REFUNDED, now
        ):
            return None
        pledge.status = PledgeStatus.REFUNDED
        await _uncount(uow, pledge, delta)
        if pledge.tier_id is not None:
            await uow.tiers.release(pledge.tier_id)
        await _notify_backer(uow, pledge, now)
    else:
        await uow.campaigns.change_total(pledge.campaign_id, -delta, 0)
    return AppliedOutcome(pledge, changed=True)


async def _count(uow: UnitOfWork, pledge: Pledge, now: datetime) -> list[Milestone]:
    """Add a newly counted pledge to the total and announce every milestone it crossed."""
    # Changing the total first locks the campaign row, so the check for the backer's other
    # pledges below sees every concurrent payment that committed before us.
    change = await uow.campaigns.change_total(
        pledge.campaign_id, pledge.amount.amount - pledge.refunded_amount, 0
    )
    if not await uow.pledges.other_counted_exists(pledge.backer_id, pledge.campaign_id, pledge.id):
        counted = await uow.campaigns.change_total(pledge.campaign_id, 0, 1)
        pledge.backer_number = counted.backers_after
        await uow.pledges.set_backer_number(pledge.id, counted.backers_after)
    campaign = await uow.campaigns.get(pledge.campaign_id)
    assert campaign is not None, "a pledge's campaign is never deleted"
    announced: list[Milestone] = []
    for milestone in milestones_crossed(
        campaign.id,
        campaign.goal.amount,
        campaign.stretch_goals,
        change.raised_before,
        change.raised_after,
    ):
        # The unique record decides who announces: concurrent crossings announce once.
        if await uow.milestones.record(milestone, now):
            announced.append(milestone)
            await uow.outbox.enqueue_audience(
                campaign.id,
                Audience.FOLLOWERS_AND_BACKERS,
                notifications.milestone_reached(campaign, milestone),
                now,
                include_communities=True,
            )
    if pledge.referral_code is not None:
        await _notify_ambassador(uow, campaign, pledge, now)
    return announced


async def _uncount(uow: UnitOfWork, pledge: Pledge, amount: int) -> None:
    # Total first, for the same row lock as in _count.
    await uow.campaigns.change_total(pledge.campaign_id, -amount, 0)
    if not await uow.pledges.other_counted_exists(pledge.backer_id, pledge.campaign_id, pledge.id):
        await uow.campaigns.change_total(pledge.campaign_id, 0, -1)


def _direct(backer: Backer) -> Recipient:
    return Recipient(
        platform=backer.identity.platform,
        kind=RecipientKind.USER,
        address=backer.identity.user_id,
        locale=backer.effective_locale,
        backer_id=backer.id,
    )


async def _notify_backer(uow: UnitOfWork, pledge: Pledge, now: datetime) -> None:
    backer = await uow.backers.get(pledge.backer_id)
    if backer is not None and backer.reachable:
        await uow.outbox.enqueue(_direct(backer), notifications.pledge_receipt(pledge), now)


async def _notify_ambassador(
    uow: UnitOfWork, campaign: Campaign, pledge: Pledge, now: datetime
) -> None:
    assert pledge.referral_code is not None
    ambassador = await uow.backers.by_referral_code(pledge.referral_code)
    if ambassador is None or not ambassador.reachable:
        return
    referrals = await uow.pledges.count_referrals(pledge.referral_code, campaign.id)
    await uow.outbox.enqueue(
        _direct(ambassador), notifications.referral_credited(pledge, referrals), now
    )
