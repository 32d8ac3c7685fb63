"""Applying what the payment provider reports to pledges, totals and milestones, exactly once."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import datetime

from core import notifications
from core.backers import Backer
from core.campaigns import Campaign, FundingModel
from core.i18n import DEFAULT_LOCALE
from core.milestones import Milestone, milestones_crossed
from core.outbox import Audience, Notification, Recipient, RecipientKind
from core.payment_checks import mismatched_terms, other_object
from core.payments import OutcomeKind, PaymentAnomaly, PaymentOutcome, PaymentRefs
from core.payouts import DisputeState, dispute_moves
from core.pledges import COUNTED, Pledge, PledgeStatus
from core.ports import BackerCount, Clock, TotalChange, UnitOfWork

_TARGET = {
    OutcomeKind.AUTHORIZED: PledgeStatus.AUTHORIZED,
    OutcomeKind.PAID: PledgeStatus.PAID,
    OutcomeKind.FAILED: PledgeStatus.FAILED,
    OutcomeKind.EXPIRED: PledgeStatus.EXPIRED,
    OutcomeKind.CANCELLED: PledgeStatus.CANCELLED,
}

# Statuses a backer hears about; an abandoned checkout (expired) is not worth a message.
_RECEIPTED = frozenset(
    {
        PledgeStatus.AUTHORIZED,
        PledgeStatus.PAID,
        PledgeStatus.FAILED,
        PledgeStatus.CANCELLED,
        PledgeStatus.REFUNDED,
    }
)


@dataclass(frozen=True, slots=True)
class AppliedOutcome:
    """What applying an outcome changed."""

    pledge: Pledge | None
    changed: bool
    duplicate_event: bool = False
    milestones: tuple[Milestone, ...] = ()
    # Why the report was recorded as an anomaly instead of applied.
    anomaly: str | None = None


async def apply_payment_outcome(
    uow: UnitOfWork, clock: Clock, outcome: PaymentOutcome
) -> AppliedOutcome:
    """Apply one outcome in one transaction: the event id, the pledge, the total, the news."""
    (result,) = await apply_payment_outcomes(uow, clock, [outcome])
    if isinstance(result, Exception):
        raise result
    return result


async def record_unusable_event(uow: UnitOfWork, clock: Clock, anomaly: PaymentAnomaly) -> bool:
    """Record a provider event that cannot be applied, once; False if it was recorded before."""
    async with uow:
        if anomaly.event_id is not None and not await uow.payment_events.record(
            anomaly.event_id, clock.now()
        ):
            return False
        await uow.payment_events.record_anomaly(anomaly)
        await uow.commit()
    return True


async def apply_payment_outcomes(
    uow: UnitOfWork, clock: Clock, outcomes: Sequence[PaymentOutcome]
) -> list[AppliedOutcome | Exception]:
    """Apply outcomes in one transaction; one that fails is undone alone, its error in its place."""
    now = clock.now()
    async with uow:
        if len(outcomes) == 1:
            # Alone in its transaction, an outcome that fails is undone with all of it.
            results = [await _caught(_apply_outcome(uow, outcomes[0], now))]
        else:
            results = await _apply_together(uow, outcomes, now)
        if any(isinstance(result, AppliedOutcome) for result in results):
            await uow.commit()
    return results


async def _apply_together(
    uow: UnitOfWork, outcomes: Sequence[PaymentOutcome], now: datetime
) -> list[AppliedOutcome | Exception]:
    """All in one savepoint; if one fails, again with a savepoint each."""
    # A savepoint costs two statements: one per group while all goes well, not one per outcome.
    try:
        async with uow.savepoint():
            return [await _apply_outcome(uow, outcome, now) for outcome in outcomes]
    except Exception:
        results: list[AppliedOutcome | Exception] = []
        for outcome in outcomes:
            results.append(await _caught(_in_savepoint(uow, outcome, now)))
        return results


async def _in_savepoint(uow: UnitOfWork, outcome: PaymentOutcome, now: datetime) -> AppliedOutcome:
    async with uow.savepoint():
        return await _apply_outcome(uow, outcome, now)


async def _caught(applying: Awaitable[AppliedOutcome]) -> AppliedOutcome | Exception:
    try:
        return await applying
    except Exception as error:
        return error


async def _apply_outcome(uow: UnitOfWork, outcome: PaymentOutcome, now: datetime) -> AppliedOutcome:
    """Record the event, hold the pledge, decide on what is committed, and write."""
    if outcome.event_id is not None and not await uow.payment_events.record(outcome.event_id, now):
        return AppliedOutcome(pledge=None, changed=False, duplicate_event=True)
    # Held, the pledge is as the last transaction to change it committed it, and stays so:
    # a concurrent report about it waits here, then decides on what this one wrote.
    held = await uow.pledges.hold(outcome.pledge_id)
    if held is None:
        # Not ours (or long gone): the event stays recorded so it is not retried forever.
        return AppliedOutcome(pledge=None, changed=False)
    pledge, backer, model = held
    refused = await _refused(uow, pledge, model, outcome, now)
    if refused is not None:
        return refused
    if outcome.kind is OutcomeKind.REFUNDED:
        return await _refund(uow, pledge, backer, outcome, now)
    if outcome.kind is OutcomeKind.DISPUTE:
        return await _dispute(uow, pledge, outcome, now)
    target = _TARGET[outcome.kind]
    if not _would_change(pledge, outcome):
        # A repeat may complete the references (the card a saved session names); news older
        # than what we know (paid after refunded, expired after paid) writes nothing.
        if pledge.status is target:
            await _keep_refs(uow, pledge.id, outcome.refs)
        return AppliedOutcome(pledge, changed=False)
    return await _move(uow, pledge, backer, target, outcome.refs, now)


async def _refused(
    uow: UnitOfWork, pledge: Pledge, model: FundingModel, outcome: PaymentOutcome, now: datetime
) -> AppliedOutcome | None:
    """What a report about other money, or about an object the pledge left behind, comes to;
    None when it is about the pledge's own."""
    wrong = mismatched_terms(outcome, pledge, model)
    other = other_object(outcome, pledge)
    if other is not None and _would_change(pledge, outcome):
        wrong = wrong or other
    if wrong is not None:
        # Kept once, under the provider's event. A reading without one (the success page, the
        # sweep of stale checkouts) may be repeated at will, and the event brings the same news.
        if outcome.event_id is not None:
            await uow.payment_events.record_anomaly(
                PaymentAnomaly(outcome.event_id, outcome.event_type, pledge.id, wrong, now)
            )
        return AppliedOutcome(pledge, changed=False, anomaly=wrong)
    if other is not None:
        # Old news about an object the pledge has left behind (the page before a retry, a
        # declined intent): it changes nothing, and its references must not replace the
        # pledge's own.
        return AppliedOutcome(pledge, changed=False)
    return None


