"""What creators are told when they choose their campaign's launch, on every platform."""

from __future__ import annotations

from datetime import datetime

from core.campaigns import UNPUBLISHED, Campaign
from core.i18n import gettext
from core.moments import date_time


def launch_question(title: str) -> str:
    """Asking when a campaign should launch."""
    return gettext(
        "When should “{title}” launch? Send a date and time in UTC, like 2026-12-20 18:00, or "
        "“now” to launch as soon as it is approved. Its end and its rewards' dates move with "
        "it. /cancel to stop."
    ).format(title=title)


def launch_set(campaign: Campaign, now: datetime) -> str:
    """The launch as chosen, and the end it brings."""
    end = date_time(campaign.ends_at)
    if campaign.starts_at <= now:
        if campaign.status in UNPUBLISHED:
            text = gettext("“{title}” launches as soon as it is approved, and ends on {end}.")
        else:
            text = gettext("“{title}” launches in a moment, and ends on {end}.")
        return text.format(title=campaign.title, end=end)
    if campaign.status in UNPUBLISHED:
        text = gettext("“{title}” launches on {start} once approved, and ends on {end}.")
    else:
        text = gettext("“{title}” now launches on {start}, and ends on {end}.")
    return text.format(title=campaign.title, start=date_time(campaign.starts_at), end=end)
