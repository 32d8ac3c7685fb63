"""The cache versions kept in the database: which writes bump them, and reading them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, event, select, update
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from adapters.storage.engine import READ_ONLY
from adapters.storage.tables import CacheVersionRow, core_table
from core.caching import CacheVersions

CATALOG = "catalog"
PEOPLE = "people"
# Which version a write to each table makes stale. A table missing here counts as the catalog,
# and fails test_every_table_is_counted until someone decides.
COUNTED_BY: dict[str, str | None] = {
    "campaigns": CATALOG,
    "campaign_creators": CATALOG,
    # Cached campaigns carry their cover's digest.
    "campaign_covers": CATALOG,
    "reward_tiers": CATALOG,
    "pledges": CATALOG,
    "communities": CATALOG,
    "community_campaigns": CATALOG,
    "creator_updates": CATALOG,
    "milestones": CATALOG,
    "backers": PEOPLE,
    # No cached read shows these.
    "follows": None,
    "outbox": None,
    "payment_events": None,
    "payment_anomalies": None,
    "payout_accounts": None,
    "payout_account_identities": None,
    "cache_versions": None,
    "alembic_version": None,
}
# Tables a new row of which changes no cached read: a new backer has chosen no language, as
# the cache says of someone unknown (SqlBackerRepository.add updates the row to bump when one
# is given). A launch brings thousands of new people, and their arrival must not empty the
# cache of everyone else's languages.
UNSEEN_INSERTS = frozenset({"backers"})
# Where a connection notes what its open transaction changed (the DBAPI connection's info).
_CHANGED = "backit_changed_versions"
_versions = core_table(CacheVersionRow)
# Built once: every committing write runs it, and building it anew cost more than running it.
_BUMP = (
    update(_versions)
    .where(_versions.c.name == bindparam("bumped"))
    .values(version=_versions.c.version + 1)
)


def count_changes(engine: AsyncEngine) -> None:
    """Note on each connection which versions its transaction's writes make stale."""
    event.listen(engine.sync_engine, "before_cursor_execute", _note_write)
    event.listen(engine.sync_engine, "commit", _forget)
    event.listen(engine.sync_engine, "rollback", _forget)


def _note_write(
    connection: Connection,
    _cursor: Any,
    _statement: str,
    _parameters: Any,
    context: DefaultExecutionContext | None,
    _executemany: bool,
) -> None:
    if context is None or not (context.isinsert or context.isupdate or context.isdelete):
        return
    compiled = context.compiled
    table = getattr(compiled.statement, "table", None) if compiled is not None else None
    name = getattr(table, "name", None)
    if context.isinsert and name in UNSEEN_INSERTS:
        return
    version = COUNTED_BY.get(name, CATALOG) if name is not None else CATALOG
    if version is not None:
        connection.info.setdefault(_CHANGED, set()).add(version)


def _forget(connection: Connection) -> None:
    # A connection whose transaction was cut short (a task cancelled mid-statement) cannot
    # reach its info until rolled back, and raising here would stop that very rollback. A note
    # left behind costs at most one needless bump.
    with suppress(SQLAlchemyError):
        connection.info.pop(_CHANGED, None)


async def bump_changed(session: AsyncSession) -> bool:
    """Count this transaction's changes in the versions they make stale, just before commit
    (last, so the version rows stay locked only for the commit); True if any was."""
    if not session.in_transaction():
        return False
    connection = await session.connection()
    changed = connection.sync_connection.info.get(_CHANGED) if connection.sync_connection else None
    if not changed:
        return False
    # One row at a time, always in the same order: two commits bumping both never deadlock.
    for name in sorted(changed):
        await session.execute(_BUMP, {"bumped": name})
    return True


@dataclass
class _Reading:
    """What one request read: the versions, and this process's commits when it read them."""

    versions: CacheVersions | None = None
    commits: int = -1


class StoredCounters:
    """core.ports.ChangeCounters over the cache_versions table."""

    def __init__(self, engine: AsyncEngine) -> None:
        # One statement, in a transaction of its own: no BEGIN or ROLLBACK to wait for.
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT", **READ_ONLY)
        # Commits in this process that changed a version: a request that wrote reads again.
        self.commits = 0
        self._reading: ContextVar[_Reading | None] = ContextVar("cache_reading", default=None)
        # The read under way and this process's commits when it began. Requests arriving
        # meanwhile share it: it may miss only another process's commit made as they arrived,
        # as if they had come a moment sooner, and never this process's own.
        self._under_way: tuple[asyncio.Task[CacheVersions], int] | None = None

    async def current(self) -> CacheVersions:
        """The versions now, read once per request unless this process changed them since."""
        reading = self._reading.get()
        if reading is not None and reading.versions and reading.commits == self.commits:
            return reading.versions
        commits = self.commits
        if self._under_way is None or self._under_way[1] != commits:
            task = asyncio.create_task(self._read())
            task.add_done_callback(self._done)
            self._under_way = (task, commits)
        versions = await asyncio.shield(self._under_way[0])
        if reading is not None:
            reading.versions, reading.commits = versions, commits
        return versions

    async def _read(self) -> CacheVersions:
        async with self._engine.connect() as connection:
            rows = (await connection.execute(select(_versions.c.name, _versions.c.version))).all()
        numbers = dict(rows)
        return CacheVersions(catalog=numbers[CATALOG], people=numbers[PEOPLE])

    def _done(self, task: asyncio.Task[CacheVersions]) -> None:
        if self._under_way is not None and self._under_way[0] is task:
            self._under_way = None
        if not task.cancelled():
            task.exception()  # each waiter raises it; this only marks it seen

    @contextmanager
    def one_reading(self) -> Iterator[None]:
        """Within, the versions are read from the database once."""
        token = self._reading.set(_Reading())
        try:
            yield
        finally:
            self._reading.reset(token)
