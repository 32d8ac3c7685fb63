"""The SQL unit of work: commit keeps, anything else rolls back, savepoints undo their part,
it is used once, and on SQLite units of work take turns in arrival order."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.exc import IntegrityError

from adapters.storage import Database
from core.ports import UnitOfWork, UnitOfWorkFactory
from tests.adapters.storage.builders import NOW, a_pledge, committed


async def recorded(database: Database, event_id: str) -> bool:
    """Whether an event id was committed (recording it again fails)."""
    async with database.unit_of_work() as uow:
        return not await uow.payment_events.record(event_id, NOW)


async def test_committed_work_is_kept(database: Database) -> None:
    await committed(database, lambda uow: uow.payment_events.record("evt_1", NOW))
    assert await recorded(database, "evt_1")


async def test_leaving_without_commit_rolls_back(database: Database) -> None:
    async with database.unit_of_work() as uow:
        await uow.payment_events.record("evt_1", NOW)
    assert not await recorded(database, "evt_1")


async def test_an_error_rolls_back_and_propagates(database: Database) -> None:
    async def fail_midway() -> None:
        async with database.unit_of_work() as uow:
            await uow.payment_events.record("evt_1", NOW)
            raise LookupError

    with pytest.raises(LookupError):
        await fail_midway()
    assert not await recorded(database, "evt_1")


async def test_work_after_a_commit_is_rolled_back_unless_committed_too(
    database: Database,
) -> None:
    async with database.unit_of_work() as uow:
        await uow.payment_events.record("evt_1", NOW)
        await uow.commit()
        await uow.payment_events.record("evt_2", NOW)
    assert await recorded(database, "evt_1")
    assert not await recorded(database, "evt_2")


async def test_a_unit_of_work_is_entered_once(database: Database) -> None:
    uow = database.unit_of_work()
    async with uow:
        pass
    with pytest.raises(RuntimeError, match="entered once"):
        async with uow:
            pass


async def test_the_database_is_a_unit_of_work_factory_for_the_use_cases(
    database: Database,
) -> None:
    factory: UnitOfWorkFactory = database.unit_of_work
    async with factory() as uow:
        assert await uow.campaigns.list_all() == []


async def test_a_savepoint_left_by_an_error_undoes_only_what_was_done_inside_it(
    database: Database,
) -> None:
    async def undone(uow: UnitOfWork) -> None:
        async with uow.savepoint():
            await uow.payment_events.record("evt_undone", NOW)
            raise LookupError

    async with database.unit_of_work() as uow:
        await uow.payment_events.record("evt_before", NOW)
        with pytest.raises(LookupError):
            await undone(uow)
        async with uow.savepoint():
            await uow.payment_events.record("evt_kept", NOW)
        await uow.commit()
    assert [await recorded(database, e) for e in ("evt_before", "evt_undone", "evt_kept")] == [
        True,
        False,
        True,
    ]


async def test_a_failed_statement_in_a_savepoint_leaves_the_transaction_usable(
    database: Database,
) -> None:
    async def refused(uow: UnitOfWork) -> None:
        async with uow.savepoint():
            # A pledge of nobody to nothing is refused by its foreign keys.
            await uow.pledges.add(a_pledge(backer_id=404, campaign_id=404))

    async with database.unit_of_work() as uow:
        await uow.payment_events.record("evt_1", NOW)
        with pytest.raises(IntegrityError):
            await refused(uow)
        await uow.payment_events.record("evt_2", NOW)
        await uow.commit()
    assert await recorded(database, "evt_1")
    assert await recorded(database, "evt_2")


async def test_sqlite_units_of_work_take_their_turns_in_the_order_they_asked(
    sqlite_database: Database,
) -> None:
    order: list[str] = []

    async def use(name: str) -> None:
        async with sqlite_database.unit_of_work() as uow:
            await uow.campaigns.list_all()
            order.append(name)

    held, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with sqlite_database.unit_of_work() as uow:
            await uow.campaigns.list_all()  # holds SQLite's write lock from here on
            held.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await held.wait()
    asking = asyncio.create_task(use("asked first"))
    # Long enough for SQLite's busy handler to be sleeping 100 ms between its polls.
    await asyncio.sleep(0.3)
    release.set()
    await holder
    # Straight back for more, as the webhook applier does group after group: it waits its turn.
    await use("came back")
    await asking

    assert order == ["asked first", "came back"]
