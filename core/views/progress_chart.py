"""What a campaign's progress chart shows, in the reader's words; the image adapter draws it."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from core.campaigns import Campaign
from core.i18n import current_locale, gettext
from core.money import Money
from core.pledges import FundingDay
from core.views.cards import raised_of_goal
from core.views.formatting import backers, day_and_month, number, short_money

DAY = timedelta(days=1)
# Ticks on an axis at most: more and their labels crowd at 1200 pixels.
MONEY_TICKS = 5
DAY_TICKS = 8
# Steps between day ticks, tried in turn: a day, two, a week, two weeks; then whole weeks.
DAY_STEPS = (1, 2, 7, 14)


@dataclass(frozen=True, slots=True)
class Level:
    """A labelled amount across the chart: the goal or a stretch goal, in minor units."""

    amount: int
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    """A labelled place on an axis: minor units, backers, or days since the launch's day."""

    at: int
    label: str


@dataclass(frozen=True, slots=True)
class ProgressChart:
    """A campaign's funding day by day; days count from the start (UTC) of its launch's day."""

    title: str
    summary: str
    # The chart's width in days: to the deadline's day, or to a later day a pledge moved on.
    days: int
    # For each day from the launch's to today's (or the chart's last): what was raised by its
    # end (minor units) and the backers new that day.
    raised: tuple[int, ...]
    backers: tuple[int, ...]
    goal: Level
    # Those reached, and the next one to reach.
    stretch_goals: tuple[Level, ...]
    # When the campaign ends, in days (and the part of one) since its launch's day began.
    deadline: float
    deadline_label: str
    # The money axis's range (minor units), a tick at each end.
    bottom: int
    top: int
    money_ticks: tuple[Tick, ...]
    backer_ticks: tuple[Tick, ...]
    day_ticks: tuple[Tick, ...]
    raised_label: str
    backers_label: str
    day_label: str
    # Written across a chart with nothing to show yet.
    empty: str | None


def progress_chart(
    campaign: Campaign, funding: Sequence[FundingDay], now: datetime
) -> ProgressChart:
    """The chart of a campaign's funding as of `now` (which only its day matters to), in the
    current language."""
    launch = campaign.starts_at.astimezone(UTC).date()
    start = datetime.combine(launch, time(), UTC)
    deadline = (campaign.ends_at - start) / DAY
    # Earlier pledges (a campaign launched again) count on the launch's day.
    by_day: dict[int, FundingDay] = {}
    for day in funding:
        index = max((day.day - launch).days, 0)
        kept = by_day.get(index)
        by_day[index] = day if kept is None else _together(kept, day)
    days = max(math.ceil(deadline), max(by_day, default=0) + 1, 1)
    shown = max(min(days, (now.astimezone(UTC).date() - launch).days + 1), 0)
    raised = tuple(_running_total(by_day[i].raised if i in by_day else 0 for i in range(shown)))
    new_backers = tuple(by_day[i].backers if i in by_day else 0 for i in range(shown))
    currency = campaign.goal.currency
    goal = _level(gettext("Goal: {amount}"), campaign.goal)
    stretch_goals = tuple(
        _level(gettext("Stretch goal: {amount}"), Money(target, currency))
        for target in _stretch_goals_shown(campaign.stretch_goals, max(raised, default=0))
    )
    highest = max((goal.amount, *(level.amount for level in stretch_goals), *raised))
    step = _step(highest, MONEY_TICKS - 1)
    bottom, top = min((0, *raised)) // step * step, (highest // step + 1) * step
    most_backers = max(new_backers, default=0)
    backer_step = _step(most_backers, MONEY_TICKS - 1)
    day_step = next(
        (s for s in DAY_STEPS if days <= s * DAY_TICKS), 7 * -(-days // (7 * DAY_TICKS))
    )
    return ProgressChart(
        title=gettext("{title}: funding day by day").format(title=campaign.title),
        summary=" · ".join((raised_of_goal(campaign), backers(campaign.backers_count))),
        days=days,
        raised=raised,
        backers=new_backers,
        goal=goal,
        stretch_goals=stretch_goals,
        deadline=deadline,
        deadline_label=gettext("Deadline: {day}").format(
            day=day_and_month(campaign.ends_at.astimezone(UTC).date())
        ),
        bottom=bottom,
        top=top,
        money_ticks=tuple(
            Tick(at, short_money(Money(at, currency))) for at in range(bottom, top + 1, step)
        ),
        backer_ticks=tuple(
            Tick(at, number(at))
            for at in range(0, (most_backers // backer_step + 1) * backer_step + 1, backer_step)
        ),
        day_ticks=tuple(
            Tick(at, day_and_month(launch + at * DAY)) for at in range(0, days + 1, day_step)
        ),
        raised_label=gettext("Raised so far"),
        backers_label=gettext("New backers that day"),
        day_label=gettext("Day (UTC)"),
        empty=None if any(raised) or any(new_backers) else gettext("No pledges yet"),
    )


def _together(one: FundingDay, other: FundingDay) -> FundingDay:
    return FundingDay(one.day, one.raised + other.raised, one.backers + other.backers)


def _running_total(amounts: Iterable[int]) -> Iterable[int]:
    total = 0
    for amount in amounts:
        total += amount
        yield total


def _level(words: str, amount: Money) -> Level:
    return Level(amount.amount, words.format(amount=amount.format(current_locale.get())))


def _stretch_goals_shown(targets: Sequence[int], raised: int) -> tuple[int, ...]:
    """The stretch goals reached and the next one: those further off would flatten the line."""
    ahead = [target for target in targets if target > raised]
    return tuple(target for target in targets if not ahead or target <= ahead[0])


def _step(highest: int, ticks: int) -> int:
    """The smallest of 1, 2 or 5 times a power of ten that reaches `highest` in `ticks`."""
    want = max(-(-highest // ticks), 1)
    power = 1
    while True:
        for factor in (1, 2, 5):
            if factor * power >= want:
                return factor * power
        power *= 10
