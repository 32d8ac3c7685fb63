"""The async engine for SQLite (embedded) or PostgreSQL (shared), each set up for safe writes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from adapters.storage.sqlite_connection import OneTripConnection

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
# Every SQLite transaction that may write takes the one write lock, so more connections add
# parallelism only for reads: writing units of work take turns before they take a connection
# (writer_turns.py), and reads share the rest.
SQLITE_POOL_SIZE = 6
# The execution option of connections that only read: on SQLite they begin deferred, taking no
# lock, and read beside the writer (WAL).
READ_ONLY_OPTION = "backit_read_only"
READ_ONLY = {READ_ONLY_OPTION: True}
# One process serves both bots, the web server and the dispatcher, and a launch spike's chat
# requests exhausted SQLAlchemy's default of 5 connections and 10 more. Forty at most stay
# well inside PostgreSQL's default max_connections of 100, with room for the CLI and another
# process.
POSTGRES_POOL_SIZE = 20
POSTGRES_MAX_OVERFLOW = 20


def build_engine(url: str | URL, *, foreign_keys: bool = True) -> AsyncEngine:
    """An engine for a sqlite+aiosqlite or postgresql+asyncpg URL.

    SQLite enforces foreign keys unless `foreign_keys` is False, which only migrations ask for.
    """
    parsed = make_url(url)
    logger.info("database: %s", parsed.render_as_string(hide_password=True))
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, foreign_keys)
    return create_async_engine(
        parsed,
        pool_pre_ping=True,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=POSTGRES_MAX_OVERFLOW,
    )


def sqlite_file(url: str | URL) -> Path | None:
    """The file a SQLite URL names; None for other databases, in-memory ones and `file:` URIs."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    return None if database.startswith("file:") else Path(database)


def _sqlite_engine(url: URL, foreign_keys: bool) -> AsyncEngine:
    database = url.database or ""
    in_memory = database in ("", ":memory:")
    # An in-memory database lives in SQLAlchemy's one shared connection (StaticPool).
    pooling = {} if in_memory else {"pool_size": SQLITE_POOL_SIZE, "max_overflow": 0}
    path = database if database and not in_memory else ":memory:"
    engine = create_async_engine(
        url,
        async_creator=lambda: OneTripConnection.open(path, timeout=BUSY_TIMEOUT_MS / 1000),
        **pooling,
    )

    def configure(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # The driver's own BEGIN is deferred and skipped for SELECTs; _begin_immediate
        # replaces it. PRAGMAs only take effect outside a transaction, so they go first.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.close()
        # SQLite's built-in lower() folds ASCII only; search must match "École" with "école".
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    event.listen(engine.sync_engine, "connect", configure)
    event.listen(engine.sync_engine, "begin", _begin_immediate)
    return engine


def _lower(text: str | None) -> str | None:
    return None if text is None else text.lower()


def _begin_immediate(connection: Connection) -> None:
    # Taking the write lock up front: a deferred transaction that reads and then writes fails
    # with SQLITE_BUSY when another writer got in between, whatever the busy timeout.
    options = connection.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return  # each statement is its own transaction
    connection.exec_driver_sql("BEGIN" if options.get(READ_ONLY_OPTION) else "BEGIN IMMEDIATE")
