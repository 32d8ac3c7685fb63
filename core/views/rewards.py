"""What is left of a reward, in words."""

from __future__ import annotations

from datetime import datetime

from core.campaigns import RewardTier
from core.i18n import gettext
from core.views.formatting import number


def availability(tier: RewardTier, now: datetime) -> str | None:
    """ "3 left", "Sold out", or when units held at checkout may come back; None: unlimited."""
    wait = tier.checkout_wait(now)
    if wait is not None:
        return gettext("At checkout · try again in {count} min").format(count=number(wait))
    if tier.sold_out:
        return gettext("Sold out")
    if tier.remaining is not None:
        return gettext("{count} left").format(count=number(tier.remaining))
    return None
