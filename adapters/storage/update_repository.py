"""Creator updates in SQL."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.tables import CreatorUpdateRow
from core.identity import Identity
from core.updates import CreatorUpdate


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
            )
            .returning(CreatorUpdateRow)
        )
        assert row is not None
        return CreatorUpdate(
            id=row.id,
            campaign_id=row.campaign_id,
            author=Identity(row.author_platform, row.author_user_id),
            text=row.text,
            audience=row.audience,
            created_at=row.created_at,
        )
