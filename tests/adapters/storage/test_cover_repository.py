"""Covers in SQL: kept whole per campaign, replaced, found by digest, named on campaigns."""

from __future__ import annotations

from adapters.storage import Database
from core.covers import Cover
from tests.adapters.storage.builders import a_campaign, committed

RED = Cover.of(b"\xff\xd8 red \xff\xd9", 1200, 675)
BLUE = Cover.of(b"\xff\xd8 blue \xff\xd9", 1200, 675)


async def test_a_cover_round_trips_and_its_campaign_names_it(database: Database) -> None:
    stored = await committed(database, lambda uow: uow.campaigns.add(a_campaign()))
    assert stored.cover is None
    await committed(database, lambda uow: uow.covers.put(stored.id, RED))
    async with database.unit_of_work() as uow:
        assert await uow.covers.of_campaign(stored.id) == RED
        assert await uow.covers.by_digest(RED.digest) == RED
        campaign = await uow.campaigns.by_slug("lamp")
        assert campaign is not None
        assert campaign.cover == RED.digest
        assert [c.cover for c in await uow.campaigns.list_all()] == [RED.digest]


async def test_a_new_cover_replaces_the_old_one(database: Database) -> None:
    stored = await committed(database, lambda uow: uow.campaigns.add(a_campaign()))
    await committed(database, lambda uow: uow.covers.put(stored.id, RED))
    await committed(database, lambda uow: uow.covers.put(stored.id, BLUE))
    async with database.unit_of_work() as uow:
        assert await uow.covers.of_campaign(stored.id) == BLUE
        assert await uow.covers.by_digest(RED.digest) is None
        campaign = await uow.campaigns.get(stored.id)
        assert campaign is not None
        assert campaign.cover == BLUE.digest


async def test_a_campaign_without_a_cover_has_none(database: Database) -> None:
    stored = await committed(database, lambda uow: uow.campaigns.add(a_campaign()))
    async with database.unit_of_work() as uow:
        assert await uow.covers.of_campaign(stored.id) is None
        assert await uow.covers.by_digest(RED.digest) is None


async def test_setting_a_cover_makes_cached_catalog_reads_stale(database: Database) -> None:
    stored = await committed(database, lambda uow: uow.campaigns.add(a_campaign()))
    before = await database.counters.current()
    await committed(database, lambda uow: uow.covers.put(stored.id, RED))
    assert (await database.counters.current()).catalog > before.catalog
