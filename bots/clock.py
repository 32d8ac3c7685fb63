"""The real clock, for everything outside tests."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """Tells the machine's time, as aware UTC."""

    def now(self) -> datetime:
        """The current instant."""
        return datetime.now(UTC)
