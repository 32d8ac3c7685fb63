"""The SQL unit of work: commit keeps, anything else rolls back, and it is used once."""

from __future__ import annotations

import pytest

from adapters.storage import Database
from core.ports import UnitOfWorkFactory
from tests.adapters.storage.builders import NOW, committed


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
