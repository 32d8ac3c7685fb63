"""Applying what the payment provider reports to pledges, totals and milestones, exactly once."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from core import notifications
from core.backers import Backer
from core.campaigns import Campaign, FundingModel
from core.i18n import DEFAULT_LOCALE
from core.identity import Identity
from core.milestones import Milestone
from core.outbox import Notification, Recipient, RecipientKind
from core.payment_checks import mismatched_terms, other_object
from core.payments import OutcomeKind, PaymentAnomaly, PaymentOutcome, PaymentRefs
from core.payouts import DisputeState, dispute_moves
from core.pledges import Pledge, PledgeStatus
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.usecases.pledge_moves import (
    Move,
    announce_milestones,
    direct_recipient,
    move_together,
    still_held,
)

_TARGET = {
    OutcomeKind.AUTHORIZED: PledgeStatus.AUTHORIZED,
    OutcomeKind.PAID: PledgeStatus.PAID,
    OutcomeKind.FAILED: PledgeStatus.FAILED,
    OutcomeKind.EXPIRED: PledgeStatus.EXPIRED,
    OutcomeKind.CANCELLED: PledgeStatus.CANCELLED,
}


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
    async with uow:
        applied = await _apply_alone(uow, outcome, clock.now())
        await uow.commit()
    return applied


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
    uows: UnitOfWorkFactory, clock: Clock, outcomes: Sequence[PaymentOutcome]
) -> list[AppliedOutcome | Exception]:
    """Apply outcomes in one transaction, as one after the other would; one that fails is
    undone alone, its error in its place."""
    now = clock.now()
    async with uows() as uow:
        try:
            applied = await _apply_in_order(uow, outcomes, now)
        except Exception as error:
            if len(outcomes) == 1:
                return [error]
        else:
            await uow.commit()
            return list(applied)
    # Again in a new transaction, each outcome in a savepoint of its own. A savepoint costs two
    # statements: while all goes well, none is spent.
    async with uows() as uow:
        results = [await _caught(_in_savepoint(uow, outcome, now)) for outcome in outcomes]
        if any(isinstance(result, AppliedOutcome) for result in results):
            await uow.commit()
    return results


async def _in_savepoint(uow: UnitOfWork, outcome: PaymentOutcome, now: datetime) -> AppliedOutcome:
    async with uow.savepoint():
        return await _apply_alone(uow, outcome, now)


async def _apply_alone(uow: UnitOfWork, outcome: PaymentOutcome, now: datetime) -> AppliedOutcome:
    (applied,) = await _apply_in_order(uow, [outcome], now)
    return applied


async def _caught(applying: Awaitable[AppliedOutcome]) -> AppliedOutcome | Exception:
    try:
        return await applying
    except Exception as error:
        return error


async def _apply_in_order(
    uow: UnitOfWork, outcomes: Sequence[PaymentOutcome], now: datetime
) -> list[AppliedOutcome]:
    """Apply outcomes as applying them one after the other would, with the statements shared
    where their order cannot matter: the events recorded and the pledges held all at once,
    and one campaign's figures changed once when its outcomes are plain moves."""
    results: dict[int, AppliedOutcome] = {}
    news = await _news(uow, outcomes, now)
    # Held, a pledge is as the last transaction to change it committed it, and stays so: a
    # concurrent report about it waits here, then decides on what this one wrote.
    held = await uow.pledges.hold_all({outcomes[index].pledge_id for index in news})
    of_campaign: dict[int, list[tuple[int, _Held]]] = {}
    for index in news:
        found = held.get(outcomes[index].pledge_id)
        if found is None:
            # Not ours (or long gone): the event stays recorded so it is not retried forever.
            results[index] = AppliedOutcome(pledge=None, changed=False)
        else:
            of_campaign.setdefault(found[0].campaign_id, []).append((index, found))
    # No outcome touches another campaign's pledges or figures, so campaigns go one by one.
    for items in of_campaign.values():
        indices = [index for index, _ in items]
        if len(items) == 1 or _plain(outcomes, items):
            applied = await _apply_held(uow, [(outcomes[i], found) for i, found in items], now)
        else:
            applied = [await _apply_held_afresh(uow, outcomes[index], now) for index in indices]
        results.update(zip(indices, applied, strict=True))
    return [results.get(index, _DUPLICATE) for index in range(len(outcomes))]


_DUPLICATE = AppliedOutcome(pledge=None, changed=False, duplicate_event=True)
_Held = tuple[Pledge, Backer, FundingModel]


