"""Milestones in SQL: the unique record that decides which transaction announces a threshold."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.statements import affected_rows, dialect_insert
from adapters.storage.tables import MilestoneRow
from core.milestones import Milestone


class SqlMilestoneRepository:
    """core.ports.MilestoneRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, milestone: Milestone, now: datetime) -> bool:
        """Record a milestone; False if it was recorded before (so it is not announced again)."""
        inserted = await affected_rows(
            self._session,
            dialect_insert(self._session, MilestoneRow)
            .values(
                campaign_id=milestone.campaign_id,
                kind=milestone.kind,
                value=milestone.value,
                reached_at=now,
            )
            .on_conflict_do_nothing(
                index_elements=[MilestoneRow.campaign_id, MilestoneRow.kind, MilestoneRow.value]
            ),
        )
        return inserted == 1

    async def of_campaign(self, campaign_id: int) -> Sequence[Milestone]:
        """The milestones a campaign has reached, in the order it reached them."""
        rows = await self._session.execute(
            select(MilestoneRow.campaign_id, MilestoneRow.kind, MilestoneRow.value)
            .where(MilestoneRow.campaign_id == campaign_id)
            .order_by(MilestoneRow.reached_at, MilestoneRow.kind, MilestoneRow.value)
        )
        return [Milestone(campaign, kind, value) for campaign, kind, value in rows]
