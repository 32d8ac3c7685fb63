"""The database as the rest of Backit sees it: an engine and a factory of units of work."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from adapters.storage.change_counters import StoredCounters, count_changes
from adapters.storage.engine import READ_ONLY, build_engine
from adapters.storage.unit_of_work import SqlUnitOfWork
from adapters.storage.writer_turns import WriterTurns


class Database:
    """One engine (one connection pool) and the units of work that use it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # Committed results stay readable: repositories hand out dataclasses, not rows, and
        # an expired row would need a lazy load, which asyncio does not allow.
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._reading_sessions = async_sessionmaker(
            engine.execution_options(**READ_ONLY), expire_on_commit=False
        )
        # Every SQLite transaction that may write takes the lock (BEGIN IMMEDIATE), and SQLite
        # has one writer.
        self._turns = WriterTurns() if engine.dialect.name == "sqlite" else None
        count_changes(engine)
        self.counters = StoredCounters(engine)

    @classmethod
    def connect(cls, url: str) -> Database:
        """A database for a sqlite+aiosqlite or postgresql+asyncpg URL (connects lazily)."""
        return cls(build_engine(url))

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        """A new unit of work; `db.unit_of_work` is a core.ports.UnitOfWorkFactory."""
        if read_only:
            return SqlUnitOfWork(self._reading_sessions, read_only=True)
        return SqlUnitOfWork(self._sessions, self._turns, self.counters)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()

    async def __aenter__(self) -> Self:
        """Use the database for the length of an `async with` block."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the pool on the way out."""
        await self.dispose()
