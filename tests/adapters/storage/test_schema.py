"""Migrations: a blank database reaches head with no drift, goes back down, and keeps data."""

from __future__ import annotations

import asyncio
import sys
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.autogenerate.api import AutogenContext
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from adapters.storage import Database, downgrade, upgrade
from adapters.storage.schema import alembic_config, migration_engine, render_item
from adapters.storage.tables import Base
from adapters.storage.utc_datetime import UtcDateTime
from core.campaigns import Campaign, CampaignStatus
from core.ports import UnitOfWork
from tests.adapters.storage.builders import a_campaign, committed

ROOT = Path(__file__).resolve().parents[3]
HEAD = "0011"


def _drift(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def test_a_blank_database_migrates_to_head_with_no_drift_from_the_models(
    database_url: str,
) -> None:
    await upgrade(database_url)
    async with Database.connect(database_url) as db, db.engine.connect() as connection:
        assert await connection.run_sync(_drift) == []
        assert await connection.run_sync(_tables) == {*Base.metadata.tables, "alembic_version"}
        assert await connection.run_sync(_revision) == HEAD


async def test_migrating_again_changes_nothing(database_url: str) -> None:
    await upgrade(database_url)
    await upgrade(database_url)
    async with Database.connect(database_url) as db, db.engine.connect() as connection:
        assert await connection.run_sync(_revision) == HEAD


async def test_processes_starting_together_migrate_one_after_another(database_url: str) -> None:
    script = (
        "import asyncio, sys\n"
        "from adapters.storage import upgrade\n"
        "asyncio.run(upgrade(sys.argv[1]))\n"
    )
    processes = [
        await asyncio.create_subprocess_exec(sys.executable, "-c", script, database_url, cwd=ROOT)
        for _ in range(3)
    ]
    assert [await process.wait() for process in processes] == [0, 0, 0]
    async with Database.connect(database_url) as db, db.engine.connect() as connection:
        assert await connection.run_sync(_drift) == []


async def test_downgrading_to_base_removes_every_table_and_can_be_redone(
    database_url: str,
) -> None:
    await upgrade(database_url)
    await downgrade(database_url, "base")
    async with Database.connect(database_url) as db, db.engine.connect() as connection:
        assert await connection.run_sync(_tables) == {"alembic_version"}
        assert await connection.run_sync(_revision) is None
    await upgrade(database_url)
    async with Database.connect(database_url) as db, db.engine.connect() as connection:
        assert await connection.run_sync(_drift) == []


def _rebuild_campaigns(connection: Connection) -> None:
    """What a batch migration adding a column to campaigns does on SQLite."""
    operations = Operations(MigrationContext.configure(connection))
    with operations.batch_alter_table("campaigns", recreate="always") as batch:
        batch.add_column(sa.Column("subtitle", sa.String(80), nullable=True))


async def test_a_sqlite_migration_rebuilding_a_table_keeps_the_rows_that_refer_to_it(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}"
    await upgrade(url)
    async with Database.connect(url) as db:
        stored = await committed(db, lambda uow: uow.campaigns.add(a_campaign()))
    engine = migration_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_rebuild_campaigns)
    finally:
        await engine.dispose()
    async with Database.connect(url) as db, db.unit_of_work() as uow:
        assert await uow.campaigns.get(stored.id) == stored


async def test_alembics_own_commands_see_no_drift_through_a_url(database_url: str) -> None:
    await upgrade(database_url)
    # Alembic's commands run env.py on an engine of its own, which needs a thread free of loops.
    await asyncio.to_thread(command.check, alembic_config(database_url))


def test_the_migrations_can_be_written_as_sql_for_an_operator(
    capsys: pytest.CaptureFixture[str],
) -> None:
    command.upgrade(alembic_config("postgresql+asyncpg://backit@db/backit"), "head", sql=True)
    script = capsys.readouterr().out
    assert "CREATE TABLE pledges" in script
    assert "CONSTRAINT uq_outbox_event_recipient UNIQUE" in script


def test_new_revisions_spell_utc_datetimes_as_plain_sqlalchemy() -> None:
    context = AutogenContext(MigrationContext.configure(dialect_name="sqlite"))
    assert render_item("type", UtcDateTime(), context) == "sa.DateTime(timezone=True)"
    assert render_item("type", sa.Integer(), context) is False


async def test_an_outbox_written_before_delivery_tracking_upgrades_intact(
    database_url: str,
) -> None:
    await upgrade(database_url, "0001")
    async with Database.connect(database_url) as db, db.engine.begin() as connection:
        await connection.execute(
            sa.text(
                "INSERT INTO outbox (event_key, recipient_platform, recipient_kind,"
                " recipient_address, recipient_locale, type, payload, status, attempts,"
                " next_attempt_at, created_at) VALUES ('update:1', 'telegram', 'user', '42',"
                ' \'fr\', \'update\', \'{"campaign_id": 1, "update_id": 1, "text": "Salut"}\','
                " 'pending', 0, '2026-11-27 10:00:00+00:00',"
                " '2026-11-27 10:00:00+00:00')"
            )
        )
    await upgrade(database_url)
    async with Database.connect(database_url) as db, db.unit_of_work() as uow:
        [message] = await uow.outbox.pending()
    assert (message.notification.event_key, message.parts_sent) == ("update:1", 0)


async def _add(campaign: Campaign, uow: UnitOfWork) -> Campaign:
    return await uow.campaigns.add(campaign)


async def test_campaigns_in_review_and_coming_soon_are_stored_and_go_back_down_as_before(
    database_url: str,
) -> None:
    await upgrade(database_url)
    async with Database.connect(database_url) as db:
        for campaign in (
            a_campaign("lamp", status=CampaignStatus.IN_REVIEW),
            a_campaign("desk", status=CampaignStatus.COMING_SOON),
        ):
            await committed(db, partial(_add, campaign))
    await downgrade(database_url, "0009")
    async with Database.connect(database_url) as db, db.engine.connect() as connection:
        rows = await connection.execute(sa.text("SELECT slug, status FROM campaigns ORDER BY slug"))
        assert rows.all() == [("desk", "live"), ("lamp", "draft")]
        with pytest.raises(sa.exc.IntegrityError):
            await connection.execute(sa.text("UPDATE campaigns SET status = 'in_review'"))
