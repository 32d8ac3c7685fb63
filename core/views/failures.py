"""What a person hears when Backit failed on its own side."""

from __future__ import annotations

from core.i18n import gettext
from core.views.model import Reply


def apology() -> Reply:
    """Sorry, and try again: the failure is logged for the operator, not shown."""
    return Reply(gettext("Sorry, something went wrong. Please try again."))
