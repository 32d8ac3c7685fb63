"""Milestones crossed between two totals."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.milestones import Milestone, MilestoneKind, milestones_crossed


def test_reaching_a_threshold_exactly_crosses_it() -> None:
    assert milestones_crossed(1, 1000, (), 0, 250) == [Milestone(1, MilestoneKind.PERCENT, 25)]


def test_one_jump_can_cross_several_thresholds_and_stretch_goals() -> None:
    crossed = milestones_crossed(1, 1000, (1500, 2000), 400, 1600)
    assert [(m.kind, m.value) for m in crossed] == [
        (MilestoneKind.PERCENT, 50),
        (MilestoneKind.PERCENT, 75),
        (MilestoneKind.PERCENT, 100),
        (MilestoneKind.STRETCH, 1500),
    ]


def test_going_down_crosses_nothing() -> None:
    assert milestones_crossed(1, 1000, (1500,), 1600, 100) == []


def test_uneven_goals_compare_exactly() -> None:
    # 25 % of 333 is 83.25: 83 is short of it, 84 is past it.
    assert milestones_crossed(1, 333, (), 0, 83) == []
    assert len(milestones_crossed(1, 333, (), 0, 84)) == 1


@given(
    st.integers(min_value=1, max_value=10**7),
    st.lists(st.integers(min_value=1, max_value=10**6), max_size=40),
)
def test_a_run_of_pledges_crosses_each_reached_threshold_exactly_once(
    goal: int, pledges: list[int]
) -> None:
    stretch = (goal * 2, goal * 3)
    total, seen = 0, []
    for amount in pledges:
        seen += milestones_crossed(1, goal, stretch, total, total + amount)
        total += amount
    assert len(seen) == len(set(seen))
    assert set(seen) == set(milestones_crossed(1, goal, stretch, 0, total))