async def _news(uow: UnitOfWork, outcomes: Sequence[PaymentOutcome], now: datetime) -> list[int]:
    """The positions of the outcomes to apply: every event recorded, and applied the first
    time it comes; an outcome with no event (a success page, a sweep) always."""
    event_ids = {outcome.event_id for outcome in outcomes if outcome.event_id is not None}
    recorded = await uow.payment_events.record_all(event_ids, now) if event_ids else set()
    news = []
    for index, outcome in enumerate(outcomes):
        if outcome.event_id is None:
            news.append(index)
        elif outcome.event_id in recorded:
            recorded.discard(outcome.event_id)  # a second delivery in the same group is old
            news.append(index)
    return news


def _plain(outcomes: Sequence[PaymentOutcome], items: Sequence[tuple[int, _Held]]) -> bool:
    """Whether a campaign's outcomes can share their statements: each about another pledge,
    none a refund, a dispute or a top-up (which changes the pledge it tops up)."""
    pledge_ids = {outcomes[index].pledge_id for index, _ in items}
    return len(pledge_ids) == len(items) and all(
        outcomes[index].kind in _TARGET and found[0].tops_up is None for index, found in items
    )


async def _apply_held_afresh(
    uow: UnitOfWork, outcome: PaymentOutcome, now: datetime
) -> AppliedOutcome:
    """One outcome after others about its campaign, on its pledge as they left it."""
    found = await uow.pledges.hold(outcome.pledge_id)
    assert found is not None, "a pledge held in this transaction is never deleted"
    (applied,) = await _apply_held(uow, [(outcome, found)], now)
    return applied


async def _apply_held(
    uow: UnitOfWork, items: Sequence[tuple[PaymentOutcome, _Held]], now: datetime
) -> list[AppliedOutcome]:
    """Decide on each held pledge, then make the moves decided together."""
    decided = [await _decide(uow, outcome, *found, now) for outcome, found in items]
    moves = [d for d in decided if isinstance(d, Move)]
    announced = iter(await move_together(uow, moves, now))
    return [
        AppliedOutcome(d.pledge, changed=True, milestones=next(announced))
        if isinstance(d, Move)
        else d
        for d in decided
    ]


async def _decide(
    uow: UnitOfWork,
    outcome: PaymentOutcome,
    pledge: Pledge,
    backer: Backer,
    model: FundingModel,
    now: datetime,
) -> AppliedOutcome | Move:
    """What a report comes to for its held pledge: applied at once, or a move to make."""
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
    return Move(pledge, backer, target, outcome.refs)


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


async def _refund(
    uow: UnitOfWork, pledge: Pledge, backer: Backer, outcome: PaymentOutcome, now: datetime
) -> AppliedOutcome:
    refunded = min(outcome.refunded_total, pledge.amount.amount)
    if not _would_change(pledge, outcome):
        return AppliedOutcome(pledge, changed=False)
    still_held(await uow.pledges.add_refund(pledge.id, pledge.refunded_amount, refunded), pledge.id)
    if refunded < pledge.amount.amount:
        await uow.campaigns.change_total(
            pledge.campaign_id, pledge.refunded_amount - refunded, late=pledge.late
        )
        if pledge.tops_up is not None:
            await uow.pledges.add_top_up(pledge.tops_up, pledge.refunded_amount - refunded)
        await _keep_refs(uow, pledge.id, outcome.refs)
        pledge.refunded_amount = refunded
        return AppliedOutcome(pledge, changed=True)
    # Refunded in full: the pledge stops counting what was left of it.
    (milestones,) = await move_together(
        uow, [Move(pledge, backer, PledgeStatus.REFUNDED, outcome.refs)], now
    )
    pledge.refunded_amount = refunded
    return AppliedOutcome(pledge, changed=True, milestones=milestones)


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
    still_held(
        await uow.pledges.set_dispute(pledge.id, pledge.dispute, report.state, amount),
        pledge.id,
    )
    pledge.dispute, pledge.disputed_amount = report.state, amount
    back = before - pledge.withheld
    milestones: tuple[Milestone, ...] = ()
    if back and pledge.counted:
        change = await uow.campaigns.change_total(pledge.campaign_id, back, late=pledge.late)
        if pledge.tops_up is not None:
            await uow.pledges.add_top_up(pledge.tops_up, back)
        if back > 0 and not pledge.late:
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
    return await direct_recipients(uow, campaign.creator_identities)


async def direct_recipients(uow: UnitOfWork, identities: Iterable[Identity]) -> list[Recipient]:
    """People written to in their private chats, each in the language they chose; one who
    never spoke to Backit is written to in its default language, one gone is left out."""
    recipients = []
    for identity in identities:
        backer = await uow.backers.by_identity(identity)
        if backer is None:
            recipients.append(
                Recipient(identity.platform, RecipientKind.USER, identity.user_id, DEFAULT_LOCALE)
            )
        elif backer.reachable:
            recipients.append(direct_recipient(backer))
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
