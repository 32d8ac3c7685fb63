"""Payment events already applied, recorded under their unique id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.statements import affected_rows, dialect_insert
from adapters.storage.tables import PaymentEventRow


class SqlPaymentEventRepository:
    """core.ports.PaymentEventRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, event_id: str, now: datetime) -> bool:
        """Record an event id; False if it was applied before."""
        # A concurrent recorder of the same id waits for the first to commit, then inserts
        # nothing: the event's effects happen in exactly one transaction.
        inserted = await affected_rows(
            self._session,
            dialect_insert(self._session, PaymentEventRow)
            .values(event_id=event_id, processed_at=now)
            .on_conflict_do_nothing(index_elements=[PaymentEventRow.event_id]),
        )
        return inserted == 1
