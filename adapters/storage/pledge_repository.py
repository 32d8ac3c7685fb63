"""Pledges in SQL: storage, lookups, compare-and-set status changes and referral figures."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    case,
    distinct,
    func,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.statements import affected_rows, dialect_insert
from adapters.storage.tables import BackerRow, CampaignRow, PledgeRow, core_table
from adapters.storage.utc_day import utc_day
from core.backers import Backer
from core.campaigns import FundingModel
from core.identity import Identity
from core.money import Money
from core.payments import PaymentRefs
from core.payouts import DISPUTE_WITHHELD, DisputeState
from core.pledges import COUNTED, FundingDay, Pledge, PledgeStatus
from core.ports import StatusChange

_PLEDGES = core_table(PledgeRow)
_BACKERS = core_table(BackerRow)
_CAMPAIGNS = core_table(CampaignRow)
_REF_COLUMNS = (
    "checkout_session_id",
    "payment_intent_id",
    "customer_id",
    "payment_method_id",
    "shipping_address",
    "transfer_id",
)
# PostgreSQL locks the pledge's and the campaign's rows as an UPDATE of them would, and
# answers with their latest committed versions. SQLite has no row locks (the clause is left
# out) and needs none: every transaction there starts with BEGIN IMMEDIATE, so it already is
# the only writer. The backer's columns, and the campaign's funding model, come beside the
# pledge's, under names of their own.
_HOLD = (
    select(
        _PLEDGES,
        *(column.label(f"backer__{column.name}") for column in _BACKERS.c),
        _CAMPAIGNS.c.funding_model.label("campaign__funding_model"),
    )
    .join(_BACKERS, _BACKERS.c.id == _PLEDGES.c.backer_id)
    .join(_CAMPAIGNS, _CAMPAIGNS.c.id == _PLEDGES.c.campaign_id)
    .where(_PLEDGES.c.id.in_(bindparam("pledge_ids", expanding=True)))
    # Rows are locked as they are read: in one order, campaign by campaign, so that two
    # transactions holding some of the same pledges or campaigns never each wait for the other.
    .order_by(_PLEDGES.c.campaign_id, _PLEDGES.c.id)
    .with_for_update(of=[_PLEDGES, _CAMPAIGNS], key_share=True)
)
# A NULL (a value not given) leaves the backer number or a reference as it is.
_NUMBER_AND_REFS = {
    column: func.coalesce(
        bindparam(f"new_{column}", type_=_PLEDGES.c[column].type), _PLEDGES.c[column]
    )
    for column in ("backer_number", *_REF_COLUMNS)
}
_TRANSITION = (
    update(_PLEDGES)
    .where(_PLEDGES.c.id == bindparam("pledge_id"), _PLEDGES.c.status == bindparam("expected"))
    .values(status=bindparam("to_status"), updated_at=bindparam("now"), **_NUMBER_AND_REFS)
)
# Several pledges moving alike: one statement answers which moved ...
_MOVE_ALL = (
    update(_PLEDGES)
    .where(
        _PLEDGES.c.id.in_(bindparam("pledge_ids", expanding=True)),
        _PLEDGES.c.status == bindparam("expected"),
    )
    .values(status=bindparam("to_status"), updated_at=bindparam("now"))
    .returning(_PLEDGES.c.id)
)
# ... then takes their numbers and references, a set of parameters each, in one trip.
_NUMBER_AND_REFS_OF_EACH = (
    update(_PLEDGES).where(_PLEDGES.c.id == bindparam("pledge_id")).values(_NUMBER_AND_REFS)
)
_COUNTED_BY = select(_PLEDGES.c.backer_id, _PLEDGES.c.id).where(
    _PLEDGES.c.campaign_id == bindparam("campaign_id"),
    _PLEDGES.c.backer_id.in_(bindparam("backer_ids", expanding=True)),
    _PLEDGES.c.status.in_(sorted(COUNTED)),
    _PLEDGES.c.late == bindparam("late"),
)


# What each pledge counts (Pledge.counted_amount): less refunds and what a dispute holds.
_WITHHELD = case((_PLEDGES.c.dispute.in_(DISPUTE_WITHHELD), _PLEDGES.c.disputed_amount), else_=0)
_COUNTED_AMOUNT = _PLEDGES.c.amount - _PLEDGES.c.refunded_amount - _WITHHELD


def _funding_days() -> Select[tuple[Any, Any, Any]]:
    """A campaign's funding by day in one statement: each pledge's part on its days, summed."""
    # The chart tells how the campaign reached its total: late pledges are not part of it.
    of_campaign = and_(_PLEDGES.c.campaign_id == bindparam("campaign_id"), ~_PLEDGES.c.late)
    counted = of_campaign, _PLEDGES.c.status.in_(sorted(COUNTED))
    refunded = of_campaign, _PLEDGES.c.status == PledgeStatus.REFUNDED
    none, one = literal(0), literal(1)
    # Only a paid pledge is refunded, so a refunded one counted from the day it was pledged to
    # the day its refund left nothing of it (a refund in part is no status change, and has no
    # day of its own: the part stays off the pledge's own day).
    parts = union_all(
        select(
            utc_day(_PLEDGES.c.created_at).label("day"),
            _COUNTED_AMOUNT.label("raised"),
            none.label("backers"),
        ).where(*counted),
        select(utc_day(_PLEDGES.c.created_at), _PLEDGES.c.amount, none).where(*refunded),
        select(utc_day(_PLEDGES.c.updated_at), -_PLEDGES.c.amount, none).where(*refunded),
        select(utc_day(func.min(_PLEDGES.c.created_at)), none, one)
        .where(*counted)
        .group_by(_PLEDGES.c.backer_id),
    ).subquery()
    day, raised, backers = parts.c
    return select(day, func.sum(raised), func.sum(backers)).group_by(day).order_by(day)


_FUNDING_DAYS = _funding_days()


class SqlPledgeRepository:
    """core.ports.PledgeRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, pledge: Pledge) -> Pledge | None:
        """Store a new pledge and return it as stored; None when its link key is taken."""
        # On a taken key the insert does nothing, and on PostgreSQL a concurrent insert of the
        # same key first waits for its transaction to end: the link's pledge is then committed.
        pledge_id = await self._session.scalar(
            dialect_insert(self._session, PledgeRow)
            .values(
                backer_id=pledge.backer_id,
                campaign_id=pledge.campaign_id,
                tier_id=pledge.tier_id,
                amount=pledge.amount.amount,
                currency=pledge.amount.currency,
                status=pledge.status,
                referral_code=pledge.referral_code,
                link_key=pledge.link_key,
                backer_number=pledge.backer_number,
                refunded_amount=pledge.refunded_amount,
                checkout_session_id=pledge.checkout_session_id,
                payment_intent_id=pledge.payment_intent_id,
                customer_id=pledge.customer_id,
                payment_method_id=pledge.payment_method_id,
                shipping_address=pledge.shipping_address,
                tops_up=pledge.tops_up,
                topped_up=pledge.topped_up,
                payout_account=pledge.payout_account,
                fee=pledge.fee,
                transfer_id=pledge.transfer_id,
                dispute=pledge.dispute,
                disputed_amount=pledge.disputed_amount,
                late=pledge.late,
                created_at=pledge.created_at,
                updated_at=pledge.updated_at,
            )
            .on_conflict_do_nothing(index_elements=[PledgeRow.link_key])
            .returning(PledgeRow.id)
        )
        return None if pledge_id is None else await self.get(pledge_id)

    async def get(self, pledge_id: int) -> Pledge | None:
        """One pledge by id."""
        found = await self._all(select(PledgeRow).where(PledgeRow.id == pledge_id))
        return found[0] if found else None

    async def hold(self, pledge_id: int) -> tuple[Pledge, Backer, FundingModel] | None:
        """A pledge, its backer and its campaign's funding model; others wait to change the
        pledge or its campaign's figures."""
        return (await self.hold_all([pledge_id])).get(pledge_id)

    async def hold_all(
        self, pledge_ids: Collection[int]
    ) -> dict[int, tuple[Pledge, Backer, FundingModel]]:
        """`hold` for several pledges at once, by id; an unknown id is left out."""
        rows = await self._session.execute(_HOLD, {"pledge_ids": list(pledge_ids)})
        return {
            row.id: (_to_pledge(row), _to_backer(row), row.campaign__funding_model) for row in rows
        }

    async def counted_by(
        self, campaign_id: int, backer_ids: Collection[int], *, late: bool = False
    ) -> dict[int, set[int]]:
        """The ids of the counted pledges (late ones, or the others) each of these backers has
        on a campaign, by backer; a backer with none is left out."""
        rows = await self._session.execute(
            _COUNTED_BY,
            {"campaign_id": campaign_id, "backer_ids": list(backer_ids), "late": late},
        )
        counted: dict[int, set[int]] = {}
        for backer_id, pledge_id in rows:
            counted.setdefault(backer_id, set()).add(pledge_id)
        return counted

    async def by_link_key(self, link_key: str) -> Pledge | None:
        """The pledge started from one signed link."""
        found = await self._all(select(PledgeRow).where(PledgeRow.link_key == link_key))
        return found[0] if found else None

    async def by_checkout_session(self, session_id: str) -> Pledge | None:
        """The pledge whose checkout page (the latest one opened for it) has this id."""
        found = await self._all(
            select(PledgeRow).where(PledgeRow.checkout_session_id == session_id).limit(1)
        )
        return found[0] if found else None

    async def at_checkout(self, backer_id: int, tier_id: int) -> Pledge | None:
        """A backer's pending pledge for a tier (the oldest, should there be several)."""
        found = await self._all(
            select(PledgeRow)
            .where(
                PledgeRow.backer_id == backer_id,
                PledgeRow.tier_id == tier_id,
                PledgeRow.status == PledgeStatus.PENDING,
                PledgeRow.tops_up.is_(None),
            )
            .order_by(PledgeRow.created_at, PledgeRow.id)
            .limit(1)
        )
        return found[0] if found else None

    async def top_ups(self, pledge_id: int) -> Sequence[Pledge]:
        """The top-ups started for a pledge, oldest first."""
        return await self._all(
            select(PledgeRow)
            .where(PledgeRow.tops_up == pledge_id)
            .order_by(PledgeRow.created_at, PledgeRow.id)
        )

    async def add_top_up(self, pledge_id: int, amount: int) -> None:
        """Count a paid top-up's amount as part of a held pledge."""
        await affected_rows(
            self._session,
            update(PledgeRow)
            .where(PledgeRow.id == pledge_id)
            .values(topped_up=PledgeRow.topped_up + amount),
        )

    async def forget_link(self, pledge_id: int) -> None:
        """Let the link an expired pledge started from start a new pledge."""
        await affected_rows(
            self._session,
            update(PledgeRow)
            .where(PledgeRow.id == pledge_id, PledgeRow.status == PledgeStatus.EXPIRED)
            .values(link_key=None),
        )

    async def of_backer(self, backer_id: int) -> Sequence[Pledge]:
        """A backer's pledges, newest first; a top-up is part of its pledge, not one of them."""
        return await self._all(
            select(PledgeRow)
            .where(PledgeRow.backer_id == backer_id, PledgeRow.tops_up.is_(None))
            .order_by(PledgeRow.created_at.desc(), PledgeRow.id.desc())
        )

    async def of_campaign(
        self, campaign_id: int, statuses: frozenset[PledgeStatus] | None = None
    ) -> Sequence[Pledge]:
        """A campaign's pledges, oldest first, optionally only some statuses."""
        query = select(PledgeRow).where(PledgeRow.campaign_id == campaign_id)
        if statuses is not None:
            query = query.where(PledgeRow.status.in_(statuses))
        return await self._all(query.order_by(PledgeRow.created_at, PledgeRow.id))

    async def transition(
        self,
        pledge_id: int,
        expected: PledgeStatus,
        status: PledgeStatus,
        now: datetime,
        *,
        backer_number: int | None = None,
        refs: PaymentRefs | None = None,
    ) -> bool:
        """Change status only if still `expected` (else False), with any number and references."""
        changed = await affected_rows(
            self._session,
            _TRANSITION,
            {
                "expected": expected,
                "to_status": status,
                "now": now,
                **_number_and_refs(pledge_id, backer_number, refs or PaymentRefs()),
            },
        )
        return changed == 1

    async def transition_all(self, changes: Sequence[StatusChange], now: datetime) -> set[int]:
        """`transition` for several pledges at once; the ids of those that moved."""
        if len(changes) == 1:
            (change,) = changes
            alone = await self.transition(
                change.pledge_id,
                change.expected,
                change.status,
                now,
                backer_number=change.backer_number,
                refs=change.refs,
            )
            return {change.pledge_id} if alone else set()
        alike: dict[tuple[PledgeStatus, PledgeStatus], list[int]] = {}
        for change in changes:
            alike.setdefault((change.expected, change.status), []).append(change.pledge_id)
        moved: set[int] = set()
        for (expected, status), pledge_ids in alike.items():
            moved.update(
                await self._session.scalars(
                    _MOVE_ALL,
                    {
                        "pledge_ids": pledge_ids,
                        "expected": expected,
                        "to_status": status,
                        "now": now,
                    },
                    execution_options={"synchronize_session": False},
                )
            )
        extras = [
            _number_and_refs(change.pledge_id, change.backer_number, change.refs)
            for change in changes
            if change.pledge_id in moved
            and (change.backer_number is not None or change.refs != PaymentRefs())
        ]
        if extras:
            await self._session.execute(
                _NUMBER_AND_REFS_OF_EACH, extras, execution_options={"synchronize_session": False}
            )
        return moved

    async def add_refund(self, pledge_id: int, expected_refunded: int, refunded: int) -> bool:
        """Raise the refunded amount only if it still is `expected_refunded`."""
        changed = await affected_rows(
            self._session,
            update(PledgeRow)
            .where(PledgeRow.id == pledge_id, PledgeRow.refunded_amount == expected_refunded)
            .values(refunded_amount=refunded),
        )
        return changed == 1

    async def change_reward(
        self, pledge_id: int, tier_id: int | None, amount: Money, now: datetime
    ) -> None:
        """Give a held pledge another reward (or none) and amount."""
        await affected_rows(
            self._session,
            update(PledgeRow)
            .where(PledgeRow.id == pledge_id)
            .values(
                tier_id=tier_id, amount=amount.amount, currency=amount.currency, updated_at=now
            ),
        )

    async def set_payment_refs(
        self,
        pledge_id: int,
        *,
        checkout_session_id: str | None = None,
        payment_intent_id: str | None = None,
        customer_id: str | None = None,
        payment_method_id: str | None = None,
        shipping_address: str | None = None,
        transfer_id: str | None = None,
    ) -> None:
        """Record the provider's references (and any shipping address); None leaves one as is."""
        known = _known_refs(
            PaymentRefs(
                checkout_session_id,
                payment_intent_id,
                customer_id,
                payment_method_id,
                shipping_address,
                transfer_id,
            )
        )
        if known:
            await affected_rows(
                self._session, update(_PLEDGES).where(_PLEDGES.c.id == pledge_id).values(known)
            )

    async def set_destination(self, pledge_id: int, account_id: str, fee: int) -> None:
        """Record the creator's account a pledge's money is asked for, and Backit's fee on it."""
        await affected_rows(
            self._session,
            update(PledgeRow)
            .where(PledgeRow.id == pledge_id)
            .values(payout_account=account_id, fee=fee),
        )

    async def set_dispute(
        self, pledge_id: int, expected: DisputeState | None, state: DisputeState, amount: int
    ) -> bool:
        """Move a pledge's dispute only if it still is `expected` (else False)."""
        # IS NOT DISTINCT FROM (plain IS on SQLite) matches a pledge never disputed when None
        # is expected, and a state otherwise: NULL = NULL is not true in SQL.
        changed = await affected_rows(
            self._session,
            update(PledgeRow)
            .where(PledgeRow.id == pledge_id, PledgeRow.dispute.is_not_distinct_from(expected))
            .values(dispute=state, disputed_amount=amount),
        )
        return changed == 1

    async def paid_without_transfer(self) -> Sequence[Pledge]:
        """Paid pledges to a creator's account whose transfer is not known yet, oldest first."""
        return await self._all(
            select(PledgeRow)
            .where(
                PledgeRow.status == PledgeStatus.PAID,
                PledgeRow.payout_account.is_not(None),
                PledgeRow.transfer_id.is_(None),
            )
            .order_by(PledgeRow.created_at, PledgeRow.id)
        )

    async def stale_pending(self, created_before: datetime) -> Sequence[Pledge]:
        """Pending pledges started before a moment, oldest first."""
        return await self._all(
            select(PledgeRow)
            .where(PledgeRow.status == PledgeStatus.PENDING, PledgeRow.created_at < created_before)
            .order_by(PledgeRow.created_at, PledgeRow.id)
        )

    async def count_referrals(self, referral_code: str, campaign_id: int) -> int:
        """How many backers a referral code brought to a campaign: people, not pledges (a
        second pledge from the same person brings no one new)."""
        count = await self._session.scalar(
            select(func.count(distinct(PledgeRow.backer_id))).where(
                *_counted_on(campaign_id), PledgeRow.referral_code == referral_code
            )
        )
        return count or 0

    async def referral_stats(self, campaign_id: int) -> Sequence[tuple[str, int, int]]:
        """Per referral code: backers brought and amount counted, biggest amount first."""
        backers = func.count(distinct(PledgeRow.backer_id))
        counted = func.sum(_COUNTED_AMOUNT)
        rows = await self._session.execute(
            select(PledgeRow.referral_code, backers, counted)
            .where(*_counted_on(campaign_id), PledgeRow.referral_code.is_not(None))
            .group_by(PledgeRow.referral_code)
            .order_by(counted.desc(), PledgeRow.referral_code)
        )
        return [(str(code), int(brought), int(amount)) for code, brought, amount in rows]

    async def funding_days(self, campaign_id: int) -> Sequence[FundingDay]:
        """A campaign's funding by UTC day, oldest first, in one query (see the port)."""
        rows = await self._session.execute(_FUNDING_DAYS, {"campaign_id": campaign_id})
        return [FundingDay(day, int(raised), int(backers)) for day, raised, backers in rows]

    async def _all(self, query: Select[PledgeRow]) -> list[Pledge]:
        rows = await self._session.scalars(query.execution_options(populate_existing=True))
        return [_to_pledge(row) for row in rows]


