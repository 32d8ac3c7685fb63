"""Discord's ids (snowflakes) and timestamps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

# Snowflakes count milliseconds from the first second of 2015.
DISCORD_EPOCH_MS = 1_420_070_400_000


def utc_now() -> datetime:
    """The current instant, aware and in UTC."""
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    """An ISO 8601 timestamp as Discord writes them: `2026-11-27T10:12:15.007022+00:00`."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class Snowflakes:
    """Makes ever-increasing snowflakes from the clock, as Discord's id workers do."""

    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._last = 0

    def next(self) -> int:
        """A new id, greater than every id made before."""
        milliseconds = int(self._clock().timestamp() * 1000) - DISCORD_EPOCH_MS
        # Worker 1, process 1; the low 12 bits count ids made within one millisecond.
        candidate = (milliseconds << 22) | (1 << 17) | (1 << 12)
        self._last = max(candidate, self._last + 1)
        return self._last
