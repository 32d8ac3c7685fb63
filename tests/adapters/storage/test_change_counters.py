"""The cache versions: which commits bump them, read once per request, seen by every process;
and read-only units of work, which on SQLite read beside a writer instead of waiting."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event

from adapters.storage import Database
from adapters.storage.change_counters import COUNTED_BY
from adapters.storage.tables import Base
from core.caching import CacheVersions
from tests.adapters.storage.builders import NOW, a_backer, a_campaign, committed


async def test_every_table_is_counted_by_a_version_or_by_none_on_purpose() -> None:
    assert set(Base.metadata.tables) | {"alembic_version"} == set(COUNTED_BY)


async def test_a_campaign_written_bumps_the_catalog_and_a_backer_changed_the_people(
    database: Database,
) -> None:
    backer = await committed(database, lambda uow: uow.backers.add(a_backer()))
    before = await database.counters.current()
    await committed(database, lambda uow: uow.campaigns.add(a_campaign()))
    after_campaign = await database.counters.current()
    await committed(database, lambda uow: uow.backers.set_reachable(backer.id, False))
    after_backer = await database.counters.current()

    assert after_campaign == CacheVersions(before.catalog + 1, before.people)
    assert after_backer == CacheVersions(before.catalog + 1, before.people + 1)


async def test_writes_no_cache_shows_and_work_rolled_back_bump_nothing(database: Database) -> None:
    before = await database.counters.current()
    await committed(database, lambda uow: uow.payment_events.record("evt_1", NOW))
    async with database.unit_of_work() as uow:
        await uow.campaigns.add(a_campaign())  # never committed

    assert await database.counters.current() == before


async def test_another_process_commit_is_seen_on_the_next_request(
    database: Database, migrated_database_url: str
) -> None:
    before = await database.counters.current()
    # Another process (its own pool), such as an operator's `backit campaigns close`.
    async with Database.connect(migrated_database_url) as other:
        await committed(other, lambda uow: uow.campaigns.add(a_campaign()))

    assert (await database.counters.current()).catalog == before.catalog + 1


async def test_one_request_reads_the_versions_once_unless_this_process_commits(
    database: Database,
) -> None:
    reads: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        if "cache_versions" in statement and statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    with database.counters.one_reading():
        first = await database.counters.current()
        assert await database.counters.current() == first
        assert len(reads) == 1
        await committed(database, lambda uow: uow.campaigns.add(a_campaign()))
        # The request's own write: it reads again, and sees it.
        assert (await database.counters.current()).catalog == first.catalog + 1
    assert len(reads) == 2


async def test_requests_at_once_share_one_read_of_the_versions(database: Database) -> None:
    reads: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        if "cache_versions" in statement and statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    answers = await asyncio.gather(*(database.counters.current() for _ in range(20)))

    assert len(set(answers)) == 1
    assert len(reads) == 1


async def test_a_read_only_unit_of_work_refuses_to_commit(database: Database) -> None:
    async with database.unit_of_work(read_only=True) as uow:
        assert await uow.campaigns.list_all() == []
        with pytest.raises(RuntimeError, match="read-only"):
            await uow.commit()


async def test_on_sqlite_a_read_only_unit_of_work_reads_beside_a_writer_holding_the_lock(
    sqlite_database: Database,
) -> None:
    await committed(sqlite_database, lambda uow: uow.campaigns.add(a_campaign()))
    held, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with sqlite_database.unit_of_work() as uow:
            await uow.campaigns.add(a_campaign("second"))  # holds the write lock, uncommitted
            held.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await held.wait()
    async with asyncio.timeout(2):
        async with sqlite_database.unit_of_work(read_only=True) as uow:
            # What was committed, not what the writer has under way.
            assert [c.slug for c in await uow.campaigns.list_all()] == ["lamp"]
    release.set()
    await holder


async def test_a_new_person_changes_no_cached_language_but_a_choice_does(
    database: Database,
) -> None:
    before = await database.counters.current()
    backer = await committed(database, lambda uow: uow.backers.add(a_backer("7")))
    after_arrival = await database.counters.current()
    await committed(database, lambda uow: uow.backers.choose_locale(backer.id, "fr"))
    chosen_at_once = await committed(
        database, lambda uow: uow.backers.add(a_backer("8", chosen_locale="fr"))
    )

    assert after_arrival == before
    assert (await database.counters.current()).people == before.people + 2
    assert chosen_at_once.chosen_locale == "fr"
