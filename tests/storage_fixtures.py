"""Real databases for tests of any layer: SQLite always, PostgreSQL when one is configured.

Set BACKIT_TEST_DATABASE_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test) to run
every storage-backed test on PostgreSQL as well. A blank database is created per test that asks
for one. Migrated databases are migrated once per session: SQLite tests each get a copy of a
migrated file, PostgreSQL tests share one database emptied before each test. Either way each
test starts alone with an empty schema, at a fraction of the cost of migrating every time.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from adapters.storage import Database, upgrade
from adapters.storage.tables import Base

POSTGRES_URL_ENV = "BACKIT_TEST_DATABASE_URL"


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_URL_ENV) else ["sqlite"]


class SqliteTemplate:
    """A migrated SQLite file for the whole session, copied for each test."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "template.db"
        self._migrated = False

    async def copy(self, target: Path) -> str:
        """The URL of a fresh copy of the migrated file at `target`."""
        if not self._migrated:
            await upgrade(f"sqlite+aiosqlite:///{self.path}")
            self._migrated = True
        target.parent.mkdir(parents=True, exist_ok=True)
        # Closing the last connection checkpointed the WAL: the file alone holds everything.
        shutil.copyfile(self.path, target)
        return f"sqlite+aiosqlite:///{target}"


class SharedPostgres:
    """One migrated database on the configured server for the whole session."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.name = f"backit_test_{uuid4().hex}"
        self.url = (
            make_url(server_url).set(database=self.name).render_as_string(hide_password=False)
        )
        self._created = False

    async def emptied(self) -> str:
        """The database's URL: created and migrated on first use, emptied of every row since."""
        if not self._created:
            await _admin(self.server_url, f'CREATE DATABASE "{self.name}"')
            self._created = True
            await upgrade(self.url)
        else:
            # The cache versions' rows are the schema's own, as the migration made them.
            tables = ", ".join(
                f'"{table}"' for table in Base.metadata.tables if table != "cache_versions"
            )
            await _admin(self.url, f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        return self.url

    async def drop(self) -> None:
        """Drop the database, if it was ever created."""
        if self._created:
            await _admin(self.server_url, f'DROP DATABASE "{self.name}" WITH (FORCE)')


@pytest.fixture(params=_backends())
def backend(request: pytest.FixtureRequest) -> str:
    """Each configured database backend in turn: "sqlite", then "postgresql"."""
    return str(request.param)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    """The session's migrated SQLite file."""
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def shared_postgres() -> Iterator[SharedPostgres | None]:
    """The session's migrated PostgreSQL database, when a server is configured."""
    server_url = os.environ.get(POSTGRES_URL_ENV)
    shared = SharedPostgres(server_url) if server_url else None
    yield shared
    if shared is not None:
        # Every test's event loop is closed by now; this one lives just long enough to drop.
        asyncio.run(shared.drop())


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of a blank database (no tables at all), private to one test."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'data' / 'blank.db'}"
    else:
        async with blank_postgres_database(os.environ[POSTGRES_URL_ENV]) as url:
            yield url


@pytest.fixture
async def migrated_database_url(
    backend: str,
    tmp_path: Path,
    sqlite_template: SqliteTemplate,
    shared_postgres: SharedPostgres | None,
) -> str:
    """The URL of a database at the latest revision holding no rows, private to one test."""
    if backend == "sqlite":
        return await sqlite_template.copy(tmp_path / "data" / "backit.db")
    assert shared_postgres is not None
    return await shared_postgres.emptied()


@pytest.fixture
async def sqlite_database(
    sqlite_template: SqliteTemplate, tmp_path: Path
) -> AsyncIterator[Database]:
    """A migrated SQLite database, whatever other backends are configured."""
    async with Database.connect(await sqlite_template.copy(tmp_path / "sqlite.db")) as db:
        yield db


@pytest.fixture
async def database(migrated_database_url: str) -> AsyncIterator[Database]:
    """A migrated, empty Database, closed after the test."""
    async with Database.connect(migrated_database_url) as db:
        yield db


@asynccontextmanager
async def blank_postgres_database(server_url: str) -> AsyncIterator[str]:
    """A new, empty database on the server of `server_url`, dropped on the way out."""
    name = f"backit_test_{uuid4().hex}"
    await _admin(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(server_url, f'DROP DATABASE "{name}" WITH (FORCE)')


async def _admin(url: str, statement: str) -> None:
    # CREATE and DROP DATABASE cannot run inside a transaction.
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


@asynccontextmanager
async def refused_changes_to(database: Database, pledge_id: int) -> AsyncIterator[None]:
    """The database refuses any change to one pledge, as it would a corrupt row."""
    if database.engine.dialect.name == "sqlite":
        create = [
            "CREATE TRIGGER refuse BEFORE UPDATE ON pledges "
            f"WHEN OLD.id = {pledge_id} BEGIN SELECT RAISE(ABORT, 'refused'); END"
        ]
        drop = ["DROP TRIGGER refuse"]
    else:
        create = [
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$",
            "CREATE TRIGGER refuse BEFORE UPDATE ON pledges FOR EACH ROW "
            f"WHEN (OLD.id = {pledge_id}) EXECUTE FUNCTION refuse()",
        ]
        drop = ["DROP TRIGGER refuse ON pledges", "DROP FUNCTION refuse()"]
    async with database.engine.begin() as connection:
        for statement in create:
            await connection.exec_driver_sql(statement)
    try:
        yield
    finally:
        async with database.engine.begin() as connection:
            for statement in drop:
                await connection.exec_driver_sql(statement)
