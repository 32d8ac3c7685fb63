"""A moment written for the reader, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_date, format_time

from core.i18n import current_locale, gettext


def date_time(moment: datetime) -> str:
    """A moment in UTC: "Dec 24, 2026 at 11:59 PM UTC", "24 déc. 2026 à 23:59 UTC"."""
    locale = current_locale.get()
    utc = moment.astimezone(UTC)
    return gettext("{date} at {time} UTC").format(
        date=format_date(utc, "medium", locale=locale),
        time=format_time(utc, "short", locale=locale),
    )
