"""Reward tier stock in SQL, claimed and released by single conditional updates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.statements import affected_rows
from adapters.storage.tables import RewardTierRow


class SqlTierRepository:
    """core.ports.TierRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, tier_id: int, now: datetime) -> bool:
        """Take one unit atomically; False when a limited tier has none left or the tier is
        not open at `now`."""
        # The condition is checked against the row as the update finds it (after any
        # concurrent claim commits), so a limited tier is never oversold, and its window is
        # the one stored when the unit is taken.
        claimed = await affected_rows(
            self._session,
            update(RewardTierRow)
            .where(
                RewardTierRow.id == tier_id,
                RewardTierRow.quantity_limit.is_(None)
                | (RewardTierRow.claimed < RewardTierRow.quantity_limit),
                RewardTierRow.opens_at.is_(None) | (RewardTierRow.opens_at <= now),
                RewardTierRow.closes_at.is_(None) | (RewardTierRow.closes_at > now),
            )
            .values(claimed=RewardTierRow.claimed + 1),
        )
        return claimed == 1

    async def release(self, tier_id: int) -> None:
        """Give one claimed unit back (never below zero)."""
        await affected_rows(
            self._session,
            update(RewardTierRow)
            .where(RewardTierRow.id == tier_id, RewardTierRow.claimed > 0)
            .values(claimed=RewardTierRow.claimed - 1),
        )
