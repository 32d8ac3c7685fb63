"""The text progress bar."""

from __future__ import annotations

import pytest

from core.views.progress import progress_bar


@pytest.mark.parametrize(
    ("percent", "bar"),
    [(0, "▱▱▱▱▱▱▱▱▱▱"), (49, "▰▰▰▰▱▱▱▱▱▱"), (99, "▰▰▰▰▰▰▰▰▰▱"), (100, "▰" * 10), (250, "▰" * 10)],
)
def test_fills_in_proportion_and_only_looks_full_at_the_goal(percent: int, bar: str) -> None:
    assert progress_bar(percent) == bar


def test_has_the_width_asked_for() -> None:
    assert len(progress_bar(30, width=20)) == 20
