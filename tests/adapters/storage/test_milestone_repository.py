"""Milestones in SQL: each threshold of each campaign is recorded once."""

from __future__ import annotations

from datetime import timedelta

from adapters.storage import Database
from core.milestones import Milestone, MilestoneKind
from core.ports import UnitOfWork
from tests.adapters.storage.builders import NOW, a_campaign, committed


async def test_a_milestone_is_recorded_once_per_campaign_kind_and_value(
    database: Database,
) -> None:
    lamp = await committed(database, lambda uow: uow.campaigns.add(a_campaign("lamp")))
    mug = await committed(database, lambda uow: uow.campaigns.add(a_campaign("mug")))
    half = Milestone(lamp.id, MilestoneKind.PERCENT, 50)
    later = NOW + timedelta(hours=1)
    assert await committed(database, lambda uow: uow.milestones.record(half, NOW))
    assert not await committed(database, lambda uow: uow.milestones.record(half, later))
    others = [
        Milestone(lamp.id, MilestoneKind.STRETCH, 50),
        Milestone(mug.id, MilestoneKind.PERCENT, 50),
        Milestone(lamp.id, MilestoneKind.PERCENT, 75),
    ]

    async def record_others(uow: UnitOfWork) -> list[bool]:
        return [await uow.milestones.record(milestone, later) for milestone in others]

    assert await committed(database, record_others) == [True, True, True]
    async with database.unit_of_work() as uow:
        assert await uow.milestones.of_campaign(lamp.id) == [half, others[2], others[0]]
        assert await uow.milestones.of_campaign(mug.id) == [others[1]]
