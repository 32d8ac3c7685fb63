"""Follows in SQL: who hears about which campaign, and whether they muted it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.campaign_rows import load_campaigns
from adapters.storage.statements import affected_rows, dialect_insert
from adapters.storage.tables import CampaignRow, FollowRow
from core.campaigns import Campaign
from core.follows import Follow


class SqlFollowRepository:
    """core.ports.FollowRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, backer_id: int, campaign_id: int) -> Follow | None:
        """A backer's follow of a campaign, if any."""
        row = await self._session.scalar(
            select(FollowRow)
            .where(FollowRow.backer_id == backer_id, FollowRow.campaign_id == campaign_id)
            .execution_options(populate_existing=True)
        )
        if row is None:
            return None
        return Follow(row.backer_id, row.campaign_id, row.created_at, row.muted)

    async def add(self, follow: Follow) -> bool:
        """Start following; False if the follow already existed (it is left as it was)."""
        inserted = await affected_rows(
            self._session,
            dialect_insert(self._session, FollowRow)
            .values(
                backer_id=follow.backer_id,
                campaign_id=follow.campaign_id,
                muted=follow.muted,
                created_at=follow.created_at,
            )
            .on_conflict_do_nothing(index_elements=[FollowRow.backer_id, FollowRow.campaign_id]),
        )
        return inserted == 1

    async def remove(self, backer_id: int, campaign_id: int) -> bool:
        """Stop following; False if there was nothing to remove."""
        removed = await affected_rows(
            self._session,
            delete(FollowRow).where(
                FollowRow.backer_id == backer_id, FollowRow.campaign_id == campaign_id
            ),
        )
        return removed == 1

    async def set_muted(self, backer_id: int, campaign_id: int, muted: bool) -> None:
        """Mute or unmute a follow."""
        await affected_rows(
            self._session,
            update(FollowRow)
            .where(FollowRow.backer_id == backer_id, FollowRow.campaign_id == campaign_id)
            .values(muted=muted),
        )

    async def count(self, campaign_id: int) -> int:
        """How many people follow a campaign."""
        counted = await self._session.scalar(
            select(func.count()).select_from(FollowRow).where(FollowRow.campaign_id == campaign_id)
        )
        return counted or 0

    async def campaigns_followed(self, backer_id: int) -> Sequence[Campaign]:
        """The campaigns a backer follows, with tiers, in the order they were followed."""
        return await load_campaigns(
            self._session,
            select(CampaignRow)
            .join(FollowRow, FollowRow.campaign_id == CampaignRow.id)
            .where(FollowRow.backer_id == backer_id)
            .order_by(FollowRow.created_at, CampaignRow.id),
        )
