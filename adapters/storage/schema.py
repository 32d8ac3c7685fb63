"""Migrating the schema with Alembic, from Python (the CLI and the tests call these)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeAlias

from alembic import command
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.storage.engine import build_engine, sqlite_file
from adapters.storage.utc_datetime import UtcDateTime

MIGRATIONS = Path(__file__).parent / "migrations"

# Any constant shared by every Backit process: "backit" in ASCII.
MIGRATION_LOCK_KEY = 0x6261636B6974

_Migration: TypeAlias = Callable[[Config], None]


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration, found beside this module (so it works installed too).

    A developer adds a revision with
    `command.revision(alembic_config(url), "message", autogenerate=True)`.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        # The option parser reads "%" as interpolation, and passwords may contain one.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write UtcDateTime into new revisions as a plain DateTime, so revisions need no app code."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def migration_engine(url: str) -> AsyncEngine:
    """The engine migrations run on, with SQLite's foreign keys off.

    SQLite alters a table by copying and dropping it; with foreign keys on, the drop would
    cascade to the rows that refer to it. Migrating is what creates a database: a SQLite
    file's folder is made here, and nowhere else.
    """
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    return build_engine(url, foreign_keys=False)


async def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database up to a revision, in one transaction."""
    await _run(url, lambda config: command.upgrade(config, revision))


async def downgrade(url: str, revision: str) -> None:
    """Migrate the database down to a revision ("base" for empty), in one transaction."""
    await _run(url, lambda config: command.downgrade(config, revision))


async def _run(url: str, migrate: _Migration) -> None:
    engine = migration_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_with_connection, migrate)
    finally:
        await engine.dispose()


def _with_connection(connection: Connection, migrate: _Migration) -> None:
    if connection.dialect.name == "postgresql":
        # Processes starting together on one server migrate one after another; SQLite's
        # BEGIN IMMEDIATE already serialises them.
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
    # env.py migrates on this connection (and its transaction) instead of opening its own.
    config = alembic_config()
    config.attributes["connection"] = connection
    migrate(config)
