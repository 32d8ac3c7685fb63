"""Follows in SQL: added once, removed once, muted, and the campaigns a backer follows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.storage import Database
from core.follows import Follow
from core.ports import UnitOfWork
from tests.adapters.storage.builders import NOW, a_backer, a_campaign, committed


@pytest.fixture
async def ids(database: Database) -> tuple[int, int, int]:
    """A stored backer's id and two stored campaigns' ids."""

    async def setup(uow: UnitOfWork) -> tuple[int, int, int]:
        backer = await uow.backers.add(a_backer("1"))
        lamp = await uow.campaigns.add(a_campaign("lamp"))
        mug = await uow.campaigns.add(a_campaign("mug"))
        return backer.id, lamp.id, mug.id

    return await committed(database, setup)


async def test_a_follow_round_trips_and_is_added_once(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, lamp_id, _ = ids
    follow = Follow(backer_id, lamp_id, NOW, muted=True)
    assert await committed(database, lambda uow: uow.follows.add(follow))
    again = Follow(backer_id, lamp_id, NOW + timedelta(days=1))
    assert not await committed(database, lambda uow: uow.follows.add(again))
    async with database.unit_of_work() as uow:
        assert await uow.follows.get(backer_id, lamp_id) == follow
        assert await uow.follows.get(backer_id, lamp_id + 100) is None


async def test_a_follow_is_removed_once(database: Database, ids: tuple[int, int, int]) -> None:
    backer_id, lamp_id, _ = ids
    await committed(database, lambda uow: uow.follows.add(Follow(backer_id, lamp_id, NOW)))
    assert await committed(database, lambda uow: uow.follows.remove(backer_id, lamp_id))
    assert not await committed(database, lambda uow: uow.follows.remove(backer_id, lamp_id))
    async with database.unit_of_work() as uow:
        assert await uow.follows.get(backer_id, lamp_id) is None


async def test_a_follow_can_be_muted_and_unmuted(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, lamp_id, _ = ids
    await committed(database, lambda uow: uow.follows.add(Follow(backer_id, lamp_id, NOW)))
    for muted in (True, False):
        async with database.unit_of_work() as uow:
            await uow.follows.set_muted(backer_id, lamp_id, muted)
            await uow.commit()
        async with database.unit_of_work() as uow:
            assert await uow.follows.get(backer_id, lamp_id) == Follow(
                backer_id, lamp_id, NOW, muted
            )


async def test_followed_campaigns_come_with_tiers_in_the_order_followed(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, lamp_id, mug_id = ids

    async def follow_both(uow: UnitOfWork) -> None:
        await uow.follows.add(Follow(backer_id, mug_id, NOW))
        await uow.follows.add(Follow(backer_id, lamp_id, NOW + timedelta(seconds=1)))

    await committed(database, follow_both)
    async with database.unit_of_work() as uow:
        followed = await uow.follows.campaigns_followed(backer_id)
        assert [campaign.slug for campaign in followed] == ["mug", "lamp"]
        assert followed[0] == await uow.campaigns.get(mug_id)
        assert await uow.follows.campaigns_followed(backer_id + 1) == []


async def test_a_campaigns_followers_are_counted(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, lamp_id, mug_id = ids

    async def three_follow_the_lamp(uow: UnitOfWork) -> None:
        others = [await uow.backers.add(a_backer(str(user))) for user in (2, 3)]
        for follower in (backer_id, *(other.id for other in others)):
            await uow.follows.add(Follow(follower, lamp_id, NOW))
        await uow.follows.add(Follow(backer_id, mug_id, NOW))

    await committed(database, three_follow_the_lamp)
    async with database.unit_of_work() as uow:
        assert await uow.follows.count(lamp_id) == 3
        assert await uow.follows.count(mug_id) == 1
        assert await uow.follows.count(mug_id + lamp_id) == 0
