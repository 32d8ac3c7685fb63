"""Payment events in SQL: each event id is recorded once; anomalies kept until resolved."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from adapters.storage import Database
from core.payments import PaymentAnomaly
from tests.adapters.storage.builders import NOW, committed


async def test_an_event_id_is_recorded_once(database: Database) -> None:
    assert await committed(database, lambda uow: uow.payment_events.record("evt_1", NOW))
    assert not await committed(database, lambda uow: uow.payment_events.record("evt_1", NOW))
    assert await committed(database, lambda uow: uow.payment_events.record("evt_2", NOW))


async def test_event_ids_recorded_together_are_each_recorded_once(database: Database) -> None:
    assert await committed(database, lambda uow: uow.payment_events.record("evt_1", NOW))
    recorded = await committed(
        database, lambda uow: uow.payment_events.record_all(["evt_2", "evt_1", "evt_3"], NOW)
    )
    assert recorded == {"evt_2", "evt_3"}
    assert not await committed(database, lambda uow: uow.payment_events.record("evt_3", NOW))


async def test_an_event_recorded_in_a_rolled_back_transaction_is_not_kept(
    database: Database,
) -> None:
    async with database.unit_of_work() as uow:
        assert await uow.payment_events.record("evt_1", NOW)
    assert await committed(database, lambda uow: uow.payment_events.record("evt_1", NOW))


async def test_anomalies_are_kept_until_resolved_each_once(database: Database) -> None:
    wrong = PaymentAnomaly("evt_1", "charge.refunded", 2**63 - 1, "currency USD, expected EUR", NOW)
    unreadable = PaymentAnomaly(None, None, None, "the body is not JSON", NOW + timedelta(1))
    async with database.unit_of_work() as uow:
        await uow.payment_events.record_anomaly(unreadable)
        await uow.payment_events.record_anomaly(wrong)
        await uow.commit()

    listed = await committed(database, lambda uow: uow.payment_events.unresolved_anomalies())
    first = await committed(
        database, lambda uow: uow.payment_events.resolve_anomaly(listed[0].id, NOW)
    )
    again = await committed(
        database, lambda uow: uow.payment_events.resolve_anomaly(listed[0].id, NOW)
    )
    left = await committed(database, lambda uow: uow.payment_events.unresolved_anomalies())

    assert [replace(a, id=0) for a in listed] == [wrong, unreadable]
    assert (first, again) == (True, False)
    assert left == [listed[1]]
