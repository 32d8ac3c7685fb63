"""Storage: SQLAlchemy (async) repositories behind core's unit of work, on SQLite or PostgreSQL."""

from adapters.storage.database import Database
from adapters.storage.readiness import DatabaseUnusable, check_usable
from adapters.storage.schema import downgrade, upgrade

__all__ = ["Database", "DatabaseUnusable", "check_usable", "downgrade", "upgrade"]