def _would_change(pledge: Pledge, outcome: PaymentOutcome) -> bool:
    """Whether a report moves a pledge's status or refunded amount."""
    if outcome.kind is OutcomeKind.REFUNDED:
        refunded = min(outcome.refunded_total, pledge.amount.amount)
        return pledge.status is PledgeStatus.PAID and refunded > pledge.refunded_amount
    if outcome.kind is OutcomeKind.DISPUTE:
        assert outcome.dispute is not None, "a dispute outcome carries its dispute"
        return dispute_moves(pledge.dispute, outcome.dispute.state)
    target = _TARGET[outcome.kind]
    return pledge.status is not target and pledge.can_become(target)


async def _move(
    uow: UnitOfWork,
    pledge: Pledge,
    backer: Backer,
    target: PledgeStatus,
    refs: PaymentRefs,
    now: datetime,
) -> AppliedOutcome:
    """Take a held pledge to a new status, with the total, its reward and the news."""
    before = pledge.status
    counted = pledge.amount.amount - pledge.refunded_amount
    change: TotalChange | None = None
    numbered = None
    if before not in COUNTED and target in COUNTED:
        change = await uow.campaigns.change_total(
            pledge.campaign_id, counted, BackerCount(pledge.id, pledge.backer_id, 1)
        )
        if change.backers_after > change.backers_before:
            numbered = pledge.backer_number = change.backers_after
    elif before in COUNTED and target not in COUNTED:
        await uow.campaigns.change_total(
            pledge.campaign_id, -counted, BackerCount(pledge.id, pledge.backer_id, -1)
        )
    _still_held(
        await uow.pledges.transition(
            pledge.id, before, target, now, backer_number=numbered, refs=refs
        ),
        pledge,
    )
    pledge.status = target
    if pledge.tops_up is not None and before in COUNTED and target not in COUNTED:
        await uow.pledges.add_top_up(pledge.tops_up, -counted)
    milestones: tuple[Milestone, ...] = ()
    if change is not None:
        # After the transition: the announcement's audience and the referral count include
        # this pledge.
        milestones = await announce_milestones(uow, pledge.campaign_id, change, now)
        if pledge.referral_code is not None:
            await _notify_ambassador(uow, pledge, now)
    if pledge.tier_id is not None and _gives_up_reward(before, target):
        await uow.tiers.release(pledge.tier_id)
    if pledge.tops_up is None:
        if target in _RECEIPTED:
            await _notify_backer(uow, pledge, backer, now)
    elif target is PledgeStatus.PAID:
        await _raise_pledge(uow, pledge, now)
    return AppliedOutcome(pledge, changed=True, milestones=milestones)


