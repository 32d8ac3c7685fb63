"""Statement helpers shared by the repositories: the dialect's INSERT and affected-row counts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeAlias, TypeVar, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.dml import UpdateBase

DialectInsert: TypeAlias = sqlite.Insert | postgresql.Insert
InsertInto: TypeAlias = Callable[[Table], DialectInsert]
Built = TypeVar("Built", bound=UpdateBase)


def dialect_insert(session: AsyncSession, into: type[DeclarativeBase] | Table) -> DialectInsert:
    """An INSERT with ON CONFLICT support, for whichever database the session talks to."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(into)
    return sqlite.insert(into)


def insert_per_dialect(build: Callable[[InsertInto], Built]) -> Callable[[AsyncSession], Built]:
    """An INSERT built once for each database, picked by the session's."""
    # On a hot path a statement built once, with bind parameters, is keyed and compiled once.
    built = {"postgresql": build(postgresql.insert), "sqlite": build(sqlite.insert)}
    return lambda session: built[session.get_bind().dialect.name]


async def affected_rows(
    session: AsyncSession, statement: UpdateBase, parameters: Mapping[str, Any] | None = None
) -> int:
    """Run an INSERT, UPDATE or DELETE (with its parameters) and count the rows it wrote."""
    # Identity-map objects are never updated in place here: reads always repopulate them.
    result = await session.execute(
        statement, parameters, execution_options={"synchronize_session": False}
    )
    # Session.execute() returns a CursorResult for DML; its static type is the general Result.
    return cast("CursorResult[Any]", result).rowcount
