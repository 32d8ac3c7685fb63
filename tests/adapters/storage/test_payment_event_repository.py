"""Payment events in SQL: each event id is recorded once."""

from __future__ import annotations

from adapters.storage import Database
from tests.adapters.storage.builders import NOW, committed


async def test_an_event_id_is_recorded_once(database: Database) -> None:
    assert await committed(database, lambda uow: uow.payment_events.record("evt_1", NOW))
    assert not await committed(database, lambda uow: uow.payment_events.record("evt_1", NOW))
    assert await committed(database, lambda uow: uow.payment_events.record("evt_2", NOW))


async def test_an_event_recorded_in_a_rolled_back_transaction_is_not_kept(
    database: Database,
) -> None:
    async with database.unit_of_work() as uow:
        assert await uow.payment_events.record("evt_1", NOW)
    assert await committed(database, lambda uow: uow.payment_events.record("evt_1", NOW))
