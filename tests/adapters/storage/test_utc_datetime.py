"""The UTC datetime column type: aware UTC in, aware UTC out, naive refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.engine import Dialect, make_url

from adapters.storage.utc_datetime import UtcDateTime

SQLITE = make_url("sqlite+aiosqlite://").get_dialect()()
POSTGRESQL = make_url("postgresql+asyncpg://").get_dialect()()
TOKYO = timezone(timedelta(hours=9))
NOON_UTC = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_sqlite_stores_naive_utc_and_postgresql_aware_utc() -> None:
    column = UtcDateTime()
    in_tokyo = NOON_UTC.astimezone(TOKYO)
    assert column.process_bind_param(in_tokyo, SQLITE) == NOON_UTC.replace(tzinfo=None)
    stored = column.process_bind_param(in_tokyo, POSTGRESQL)
    assert stored == NOON_UTC
    assert stored is not None
    assert stored.tzinfo is UTC


@pytest.mark.parametrize("dialect", [SQLITE, POSTGRESQL])
def test_a_naive_datetime_is_refused(dialect: Dialect) -> None:
    with pytest.raises(ValueError, match="naive"):
        UtcDateTime().process_bind_param(datetime(2026, 11, 1, 12, 0), dialect)  # noqa: DTZ001


@pytest.mark.parametrize(
    "stored", [NOON_UTC.replace(tzinfo=None), NOON_UTC, NOON_UTC.astimezone(TOKYO)]
)
def test_what_comes_back_is_aware_utc(stored: datetime) -> None:
    loaded = UtcDateTime().process_result_value(stored, SQLITE)
    assert loaded == NOON_UTC
    assert loaded is not None
    assert loaded.tzinfo is UTC


def test_null_stays_null() -> None:
    assert UtcDateTime().process_bind_param(None, SQLITE) is None
    assert UtcDateTime().process_result_value(None, POSTGRESQL) is None
