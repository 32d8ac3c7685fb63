"""What a campaign's card picture shows, in the reader's words; the image adapter draws it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from core.campaigns import Campaign, CampaignStatus
from core.categories import category_name
from core.i18n import gettext
from core.milestones import PERCENT_MILESTONES, MilestoneKind
from core.views.cards import has_ended, raised_of_goal
from core.views.formatting import backers, percent, time_left

# What `milestone_key` writes; amounts are bounded like any amount in minor units.
MILESTONE_KEY = re.compile(r"(?P<stretch>s?)(?P<value>[0-9]{1,15})")


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
    # "Funded!" or "Ended" when it applies, or the milestone celebrated, shown as a badge.
    state: str | None
    funded: bool
    # The milestone a picture announces (its `milestone_key`): the badge names it, and
    # confetti flies.
    milestone: str | None
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
        milestone=None,
        filled=filled,
        marks=marks,
        cover=campaign.cover,
    )


def milestone_key(kind: MilestoneKind, value: int) -> str:
    """A milestone's short name in a picture's address: "50" for a share, "s150000" for a
    stretch goal."""
    return f"s{value}" if kind is MilestoneKind.STRETCH else str(value)


def celebration_picture(
    campaign: Campaign, kind: MilestoneKind, value: int, now: datetime
) -> CardPicture:
    """The card picture announcing a milestone: the campaign's progress, the milestone named."""
    if kind is MilestoneKind.STRETCH:
        headline = gettext("Stretch goal unlocked!")
    elif value >= 100:
        headline = gettext("Funded!")
    else:
        headline = gettext("{percent} funded!").format(percent=percent(value))
    picture = card_picture(campaign, now)
    return replace(picture, state=headline, milestone=milestone_key(kind, value))


def picture_of_milestone(campaign: Campaign, key: str, now: datetime) -> CardPicture:
    """The picture announcing the milestone `key` names, when the campaign has reached it;
    its plain card for any other key, so no address can claim what did not happen."""
    reached = _reached(campaign, key)
    if reached is None:
        return card_picture(campaign, now)
    return celebration_picture(campaign, *reached, now)


def _reached(campaign: Campaign, key: str) -> tuple[MilestoneKind, int] | None:
    """The milestone `key` names if the campaign has reached it."""
    shape = MILESTONE_KEY.fullmatch(key)
    if shape is None:
        return None
    value = int(shape["value"])
    if shape["stretch"]:
        reached = value in campaign.stretch_goals and campaign.raised >= value
        return (MilestoneKind.STRETCH, value) if reached else None
    # Integer cross-multiplication, as milestones are crossed.
    reached = value in PERCENT_MILESTONES and campaign.raised * 100 >= campaign.goal.amount * value
    return (MilestoneKind.PERCENT, value) if reached else None


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
