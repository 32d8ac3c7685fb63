"""Payment events already applied, recorded under their unique id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.statements import affected_rows, insert_per_dialect
from adapters.storage.tables import PaymentEventRow, core_table

_PAYMENT_EVENTS = core_table(PaymentEventRow)
_RECORD = insert_per_dialect(
    lambda insert: (
        insert(_PAYMENT_EVENTS)
        .values(event_id=bindparam("event_id"), processed_at=bindparam("now"))
        .on_conflict_do_nothing(index_elements=[_PAYMENT_EVENTS.c.event_id])
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
