"""The UTC calendar day of a stored moment, in SQL, on every database."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction


# Lower case as SQL functions are named: SQLAlchemy registers it as func.utc_day too.
class utc_day(GenericFunction[date]):
    """The day (UTC) of a UtcDateTime column or expression."""

    type = Date()
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _sqlite_day(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    # UtcDateTime keeps naive UTC text on SQLite: its first ten characters are the day.
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _postgresql_day(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    # A timestamptz's day depends on the session's time zone unless it is put in UTC first.
    return f"date(timezone('UTC', {compiler.process(element.clauses, **kw)}))"
