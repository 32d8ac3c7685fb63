"""The categories campaigns are filed under, with their translatable names."""

from __future__ import annotations

from core.i18n import N_, gettext

CATEGORIES: dict[str, str] = {
    "art": N_("Art"),
    "comics": N_("Comics"),
    "design": N_("Design"),
    "film": N_("Film & Video"),
    "food": N_("Food"),
    "games": N_("Games"),
    "music": N_("Music"),
    "publishing": N_("Publishing"),
    "technology": N_("Technology"),
    "community": N_("Community"),
}


def category_name(key: str) -> str:
    """A category's name in the current locale."""
    return gettext(CATEGORIES[key]) if key in CATEGORIES else key