async def _raise_pledge(uow: UnitOfWork, top_up: Pledge, now: datetime) -> None:
    """A top-up just paid: its pledge takes the new reward (the unit the top-up held) and
    counts the difference, and the backer hears what it now is."""
    assert top_up.tops_up is not None
    held = await uow.pledges.hold(top_up.tops_up)
    assert held is not None, "a pledge is never deleted"
    pledge, backer, _ = held
    if pledge.status is not PledgeStatus.PAID:
        # Refunded while its top-up was being paid: the top-up stands as a pledge of its own,
        # counted with the reward it held, for the backer or an operator to take back.
        return
    if top_up.tier_id is not None:
        if pledge.tier_id is not None:
            await uow.tiers.release(pledge.tier_id)
        # The amount stays what the pledge's own payment charged: the top-up holds the rest.
        await uow.pledges.change_reward(pledge.id, top_up.tier_id, pledge.amount, now)
        await uow.pledges.change_reward(top_up.id, None, top_up.amount, now)
        pledge.tier_id = top_up.tier_id
    await uow.pledges.add_top_up(pledge.id, top_up.amount.amount)
    pledge.topped_up += top_up.amount.amount
    if backer.reachable:
        await uow.outbox.enqueue(
            _direct(backer), notifications.pledge_raised(pledge, top_up.id), now
        )


def _still_held(written: bool, pledge: Pledge) -> None:
    """A held pledge cannot change under us: if it did, undo everything rather than guess."""
    if not written:
        raise RuntimeError(f"pledge {pledge.id} changed while it was held")


def _gives_up_reward(before: PledgeStatus, target: PledgeStatus) -> bool:
    """Whether the pledge's reward unit goes back on sale (a declined deadline charge keeps
    it, since the backer may still pay with another card)."""
    if target is PledgeStatus.FAILED:
        return before is PledgeStatus.PENDING
    return target in (PledgeStatus.CANCELLED, PledgeStatus.EXPIRED, PledgeStatus.REFUNDED)


async def _refund(
    uow: UnitOfWork, pledge: Pledge, backer: Backer, outcome: PaymentOutcome, now: datetime
) -> AppliedOutcome:
    refunded = min(outcome.refunded_total, pledge.amount.amount)
    if not _would_change(pledge, outcome):
        return AppliedOutcome(pledge, changed=False)
    _still_held(await uow.pledges.add_refund(pledge.id, pledge.refunded_amount, refunded), pledge)
    if refunded < pledge.amount.amount:
        await uow.campaigns.change_total(pledge.campaign_id, pledge.refunded_amount - refunded)
        if pledge.tops_up is not None:
            await uow.pledges.add_top_up(pledge.tops_up, pledge.refunded_amount - refunded)
        await _keep_refs(uow, pledge.id, outcome.refs)
        pledge.refunded_amount = refunded
        return AppliedOutcome(pledge, changed=True)
    # Refunded in full: the pledge stops counting what was left of it.
    applied = await _move(uow, pledge, backer, PledgeStatus.REFUNDED, outcome.refs, now)
    pledge.refunded_amount = refunded
    return applied


