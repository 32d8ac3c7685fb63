"""Statement helpers shared by the repositories: the dialect's INSERT and affected-row counts."""

from __future__ import annotations

from typing import Any, TypeAlias, cast

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.dml import UpdateBase

DialectInsert: TypeAlias = sqlite.Insert | postgresql.Insert


def dialect_insert(session: AsyncSession, entity: type[DeclarativeBase]) -> DialectInsert:
    """An INSERT with ON CONFLICT support, for whichever database the session talks to."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(entity)
    return sqlite.insert(entity)


async def affected_rows(session: AsyncSession, statement: UpdateBase) -> int:
    """Run an INSERT, UPDATE or DELETE and count the rows it wrote."""
    # Identity-map objects are never updated in place here: reads always repopulate them.
    result = await session.execute(statement, execution_options={"synchronize_session": False})
    # Session.execute() returns a CursorResult for DML; its static type is the general Result.
    return cast("CursorResult[Any]", result).rowcount
