"""Backers in SQL, by id, platform identity or referral code."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.statements import affected_rows, dialect_insert
from adapters.storage.tables import BackerRow
from core.backers import Backer
from core.identity import Identity


class SqlBackerRepository:
    """core.ports.BackerRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, backer_id: int) -> Backer | None:
        """One backer by id."""
        return await self._one(BackerRow.id == backer_id)

    async def by_identity(self, identity: Identity) -> Backer | None:
        """One backer by platform identity."""
        return await self._one(
            (BackerRow.platform == identity.platform) & (BackerRow.user_id == identity.user_id)
        )

    async def by_referral_code(self, code: str) -> Backer | None:
        """The backer who owns a referral code."""
        return await self._one(BackerRow.referral_code == code)

    async def hold(self, backer_id: int) -> None:
        """Lock the backer's row until the transaction ends (PostgreSQL).

        SQLite has no row locks and needs none: every transaction there takes the one write
        lock (BEGIN IMMEDIATE), so it already is alone. The lock is FOR NO KEY UPDATE, which
        lets pledges naming this backer be inserted meanwhile.
        """
        await self._session.execute(
            select(BackerRow.id).where(BackerRow.id == backer_id).with_for_update(key_share=True)
        )

    async def add(self, backer: Backer) -> Backer:
        """Store a new backer and return it with its id.

        When another transaction stored the same identity first, that backer is returned:
        two first contacts of one person at once make one backer, not an error.
        """
        inserted = await self._session.scalar(
            dialect_insert(self._session, BackerRow)
            .values(
                platform=backer.identity.platform,
                user_id=backer.identity.user_id,
                display_name=backer.display_name,
                locale=backer.locale,
                referral_code=backer.referral_code,
                reachable=backer.reachable,
            )
            .on_conflict_do_nothing(index_elements=[BackerRow.platform, BackerRow.user_id])
            .returning(BackerRow.id)
        )
        if inserted is not None and backer.chosen_locale is not None:
            # Chosen by an update, which tells the caches (a new row does not: UNSEEN_INSERTS).
            await self.choose_locale(inserted, backer.chosen_locale)
        stored = await (
            self.get(inserted) if inserted is not None else self.by_identity(backer.identity)
        )
        assert stored is not None
        return stored

    async def update_profile(self, backer_id: int, display_name: str, locale: str) -> None:
        """Keep the name and language the platform last reported."""
        await affected_rows(
            self._session,
            update(BackerRow)
            .where(BackerRow.id == backer_id)
            .values(display_name=display_name, locale=locale),
        )

    async def set_reachable(self, backer_id: int, reachable: bool) -> None:
        """Stop or start messaging a person."""
        await affected_rows(
            self._session,
            update(BackerRow).where(BackerRow.id == backer_id).values(reachable=reachable),
        )

    async def choose_locale(self, backer_id: int, locale: str | None) -> None:
        """Record the language the person chose, or None to follow the platform again."""
        await affected_rows(
            self._session,
            update(BackerRow).where(BackerRow.id == backer_id).values(chosen_locale=locale),
        )

    async def _one(self, condition: ColumnElement[bool]) -> Backer | None:
        row = await self._session.scalar(
            select(BackerRow).where(condition).execution_options(populate_existing=True)
        )
        return None if row is None else _to_backer(row)


def _to_backer(row: BackerRow) -> Backer:
    return Backer(
        id=row.id,
        identity=Identity(row.platform, row.user_id),
        display_name=row.display_name,
        locale=row.locale,
        referral_code=row.referral_code,
        chosen_locale=row.chosen_locale,
        reachable=row.reachable,
    )
