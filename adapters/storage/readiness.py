"""Whether a database can be used as it stands: there, writable, and migrated.

Checked once at start-up, so that a wrong DATABASE_URL stops Backit with one line saying what
is wrong, instead of a process that starts and then fails on every request and every tick.
Nothing is created: making a database is `backit db upgrade`'s job.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from adapters.storage.engine import build_engine, sqlite_file

# A server that does not answer at all is as wrong as one that refuses.
CHECK_SECONDS = 10.0
_VERSIONS = "alembic_version"


class DatabaseUnusable(Exception):
    """The database cannot be used; the message names it (never its password) and says why."""


async def check_usable(url: str) -> None:
    """Raise DatabaseUnusable unless the database exists, answers, takes writes and is migrated."""
    parsed = make_url(url)
    where = _name(parsed)
    _check_file(parsed, where)
    engine = build_engine(parsed)
    try:
        async with asyncio.timeout(CHECK_SECONDS), engine.connect() as connection:
            if not await connection.run_sync(_migrated):
                raise DatabaseUnusable(
                    f"database {where} has no Backit tables: run `backit db upgrade` first"
                )
            # A write, taken back: a read-only file, folder, mount or server refuses it.
            await connection.execute(
                text(f"UPDATE {_VERSIONS} SET version_num = version_num")  # noqa: S608
            )
            await connection.rollback()
    except TimeoutError:
        raise DatabaseUnusable(
            f"database {where} did not answer within {CHECK_SECONDS:g} s"
        ) from None
    except (SQLAlchemyError, OSError) as error:
        raise DatabaseUnusable(f"database {where}: {_reason(error)}") from error
    finally:
        await engine.dispose()


def _name(url: URL) -> str:
    """The database as the operator wrote it, without its password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def _check_file(url: URL, where: str) -> None:
    path = sqlite_file(url)
    if path is None:
        return
    if not path.parent.is_dir():
        raise DatabaseUnusable(
            f"database {where}: the folder {path.parent.resolve()} does not exist"
        )
    if not path.is_file():
        raise DatabaseUnusable(
            f"database {where} does not exist: create it with `backit db upgrade`"
        )


def _migrated(connection: Connection) -> bool:
    return inspect(connection).has_table(_VERSIONS)


def _reason(error: BaseException) -> str:
    """The driver's own words for a failure, without SQLAlchemy's wrapping and SQL."""
    cause: BaseException = error
    if isinstance(error, DBAPIError) and error.orig is not None:
        cause = error.orig
    while cause.__cause__ is not None:
        cause = cause.__cause__
    words = str(cause).strip()
    return words.splitlines()[0] if words else type(cause).__name__
