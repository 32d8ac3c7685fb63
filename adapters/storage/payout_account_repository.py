"""Payout accounts in SQL: one per identity, found by identity or the provider's id, and the
provider's latest word on each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from adapters.storage.statements import affected_rows, dialect_insert
from adapters.storage.tables import PayoutAccountIdentityRow, PayoutAccountRow
from core.identity import Identity
from core.payouts import AccountState, PayoutAccount


class SqlPayoutAccountRepository:
    """core.ports.PayoutAccountRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, state: AccountState, identities: Sequence[Identity], now: datetime
    ) -> PayoutAccount | None:
        """Store a new account for identities that have none; None, storing nothing, if one
        of them (or the provider's account) is taken."""
        # An identity given twice belongs to the account once, where it was first given.
        given = list(dict.fromkeys(identities))
        # Taken keys insert nothing, and on PostgreSQL a concurrent insert of the same key
        # first waits for its transaction to end: whichever commits first keeps it. Only the
        # savepoint is undone when an identity turns out taken, not the caller's transaction.
        async with self._session.begin_nested() as savepoint:
            stored_id = await self._session.scalar(
                dialect_insert(self._session, PayoutAccountRow)
                .values(**_state_columns(state), created_at=now)
                .on_conflict_do_nothing(index_elements=[PayoutAccountRow.account_id])
                .returning(PayoutAccountRow.id)
            )
            if stored_id is None:
                return None
            if given and await self._add_identities(stored_id, given) < len(given):
                await savepoint.rollback()
                return None
        return await self._first(select(PayoutAccountRow).where(PayoutAccountRow.id == stored_id))

    async def _add_identities(self, stored_id: int, identities: list[Identity]) -> int:
        """Give identities to an account, those taken aside; how many it got."""
        rows = [
            {
                "platform": identity.platform,
                "user_id": identity.user_id,
                "account_id": stored_id,
                "position": position,
            }
            for position, identity in enumerate(identities)
        ]
        # Inserted in one order whatever the order given, so that two transactions giving the
        # same identities in other orders wait for each other instead of deadlocking.
        rows.sort(key=lambda row: (row["platform"], row["user_id"]))
        return await affected_rows(
            self._session,
            dialect_insert(self._session, PayoutAccountIdentityRow)
            .values(rows)
            .on_conflict_do_nothing(
                index_elements=[PayoutAccountIdentityRow.platform, PayoutAccountIdentityRow.user_id]
            ),
        )

    async def of_identity(self, identity: Identity) -> PayoutAccount | None:
        """The account an identity belongs to."""
        return await self.of_creators([identity])

    async def of_creators(self, identities: Sequence[Identity]) -> PayoutAccount | None:
        """The account of the first of a campaign's creator identities that has one."""
        if not identities:
            return None
        owners = await self._session.execute(
            select(
                PayoutAccountIdentityRow.platform,
                PayoutAccountIdentityRow.user_id,
                PayoutAccountIdentityRow.account_id,
            ).where(or_(*(_is(identity) for identity in identities)))
        )
        by_identity = {Identity(platform, user_id): owner for platform, user_id, owner in owners}
        owner = next((by_identity[i] for i in identities if i in by_identity), None)
        if owner is None:
            return None
        return await self._first(select(PayoutAccountRow).where(PayoutAccountRow.id == owner))

    async def hold(self, account_id: str) -> PayoutAccount | None:
        """An account by the provider's id; others wait to change it until this transaction
        ends."""
        # FOR NO KEY UPDATE on PostgreSQL, as an UPDATE of its state takes, which still lets
        # identities naming the account be added meanwhile. SQLite has no row locks and needs
        # none: every transaction there takes the one write lock (BEGIN IMMEDIATE).
        return await self._first(
            select(PayoutAccountRow)
            .where(PayoutAccountRow.account_id == account_id)
            .with_for_update(key_share=True)
        )

    async def save_state(self, state: AccountState) -> bool:
        """Keep what the provider says about an account unless what is kept is newer; False
        when it was older (or the account is unknown), nothing written."""
        changed = await affected_rows(
            self._session,
            update(PayoutAccountRow)
            .where(
                PayoutAccountRow.account_id == state.account_id,
                PayoutAccountRow.state_as_of <= state.as_of,
            )
            .values(**_state_columns(state)),
        )
        return changed == 1

    async def list_all(self) -> Sequence[PayoutAccount]:
        """Every account, oldest first."""
        return await self._all(select(PayoutAccountRow).order_by(PayoutAccountRow.id))

    async def _first(self, query: Select[PayoutAccountRow]) -> PayoutAccount | None:
        found = await self._all(query)
        return found[0] if found else None

    async def _all(self, query: Select[PayoutAccountRow]) -> list[PayoutAccount]:
        rows = await self._session.scalars(
            query.options(selectinload(PayoutAccountRow.identities))
            # Another transaction may have changed a row this session loaded before: read it again.
            .execution_options(populate_existing=True)
        )
        return [_to_account(row) for row in rows]


def _is(identity: Identity) -> ColumnElement[bool]:
    return and_(
        PayoutAccountIdentityRow.platform == identity.platform,
        PayoutAccountIdentityRow.user_id == identity.user_id,
    )


def _state_columns(state: AccountState) -> dict[str, object]:
    return {
        "account_id": state.account_id,
        "country": state.country,
        "charges_enabled": state.charges_enabled,
        "payouts_enabled": state.payouts_enabled,
        "details_submitted": state.details_submitted,
        "currently_due": list(state.currently_due),
        "state_as_of": state.as_of,
    }


def _to_account(row: PayoutAccountRow) -> PayoutAccount:
    state = AccountState(
        account_id=row.account_id,
        country=row.country,
        charges_enabled=row.charges_enabled,
        payouts_enabled=row.payouts_enabled,
        details_submitted=row.details_submitted,
        currently_due=tuple(row.currently_due),
        as_of=row.state_as_of,
    )
    identities = tuple(Identity(i.platform, i.user_id) for i in row.identities)
    return PayoutAccount(id=row.id, state=state, identities=identities, created_at=row.created_at)
