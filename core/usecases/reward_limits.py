"""Who may choose a reward drafted in chat, and for how long: everyone, an early bird, or a link."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from core.amounts import quoted
from core.errors import DomainError
from core.i18n import N_
from core.typed_words import plain
from core.usecases.managing import MAX_DURATION, TierDraft

HOUR = timedelta(hours=1)
SHORTEST_WINDOW = HOUR
# The early birds offered as buttons, named by their hours; any other length of time is typed.
EARLY_BIRDS = (timedelta(hours=48), timedelta(weeks=1))
# What a button answers for a reward anyone may choose all along, or one offered by link only.
OPEN_TO_ALL = "open"
BY_LINK = "link"
_WINDOW = re.compile(r"^(?P<count>\d{1,4})\s*(?P<unit>[a-z]+)$")
# The words for each unit in English and French, accents dropped ("3 jours", "72h", "1 sem").
_UNITS = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "heure", "heures"), HOUR),
    **dict.fromkeys(("d", "day", "days", "j", "jour", "jours"), timedelta(days=1)),
    **dict.fromkeys(("w", "week", "weeks", "sem", "semaine", "semaines"), timedelta(weeks=1)),
}


@dataclass(frozen=True, slots=True)
class DraftedReward:
    """A reward as answered in chat: the tier, and for an early bird, how long it is offered
    from the launch (its dates are known only once the campaign's start is)."""

    tier: TierDraft
    offered_for: timedelta | None = None

    def launched(self, starts_at: datetime) -> TierDraft:
        """The tier of a campaign starting at `starts_at`: an early bird closes that long after."""
        if self.offered_for is None:
            return self.tier
        return replace(self.tier, opens_at=None, closes_at=starts_at + self.offered_for)


class UnreadableWindow(DomainError):
    """An early bird's time that is not a number of hours, days or weeks."""

    template = N_("“{text}” is not a length of time: write it like 72 hours or 3 days.")


class WindowOutOfRange(DomainError):
    """An early bird's time shorter than an hour or longer than any campaign."""

    template = N_("“{text}” is out of range: an early bird lasts from 1 hour to 90 days.")


class EarlyBirdTooLong(DomainError):
    """An early bird that would outlast the campaign it belongs to."""

    template = N_(
        "“{title}” cannot be an early bird for that long: the campaign ends on {end}. "
        "Choose a shorter time, or open it to all."
    )


def draft_window(text: str) -> timedelta:
    """How long an early bird lasts from "72 hours", "3 days", "72h", "3j", "3 jours", "1 week":
    from 1 hour to 90 days."""
    found = _WINDOW.match(plain(text))
    unit = _UNITS.get(found["unit"]) if found else None
    if found is None or unit is None:
        raise UnreadableWindow(text=quoted(text))
    window = int(found["count"]) * unit
    if not SHORTEST_WINDOW <= window <= MAX_DURATION:
        raise WindowOutOfRange(text=quoted(text))
    return window


def early_bird_choice(window: timedelta) -> str:
    """What an early bird's button answers: its hours."""
    return str(window // HOUR)


def with_limit(
    tier: TierDraft, choice: str, starts_at: datetime, ends_at: datetime
) -> DraftedReward | None:
    """The reward with the limit a button chose: OPEN_TO_ALL, BY_LINK (the tier then gets its code
    when stored, as the catalog's secret ones do) or an offered early bird; None for any other."""
    if choice == OPEN_TO_ALL:
        return DraftedReward(tier)
    if choice == BY_LINK:
        return DraftedReward(replace(tier, secret=True))
    offered = {early_bird_choice(window): window for window in EARLY_BIRDS}
    if choice not in offered:
        return None
    return early_bird(tier, offered[choice], starts_at, ends_at)


def early_bird(
    tier: TierDraft, window: timedelta, starts_at: datetime, ends_at: datetime
) -> DraftedReward:
    """A reward offered for `window` from the launch, refused when that outlasts the run of a
    campaign starting at `starts_at`."""
    reward = DraftedReward(tier, window)
    check_early_bird(reward, starts_at, ends_at)
    return reward


def check_early_bird(reward: DraftedReward, starts_at: datetime, ends_at: datetime) -> None:
    """Refuse an early bird that would close after the campaign ends."""
    if reward.offered_for is not None and starts_at + reward.offered_for > ends_at:
        raise EarlyBirdTooLong(title=reward.tier.title, end=ends_at)
