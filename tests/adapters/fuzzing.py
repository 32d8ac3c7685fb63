"""What the fuzz tests of both chat surfaces share: the settings, the French catalog, and the
rows a press or a command must leave alone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import text

from adapters.storage import Database
from core.i18n import use_locale
from core.views.intents import KINDS, StaleButton

CATALOG = Path(__file__).parents[2] / "core" / "locales" / "fr" / "LC_MESSAGES" / "backit.po"
with CATALOG.open("rb") as po:
    _TRANSLATIONS = [m.string for m in read_po(po) if m.string and isinstance(m.string, str)]
# Each translation, its {placeholders} standing for any text.
_FRENCH = re.compile(
    "|".join(
        re.sub(r"\\\{[a-z_]+\\\}", ".+", re.escape(text))
        for text in sorted(_TRANSLATIONS, key=len, reverse=True)
    ),
    re.DOTALL,
)


def french(text: str | None) -> bool:
    """Whether a text is one of the French catalog's, filled in (or nothing at all)."""
    return not text or _FRENCH.fullmatch(text) is not None


with use_locale("fr"):
    STALE = StaleButton().user_message()
FUZZ = settings(
    max_examples=60,
    deadline=None,
    # The bot, its database and the stand-in are built once and shared by every example.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# Any text, and text shaped like an intent ("action:arg:arg"), which reaches the handlers.
INTENT_LIKE = st.builds(
    lambda action, args: ":".join([action, *args]),
    st.sampled_from(sorted(KINDS)),
    st.lists(st.from_regex(r"[0-9a-z_-]{0,5}", fullmatch=True), max_size=3),
)


async def rows(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every backer, pledge and follow, as stored."""
    found = {}
    async with database.engine.connect() as connection:
        for table in ("backers", "pledges", "follows"):
            result = await connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))  # noqa: S608
            found[table] = [tuple(row) for row in result]
    return found


def others(found: dict[str, list[tuple[Any, ...]]], user_id: int) -> dict[str, list[Any]]:
    """The rows, less the backer record of one person (the one write they may cause)."""
    mine = str(user_id)
    return {**found, "backers": [row for row in found["backers"] if mine not in row]}
