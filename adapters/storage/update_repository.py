"""Creator updates in SQL, with the status message that reports their delivery."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.statements import affected_rows
from adapters.storage.tables import CreatorUpdateRow
from core.identity import Identity
from core.updates import CreatorUpdate, UpdateAudience


class SqlUpdateRepository:
    """core.ports.UpdateRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, update: CreatorUpdate) -> CreatorUpdate:
        """Store an update; returns it as stored, with its id."""
        row = await self._session.scalar(
            insert(CreatorUpdateRow)
            .values(
                campaign_id=update.campaign_id,
                author_platform=update.author.platform,
                author_user_id=update.author.user_id,
                text=update.text,
                audience=update.audience,
                created_at=update.created_at,
                report_chat=update.report_chat,
                # The first report is due as soon as a dispatcher looks.
                report_due_at=update.created_at if update.report_chat else None,
            )
            .returning(CreatorUpdateRow)
        )
        assert row is not None
        return _to_update(row)

    async def claim_reports(
        self, now: datetime, next_report_at: datetime, limit: int
    ) -> Sequence[CreatorUpdate]:
        """Updates whose delivery report is due, each pushed back to `next_report_at`."""
        due = (
            select(CreatorUpdateRow.id)
            .where(CreatorUpdateRow.report_due_at <= now)
            .order_by(CreatorUpdateRow.report_due_at)
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        rows = await self._session.scalars(
            update(CreatorUpdateRow)
            .where(CreatorUpdateRow.id.in_(due.scalar_subquery()))
            .values(report_due_at=next_report_at)
            .returning(CreatorUpdateRow),
            execution_options={"synchronize_session": False, "populate_existing": True},
        )
        return sorted((_to_update(row) for row in rows), key=lambda found: found.id)

    async def set_report_message(self, update_id: int, message_id: str) -> None:
        """Remember the status message being edited in place for an update."""
        await affected_rows(
            self._session,
            update(CreatorUpdateRow)
            .where(CreatorUpdateRow.id == update_id)
            .values(report_message_id=message_id),
        )

    async def finish_report(self, update_id: int) -> None:
        """Stop reporting an update's delivery."""
        await affected_rows(
            self._session,
            update(CreatorUpdateRow)
            .where(CreatorUpdateRow.id == update_id)
            .values(report_due_at=None),
        )

    async def of_campaign(
        self, campaign_id: int, *, backers_only_too: bool, offset: int, limit: int
    ) -> tuple[Sequence[CreatorUpdate], int]:
        """A page of a campaign's updates, newest first, and how many there are in all."""
        shown = CreatorUpdateRow.campaign_id == campaign_id
        if not backers_only_too:
            shown = shown & (CreatorUpdateRow.audience == UpdateAudience.EVERYONE)
        total = await self._session.scalar(
            select(func.count()).select_from(CreatorUpdateRow).where(shown)
        )
        rows = await self._session.scalars(
            select(CreatorUpdateRow)
            .where(shown)
            # The id breaks ties between updates posted in the same instant.
            .order_by(CreatorUpdateRow.created_at.desc(), CreatorUpdateRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [_to_update(row) for row in rows], total or 0


def _to_update(row: CreatorUpdateRow) -> CreatorUpdate:
    return CreatorUpdate(
        id=row.id,
        campaign_id=row.campaign_id,
        author=Identity(row.author_platform, row.author_user_id),
        text=row.text,
        audience=row.audience,
        created_at=row.created_at,
        report_chat=row.report_chat,
        report_message_id=row.report_message_id,
    )
