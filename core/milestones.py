"""Milestones: the thresholds a campaign's total crosses, each announced once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PERCENT_MILESTONES = (25, 50, 75, 100)


class MilestoneKind(StrEnum):
    """A share of the goal, or a stretch goal amount above it."""

    PERCENT = "percent"
    STRETCH = "stretch"


@dataclass(frozen=True, slots=True)
class Milestone:
    """One threshold of one campaign; value is a percent or an amount in minor units."""

    campaign_id: int
    kind: MilestoneKind
    value: int


def milestones_crossed(
    campaign_id: int, goal: int, stretch_goals: tuple[int, ...], before: int, after: int
) -> list[Milestone]:
    """The thresholds passed when a campaign's total went from before to after."""
    crossed = [
        Milestone(campaign_id, MilestoneKind.PERCENT, percent)
        for percent in PERCENT_MILESTONES
        # Integer cross-multiplication keeps the comparison exact for any goal.
        if before * 100 < goal * percent <= after * 100
    ]
    crossed.extend(
        Milestone(campaign_id, MilestoneKind.STRETCH, amount)
        for amount in stretch_goals
        if before < amount <= after
    )
    return crossed
