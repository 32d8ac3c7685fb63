"""Payment events already applied, recorded under their unique id, and those refused."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.statements import affected_rows, insert_per_dialect
from adapters.storage.tables import PaymentAnomalyRow, PaymentEventRow, core_table
from core.payments import PaymentAnomaly

_PAYMENT_EVENTS = core_table(PaymentEventRow)
_ANOMALIES = core_table(PaymentAnomalyRow)
_RECORD = insert_per_dialect(
    lambda insert: (
        insert(_PAYMENT_EVENTS)
        .values(event_id=bindparam("event_id"), processed_at=bindparam("now"))
        .on_conflict_do_nothing(index_elements=[_PAYMENT_EVENTS.c.event_id])
    )
)
# Rows that already exist are not returned: what comes back is what was recorded now.
_RECORD_ALL = insert_per_dialect(
    lambda insert: (
        insert(_PAYMENT_EVENTS)
        .values(event_id=bindparam("event_id"), processed_at=bindparam("now"))
        .on_conflict_do_nothing(index_elements=[_PAYMENT_EVENTS.c.event_id])
        .returning(_PAYMENT_EVENTS.c.event_id)
    )
)


class SqlPaymentEventRepository:
    """core.ports.PaymentEventRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, event_id: str, now: datetime) -> bool:
        """Record an event id; False if it was applied before."""
        # A concurrent recorder of the same id waits for the first to commit, then inserts
        # nothing: the event's effects happen in exactly one transaction.
        inserted = await affected_rows(
            self._session, _RECORD(self._session), {"event_id": event_id, "now": now}
        )
        return inserted == 1

    async def record_all(self, event_ids: Collection[str], now: datetime) -> set[str]:
        """Record several event ids at once; those recorded now (the rest were applied before)."""
        # One multi-row INSERT. Sorted, so that two recorders of some of the same ids wait for
        # each other in one order, never in a circle.
        recorded = await self._session.scalars(
            _RECORD_ALL(self._session),
            [{"event_id": event_id, "now": now} for event_id in sorted(event_ids)],
        )
        return set(recorded)

    async def record_anomaly(self, anomaly: PaymentAnomaly) -> None:
        """Keep a report that was not applied, for an operator."""
        await self._session.execute(
            insert(_ANOMALIES).values(
                event_id=anomaly.event_id,
                event_type=anomaly.event_type,
                pledge_id=anomaly.pledge_id,
                reason=anomaly.reason,
                recorded_at=anomaly.recorded_at,
            )
        )

    async def resolve_anomaly(self, anomaly_id: int, now: datetime) -> bool:
        """Mark an anomaly looked into; False if no unresolved anomaly has that id."""
        resolved = await affected_rows(
            self._session,
            update(_ANOMALIES)
            .where(_ANOMALIES.c.id == anomaly_id, _ANOMALIES.c.resolved_at.is_(None))
            .values(resolved_at=now),
        )
        return resolved == 1

    async def unresolved_anomalies(self) -> Sequence[PaymentAnomaly]:
        """The anomalies no operator has resolved yet, oldest first."""
        rows = await self._session.execute(
            select(_ANOMALIES)
            .where(_ANOMALIES.c.resolved_at.is_(None))
            .order_by(_ANOMALIES.c.recorded_at, _ANOMALIES.c.id)
        )
        return [
            PaymentAnomaly(
                event_id=row.event_id,
                event_type=row.event_type,
                pledge_id=row.pledge_id,
                reason=row.reason,
                recorded_at=row.recorded_at,
                id=row.id,
            )
            for row in rows
        ]
