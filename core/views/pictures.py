"""What a campaign's card picture shows, in the reader's words; the image adapter draws it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.campaigns import Campaign, CampaignStatus
from core.categories import category_name
from core.i18n import gettext
from core.views.cards import has_ended, raised_of_goal
from core.views.formatting import backers, percent, time_left


@dataclass(frozen=True, slots=True)
class CardPicture:
    """A campaign at a glance: its words, and its progress as shares of the bar."""

    title: str
    byline: str
    # The category's key, which picks the picture's colours.
    category: str
    percent: str
    raised: str
    backers: str
    time_left: str
    # "Funded!" or "Ended" when it applies, shown as a badge.
    state: str | None
    funded: bool
    # How much of the bar is filled, from 0 to 1.
    filled: float
    # Where the goal and the stretch goals fall on the bar, from 0 to 1, once the goal is
    # passed (before, the bar's end is the goal).
    marks: tuple[float, ...]
    # The digest of the campaign's cover, drawn behind it; None for the category's colours.
    cover: str | None = None


def card_picture(campaign: Campaign, now: datetime) -> CardPicture:
    """The card picture of a campaign as of `now`, in the current language."""
    ended = has_ended(campaign, now)
    funded = campaign.raised >= campaign.goal.amount and campaign.status is not (
        CampaignStatus.CANCELLED
    )
    state = gettext("Funded!") if funded else gettext("Ended") if ended else None
    filled, marks = _bar(campaign)
    return CardPicture(
        title=campaign.title,
        byline=gettext("by {creator} · {category}").format(
            creator=campaign.creator_name, category=category_name(campaign.category)
        ),
        category=campaign.category,
        percent=percent(campaign.percent),
        raised=raised_of_goal(campaign),
        backers=backers(campaign.backers_count),
        time_left="" if ended else time_left(campaign, now),
        state=state,
        funded=funded,
        filled=filled,
        marks=marks,
        cover=campaign.cover,
    )


def _bar(campaign: Campaign) -> tuple[float, tuple[float, ...]]:
    """The bar's filled share, and its marks: up to the goal, the bar is the goal; past it,
    the bar runs to the next stretch goal (or to what was raised, past the last), with the
    goal and each stretch goal marked."""
    goal, raised = campaign.goal.amount, campaign.raised
    if raised < goal:
        return raised / goal, ()
    ahead = [target for target in campaign.stretch_goals if target > raised]
    end = ahead[0] if ahead else raised
    targets = (goal, *(target for target in campaign.stretch_goals if target <= end))
    return raised / end, tuple(target / end for target in targets)