def _counted_on(campaign_id: int) -> tuple[ColumnElement[bool], ...]:
    return (PledgeRow.campaign_id == campaign_id, PledgeRow.status.in_(COUNTED))


def _known_refs(refs: PaymentRefs) -> dict[str, str]:
    """The references given, by column; None leaves a column as it is."""
    given = {column: getattr(refs, column) for column in _REF_COLUMNS}
    return {column: value for column, value in given.items() if value is not None}


def _number_and_refs(
    pledge_id: int, backer_number: int | None, refs: PaymentRefs
) -> dict[str, Any]:
    """The parameters of `_NUMBER_AND_REFS` for one pledge."""
    return {
        "pledge_id": pledge_id,
        "new_backer_number": backer_number,
        **{f"new_{column}": getattr(refs, column) for column in _REF_COLUMNS},
    }


def _to_backer(row: Row[Any]) -> Backer:
    """The backer among a held pledge's columns."""
    return Backer(
        id=row.backer__id,
        identity=Identity(row.backer__platform, row.backer__user_id),
        display_name=row.backer__display_name,
        locale=row.backer__locale,
        referral_code=row.backer__referral_code,
        chosen_locale=row.backer__chosen_locale,
        reachable=row.backer__reachable,
    )


def _to_pledge(row: PledgeRow | Row[Any]) -> Pledge:
    return Pledge(
        id=row.id,
        backer_id=row.backer_id,
        campaign_id=row.campaign_id,
        tier_id=row.tier_id,
        amount=Money(row.amount, row.currency),
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        referral_code=row.referral_code,
        link_key=row.link_key,
        backer_number=row.backer_number,
        refunded_amount=row.refunded_amount,
        checkout_session_id=row.checkout_session_id,
        payment_intent_id=row.payment_intent_id,
        customer_id=row.customer_id,
        payment_method_id=row.payment_method_id,
        shipping_address=row.shipping_address,
        tops_up=row.tops_up,
        topped_up=row.topped_up,
        payout_account=row.payout_account,
        fee=row.fee,
        transfer_id=row.transfer_id,
        dispute=row.dispute,
        disputed_amount=row.disputed_amount,
        late=row.late,
    )
