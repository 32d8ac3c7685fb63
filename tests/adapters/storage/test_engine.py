"""Engines: SQLite set up for one writer at a time, and URLs logged without passwords."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.pool import QueuePool

from adapters.storage import Database, upgrade
from adapters.storage.engine import (
    BUSY_TIMEOUT_MS,
    POSTGRES_POOL_SIZE,
    build_engine,
)


async def test_sqlite_gets_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "backit.db"
    engine = build_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.connect() as connection:
            pragmas = [
                (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            ]
    finally:
        await engine.dispose()
    assert path.exists()
    assert pragmas == ["wal", 1, BUSY_TIMEOUT_MS]


async def test_only_migrating_makes_a_sqlite_files_folder(tmp_path: Path) -> None:
    path = tmp_path / "data" / "nested" / "backit.db"
    url = f"sqlite+aiosqlite:///{path}"
    engine = build_engine(url)
    await engine.dispose()
    assert not path.parent.exists()

    await upgrade(url)

    assert path.is_file()


async def test_an_in_memory_sqlite_database_is_configured_the_same_way() -> None:
    engine = build_engine("sqlite+aiosqlite://")
    try:
        async with engine.begin() as connection:
            foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
    finally:
        await engine.dispose()
    assert foreign_keys == 1


async def test_a_sqlite_transaction_holds_the_write_lock_from_its_first_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "backit.db"
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade(url)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        async with Database.connect(url) as db:
            async with db.unit_of_work() as uow:
                await uow.campaigns.list_all()
                # Another writer is refused at once: the read above began BEGIN IMMEDIATE.
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


async def test_postgresql_keeps_more_connections_than_sqlalchemys_default() -> None:
    engine = build_engine("postgresql+asyncpg://backit@127.0.0.1:5432/backit")
    try:
        pool = engine.pool
        assert isinstance(pool, QueuePool)
        assert pool.size() == POSTGRES_POOL_SIZE > 5
    finally:
        await engine.dispose()


async def test_the_logged_url_hides_the_password(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="adapters.storage.engine")
    engine = build_engine("postgresql+asyncpg://backit:s3cret@db.internal:5432/backit")
    await engine.dispose()
    assert "db.internal" in caplog.text
    assert "s3cret" not in caplog.text
