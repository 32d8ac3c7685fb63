"""What a community's administrators are told about the campaigns linked to their chat."""

from __future__ import annotations

from core.i18n import gettext


def unlinked(title: str) -> str:
    """A campaign no longer linked to the chat."""
    return gettext("“{title}” is no longer linked here.").format(title=title)
