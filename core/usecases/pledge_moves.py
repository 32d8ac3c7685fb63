"""Held pledges of one campaign taken to new statuses together, as one after the other would
be: the campaign's figures, the transitions, the reward units and the news."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from core import notifications
from core.backers import Backer
from core.milestones import Milestone, MilestoneKind, milestones_crossed
from core.outbox import Audience, Notification, Recipient, RecipientKind
from core.payments import PaymentRefs
from core.pledges import COUNTED, Pledge, PledgeStatus
from core.ports import StatusChange, TotalChange, UnitOfWork

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


@dataclass(slots=True)
class Move:
    """A held pledge on its way to a new status, with the references the report brought."""

    pledge: Pledge
    backer: Backer
    target: PledgeStatus
    refs: PaymentRefs


async def move_together(
    uow: UnitOfWork, moves: Sequence[Move], now: datetime
) -> list[tuple[Milestone, ...]]:
    """Take held pledges of one campaign (none a top-up, when several) to new statuses, each
    with the total, its reward and the news, as moving them one after the other would; the
    milestones each move announced."""
    changes = await _change_figures(uow, moves)
    writes = _Writes(uow, now)
    announced = [
        await _move(uow, writes, move, change, now)
        for move, change in zip(moves, changes, strict=True)
    ]
    await writes.flush()
    return announced


async def _move(
    uow: UnitOfWork, writes: _Writes, move: Move, change: TotalChange | None, now: datetime
) -> tuple[Milestone, ...]:
    """Take a held pledge to a new status; `change` is its turn at the figures if it starts
    counting. The milestones it announced."""
    pledge, backer, target = move.pledge, move.backer, move.target
    before = pledge.status
    numbered = None
    # Backer numbers tell the order backers came in during the campaign: late ones have none.
    if change is not None and not pledge.late and change.backers_after > change.backers_before:
        numbered = pledge.backer_number = change.backers_after
    writes.transition(StatusChange(pledge.id, before, target, numbered, move.refs))
    pledge.status = target
    if pledge.tops_up is not None and before in COUNTED and target not in COUNTED:
        await uow.pledges.add_top_up(pledge.tops_up, -_counted(pledge))
    milestones: tuple[Milestone, ...] = ()
    if change is not None:
        # Late pledges are counted apart from the total the milestones measure.
        crossed = [] if pledge.late else _crossed(pledge.campaign_id, change)
        if crossed or pledge.referral_code is not None:
            # The announcement's audience and the referral count include this pledge.
            await writes.flush()
        milestones = await _announce(uow, pledge.campaign_id, crossed, now)
        if pledge.referral_code is not None:
            await _notify_ambassador(uow, pledge, now)
    if pledge.tier_id is not None and _gives_up_reward(before, target):
        await uow.tiers.release(pledge.tier_id)
    if pledge.tops_up is None:
        if target in _RECEIPTED and backer.reachable:
            writes.enqueue(direct_recipient(backer), notifications.pledge_receipt(pledge))
    elif target is PledgeStatus.PAID:
        await writes.flush()
        await _raise_pledge(uow, pledge, now)
    return milestones


async def _change_figures(uow: UnitOfWork, moves: Sequence[Move]) -> list[TotalChange | None]:
    """Change one campaign's figures once for every move, late pledges' apart from the total;
    for each pledge that starts counting, the figures around its own turn (None for others)."""
    changes: list[TotalChange | None] = [None] * len(moves)
    for late in (False, True):
        indices = [index for index, move in enumerate(moves) if move.pledge.late is late]
        if indices:
            group = await _change_group(uow, [moves[index] for index in indices], late=late)
            for index, change in zip(indices, group, strict=True):
                changes[index] = change
    return changes


async def _change_group(
    uow: UnitOfWork, moves: Sequence[Move], *, late: bool
) -> list[TotalChange | None]:
    """`_change_figures` for moves that are all late pledges, or none."""
    starting = [m.pledge.status not in COUNTED and m.target in COUNTED for m in moves]
    stopping = [m.pledge.status in COUNTED and m.target not in COUNTED for m in moves]
    if not any(starting) and not any(stopping):
        return [None] * len(moves)
    campaign_id = moves[0].pledge.campaign_id
    # A backer counts once however many of their pledges count: the count moves only for a
    # pledge that is, or leaves, the backer's only counted one. The hold took the campaign's
    # row, so no other transaction changes what this reads until this one ends.
    found = await uow.pledges.counted_by(
        campaign_id, {m.pledge.backer_id for m in moves}, late=late
    )
    counted = {backer_id: set(pledge_ids) for backer_id, pledge_ids in found.items()}
    turns = []
    for move, starts, stops in zip(moves, starting, stopping, strict=True):
        pledge = move.pledge
        theirs = counted.setdefault(pledge.backer_id, set())
        alone = not theirs - {pledge.id}
        if starts:
            theirs.add(pledge.id)
            turns.append((_counted(pledge), int(alone)))
        elif stops:
            theirs.discard(pledge.id)
            turns.append((-_counted(pledge), -int(alone)))
        else:
            turns.append((0, 0))
    total = await uow.campaigns.change_total(
        campaign_id,
        sum(amount for amount, _ in turns),
        sum(backers for _, backers in turns),
        late=late,
    )
    raised, backers = total.raised_before, total.backers_before
    changes: list[TotalChange | None] = []
    for (amount, moved), starts in zip(turns, starting, strict=True):
        turn = replace(
            total,
            raised_before=raised,
            raised_after=raised + amount,
            backers_before=backers,
            backers_after=backers + moved,
        )
        raised, backers = turn.raised_after, turn.backers_after
        changes.append(turn if starts else None)
    return changes


def _counted(pledge: Pledge) -> int:
    """What a pledge moving into or out of the total moves: its amount less refunds."""
    return pledge.amount.amount - pledge.refunded_amount


class _Writes:
    """Pledge transitions and messages held back to be written together, in order, before
    anything reads them."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self._uow, self._now = uow, now
        self._changes: list[StatusChange] = []
        self._messages: list[tuple[Recipient, Notification]] = []

    def transition(self, change: StatusChange) -> None:
        """Move a held pledge when next written."""
        self._changes.append(change)

    def enqueue(self, recipient: Recipient, notification: Notification) -> None:
        """Queue a message when next written."""
        self._messages.append((recipient, notification))

    async def flush(self) -> None:
        """Write what was held back."""
        if self._changes:
            moved = await self._uow.pledges.transition_all(self._changes, self._now)
            for change in self._changes:
                still_held(change.pledge_id in moved, change.pledge_id)
            self._changes = []
        if self._messages:
            await self._uow.outbox.enqueue_all(self._messages, self._now)
            self._messages = []


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
            direct_recipient(backer), notifications.pledge_raised(pledge, top_up.id), now
        )


