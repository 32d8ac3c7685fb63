"""aiosqlite connections whose statements each make one trip to the connection's thread."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from types import TracebackType
from typing import Any, Self

import aiosqlite

_Description = tuple[tuple[Any, ...], ...] | None
_Outcome = tuple[_Description, int, int | None, list[Any]]


class OneTripConnection(aiosqlite.Connection):
    """An aiosqlite connection for SQLAlchemy's aiosqlite dialect, one trip per statement."""

    # Through aiosqlite's own cursors a statement takes four trips to the thread that owns the
    # sqlite3 connection (open the cursor, execute, fetch, close), each a hand-off between
    # threads and a wake-up of the event loop. These cursors take one.

    @classmethod
    def open(cls, database: str, timeout: float) -> Self:
        """A connection to a file (or a `file:` URI), connected when first awaited."""
        connect = partial(
            sqlite3.connect, database, timeout=timeout, uri=database.startswith("file:")
        )
        connection = cls(connect, iter_chunk_size=64)
        # As SQLAlchemy makes aiosqlite's own: a connection left open at exit (a task cancelled
        # mid-statement) must not hold the interpreter, nor report to an event loop now closed.
        connection._thread.daemon = True
        return connection

    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        """A cursor that runs a statement and reads all of its rows in one trip."""
        return OneTripCursor(self)

    async def on_thread(
        self, run: Callable[[sqlite3.Connection, str, Any], _Outcome], sql: str, parameters: Any
    ) -> _Outcome:
        """Call `run` with the sqlite3 connection on the thread that owns it."""
        # aiosqlite's own queue to that thread (it checks the connection is still open).
        outcome: _Outcome = await self._execute(run, self._conn, sql, parameters)  # type: ignore[no-untyped-call]
        return outcome


class OneTripCursor:
    """The part of aiosqlite's cursor that SQLAlchemy uses, buffering each statement's rows."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self.description: _Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> Self:
        """Nothing to open on the connection's thread: that happens with each statement."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Nothing to close."""

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Self:
        """Run a statement and keep its rows, in one trip to the connection's thread."""
        self._keep(await self._connection.on_thread(_run, sql, parameters))
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Self:
        """Run a statement once per set of parameters, in one trip."""
        self._keep(await self._connection.on_thread(_run_many, sql, parameters))
        return self

    async def fetchone(self) -> Any:
        """The next row, if any."""
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        """Up to `size` more rows."""
        taken, self._rows = (
            self._rows[: size or self.arraysize],
            self._rows[size or self.arraysize :],
        )
        return taken

    async def fetchall(self) -> list[Any]:
        """Every row left."""
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        """Drop any rows left; the sqlite3 cursor was closed on the connection's thread."""
        self._rows = []

    def _keep(self, outcome: _Outcome) -> None:
        self.description, self.rowcount, self.lastrowid, self._rows = outcome


def _run(connection: sqlite3.Connection, sql: str, parameters: Sequence[Any]) -> _Outcome:
    """On the connection's thread: execute, read every row, close."""
    cursor = connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return _outcome(cursor)
    finally:
        cursor.close()


def _run_many(
    connection: sqlite3.Connection, sql: str, parameters: Iterable[Sequence[Any]]
) -> _Outcome:
    cursor = connection.cursor()
    try:
        cursor.executemany(sql, parameters)
        return _outcome(cursor)
    finally:
        cursor.close()


def _outcome(cursor: sqlite3.Cursor) -> _Outcome:
    description = cursor.description
    rows = cursor.fetchall() if description else []
    return description, cursor.rowcount, cursor.lastrowid, rows
