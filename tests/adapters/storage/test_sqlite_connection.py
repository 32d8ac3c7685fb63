"""SQLite connections whose statements make one trip each: what a cursor reports is sqlite3's."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.storage.engine import build_engine
from adapters.storage.sqlite_connection import OneTripConnection


@pytest.fixture
async def connection(tmp_path: Path) -> AsyncIterator[OneTripConnection]:
    """An open connection to a file holding one small table."""
    opened = OneTripConnection.open(str(tmp_path / "one.db"), timeout=1)
    await opened
    try:
        await opened.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT UNIQUE)")
        yield opened
    finally:
        await opened.close()


async def test_a_cursor_reports_rows_counts_and_the_last_row_id(
    connection: OneTripConnection,
) -> None:
    async with connection.cursor() as cursor:
        await cursor.executemany("INSERT INTO notes (text) VALUES (?)", [("a",), ("b",), ("c",)])
        inserted = cursor.rowcount
        await cursor.execute("INSERT INTO notes (text) VALUES (?)", ("d",))
        last_id = cursor.lastrowid
        await cursor.execute("SELECT id, text FROM notes WHERE id > ? ORDER BY id", (1,))
        columns = [column[0] for column in cursor.description or ()]
        first = await cursor.fetchone()
        two = await cursor.fetchmany(2)
        rest = await cursor.fetchall()
        await cursor.execute("UPDATE notes SET text = text || '!'")
        updated, description = cursor.rowcount, cursor.description

    assert (inserted, last_id, columns) == (3, 4, ["id", "text"])
    assert (first, two, rest) == ((2, "b"), [(3, "c"), (4, "d")], [])
    assert (updated, description) == (4, None)


async def test_a_failing_statement_raises_sqlite3s_error(connection: OneTripConnection) -> None:
    async with connection.cursor() as cursor:
        await cursor.execute("INSERT INTO notes (text) VALUES ('same')")
        with pytest.raises(sqlite3.IntegrityError):
            await cursor.execute("INSERT INTO notes (text) VALUES ('same')")


async def test_the_engine_connects_to_sqlite_through_it(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}")
    try:
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            answer = (await connection.exec_driver_sql("SELECT 40 + 2")).scalar()
    finally:
        await engine.dispose()
    assert isinstance(driver, OneTripConnection)
    assert answer == 42