def still_held(written: bool, pledge_id: int) -> None:
    """A held pledge cannot change under us: if it did, undo everything rather than guess."""
    if not written:
        raise RuntimeError(f"pledge {pledge_id} changed while it was held")


def _gives_up_reward(before: PledgeStatus, target: PledgeStatus) -> bool:
    """Whether the pledge's reward unit goes back on sale (a declined deadline charge keeps
    it, since the backer may still pay with another card)."""
    if target is PledgeStatus.FAILED:
        return before is PledgeStatus.PENDING
    return target in (PledgeStatus.CANCELLED, PledgeStatus.EXPIRED, PledgeStatus.REFUNDED)


async def announce_milestones(
    uow: UnitOfWork, campaign_id: int, change: TotalChange, now: datetime
) -> tuple[Milestone, ...]:
    """Announce every milestone a change to the total crossed, each once."""
    return await _announce(uow, campaign_id, _crossed(campaign_id, change), now)


def _crossed(campaign_id: int, change: TotalChange) -> list[Milestone]:
    return milestones_crossed(
        campaign_id, change.goal, change.stretch_goals, change.raised_before, change.raised_after
    )


async def _announce(
    uow: UnitOfWork, campaign_id: int, crossed: Sequence[Milestone], now: datetime
) -> tuple[Milestone, ...]:
    """Record the milestones crossed, each once, and announce the highest of each kind: one
    pledge from 20 % to 110 % is "funded", not also "25 %" and "50 %" arriving after it."""
    # The unique record decides who announces: concurrent crossings announce once.
    reached = [milestone for milestone in crossed if await uow.milestones.record(milestone, now)]
    for kind in MilestoneKind:
        highest = max((m for m in reached if m.kind is kind), key=lambda m: m.value, default=None)
        if highest is not None:
            await uow.outbox.enqueue_audience(
                campaign_id,
                Audience.FOLLOWERS_AND_BACKERS,
                notifications.milestone_reached(highest),
                now,
                include_communities=True,
            )
    return tuple(reached)


def direct_recipient(backer: Backer) -> Recipient:
    return Recipient(
        platform=backer.identity.platform,
        kind=RecipientKind.USER,
        address=backer.identity.user_id,
        locale=backer.effective_locale,
        backer_id=backer.id,
    )


async def _notify_ambassador(uow: UnitOfWork, pledge: Pledge, now: datetime) -> None:
    assert pledge.referral_code is not None
    ambassador = await uow.backers.by_referral_code(pledge.referral_code)
    if ambassador is None or not ambassador.reachable:
        return
    referrals = await uow.pledges.count_referrals(pledge.referral_code, pledge.campaign_id)
    await uow.outbox.enqueue(
        direct_recipient(ambassador), notifications.referral_credited(pledge, referrals), now
    )