async def _dispute(
    uow: UnitOfWork, pledge: Pledge, outcome: PaymentOutcome, now: datetime
) -> AppliedOutcome:
    """A dispute opened or closed: the total loses what it claims while open or once lost,
    gets it back when won, and the creator hears of a new one."""
    report = outcome.dispute
    assert report is not None, "a dispute outcome carries its dispute"
    if not _would_change(pledge, outcome):
        return AppliedOutcome(pledge, changed=False)
    # Never more than the charge kept: the provider disputes what was not refunded.
    amount = min(report.amount, pledge.amount.amount - pledge.refunded_amount)
    before = pledge.withheld
    _still_held(
        await uow.pledges.set_dispute(pledge.id, pledge.dispute, report.state, amount), pledge
    )
    pledge.dispute, pledge.disputed_amount = report.state, amount
    back = before - pledge.withheld
    milestones: tuple[Milestone, ...] = ()
    if back and pledge.counted:
        change = await uow.campaigns.change_total(pledge.campaign_id, back)
        if pledge.tops_up is not None:
            await uow.pledges.add_top_up(pledge.tops_up, back)
        if back > 0:
            # A won dispute may cross a threshold again: announced milestones stay announced
            # (each is recorded once), and one never reached is announced now.
            milestones = await announce_milestones(uow, pledge.campaign_id, change, now)
    if report.state is DisputeState.OPEN:
        await _notify_creators(
            uow, pledge.campaign_id, notifications.dispute_opened(pledge, report), now
        )
    return AppliedOutcome(pledge, changed=True, milestones=milestones)


async def _notify_creators(
    uow: UnitOfWork, campaign_id: int, notification: Notification, now: datetime
) -> None:
    """Tell each of a campaign's creators, in the language each chose."""
    campaign = await uow.campaigns.get(campaign_id)
    assert campaign is not None, "a campaign is never deleted"
    for recipient in await creator_recipients(uow, campaign):
        await uow.outbox.enqueue(recipient, notification, now)


async def creator_recipients(uow: UnitOfWork, campaign: Campaign) -> list[Recipient]:
    """A campaign's creators as direct recipients; one who never spoke to Backit is written
    to in its default language."""
    recipients = []
    for identity in campaign.creator_identities:
        backer = await uow.backers.by_identity(identity)
        if backer is None:
            recipients.append(
                Recipient(identity.platform, RecipientKind.USER, identity.user_id, DEFAULT_LOCALE)
            )
        elif backer.reachable:
            recipients.append(_direct(backer))
    return recipients


async def _keep_refs(uow: UnitOfWork, pledge_id: int, refs: PaymentRefs) -> None:
    """Record the provider's references where no transition carries them."""
    if refs != PaymentRefs():
        await uow.pledges.set_payment_refs(
            pledge_id,
            checkout_session_id=refs.checkout_session_id,
            payment_intent_id=refs.payment_intent_id,
            customer_id=refs.customer_id,
            payment_method_id=refs.payment_method_id,
            shipping_address=refs.shipping_address,
            transfer_id=refs.transfer_id,
        )


async def announce_milestones(
    uow: UnitOfWork, campaign_id: int, change: TotalChange, now: datetime
) -> tuple[Milestone, ...]:
    """Announce every milestone a change to the total crossed, each once."""
    announced: list[Milestone] = []
    for milestone in milestones_crossed(
        campaign_id, change.goal, change.stretch_goals, change.raised_before, change.raised_after
    ):
        # The unique record decides who announces: concurrent crossings announce once.
        if await uow.milestones.record(milestone, now):
            announced.append(milestone)
            await uow.outbox.enqueue_audience(
                campaign_id,
                Audience.FOLLOWERS_AND_BACKERS,
                notifications.milestone_reached(milestone),
                now,
                include_communities=True,
            )
    return tuple(announced)


def _direct(backer: Backer) -> Recipient:
    return Recipient(
        platform=backer.identity.platform,
        kind=RecipientKind.USER,
        address=backer.identity.user_id,
        locale=backer.effective_locale,
        backer_id=backer.id,
    )


async def _notify_backer(uow: UnitOfWork, pledge: Pledge, backer: Backer, now: datetime) -> None:
    if backer.reachable:
        await uow.outbox.enqueue(_direct(backer), notifications.pledge_receipt(pledge), now)


async def _notify_ambassador(uow: UnitOfWork, pledge: Pledge, now: datetime) -> None:
    assert pledge.referral_code is not None
    ambassador = await uow.backers.by_referral_code(pledge.referral_code)
    if ambassador is None or not ambassador.reachable:
        return
    referrals = await uow.pledges.count_referrals(pledge.referral_code, pledge.campaign_id)
    await uow.outbox.enqueue(
        _direct(ambassador), notifications.referral_credited(pledge, referrals), now
    )
