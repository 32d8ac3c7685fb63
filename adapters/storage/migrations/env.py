"""Alembic's environment: migrate on the caller's connection, or on a URL's own engine."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from adapters.storage.schema import migration_engine, render_item
from adapters.storage.tables import Base

config = context.config


def run_migrations(connection: Connection) -> None:
    """Run the pending migrations on one connection."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters most of a table by copying it; batch mode writes those migrations.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_on_own_engine(url: str) -> None:
    """Migrate through an engine of our own, for a URL given in the configuration."""
    engine = migration_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
    finally:
        await engine.dispose()


def run_offline(url: str) -> None:
    """Write the migrations as a SQL script instead of running them."""
    context.configure(
        url=url,
        target_metadata=Base.metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


shared: Connection | None = config.attributes.get("connection")
if shared is not None:
    run_migrations(shared)
elif context.is_offline_mode():
    run_offline(config.get_main_option("sqlalchemy.url") or "")
else:
    asyncio.run(run_on_own_engine(config.get_main_option("sqlalchemy.url") or ""))
