"""What a campaign's progress chart shows: its running total day by day from the launch, the
goal, the next stretch goal and the deadline, backers per day, in the reader's language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from core.i18n import use_locale
from core.money import Money
from core.pledges import FundingDay
from core.views.progress_chart import Level, Tick, progress_chart
from tests.core.test_pictures import NOW, lamp

# The lamp launched on Dec 6 at noon and ends on Dec 15 at 13:00 (UTC).
LAUNCH = date(2026, 12, 6)
FUNDING = (
    FundingDay(LAUNCH, 50_000, 2),
    FundingDay(date(2026, 12, 8), 47_000, 3),
    FundingDay(date(2026, 12, 9), -10_000, 0),
)


def test_the_running_total_carries_over_quiet_days_and_falls_with_refunds() -> None:
    chart = progress_chart(lamp(87_000), FUNDING, NOW + timedelta(days=3))

    assert chart.raised == (50_000, 50_000, 97_000, 87_000, 87_000)
    assert chart.backers == (2, 0, 3, 0, 0)
    assert chart.days == 10
    assert chart.deadline == 9 + 13 / 24
    assert chart.empty is None


def test_the_goal_the_next_stretch_goal_and_the_deadline_are_labelled_in_english() -> None:
    chart = progress_chart(lamp(87_000), FUNDING, NOW)

    assert chart.title == "The Reading Lamp: funding day by day"
    assert chart.summary == "€870.00 of €1,000.00 · 12 backers"
    assert chart.goal == Level(100_000, "Goal: €1,000.00")
    assert chart.stretch_goals == (Level(150_000, "Stretch goal: €1,500.00"),)
    assert chart.deadline_label == "Deadline: Dec 15"
    assert (chart.bottom, chart.top) == (0, 200_000)
    assert [tick.label for tick in chart.money_ticks] == ["€0", "€500", "€1K", "€1.5K", "€2K"]
    assert chart.day_ticks[:2] == (Tick(0, "Dec 6"), Tick(2, "Dec 8"))
    assert (chart.raised_label, chart.backers_label, chart.day_label) == (
        "Raised so far",
        "New backers that day",
        "Day (UTC)",
    )


def test_a_french_reader_reads_the_chart_in_french() -> None:
    with use_locale("fr"):
        chart = progress_chart(lamp(87_000), FUNDING, NOW)

    assert chart.title == "The Reading Lamp\xa0: collecte jour après jour"
    assert chart.goal.label == "Objectif\xa0: 1\u202f000,00\xa0€"
    assert chart.deadline_label == "Date limite\xa0: 15 déc."
    assert chart.money_ticks[-1].label == "2\xa0k\xa0€"
    assert (chart.raised_label, chart.backers_label, chart.day_label, chart.empty) == (
        "Collecté à ce jour",
        "Nouveaux contributeurs du jour",
        "Jour (UTC)",
        None,
    )
    assert chart != progress_chart(lamp(87_000), FUNDING, NOW)


def test_a_chart_without_pledges_says_so_even_before_the_launch() -> None:
    quiet = progress_chart(lamp(0), (), NOW)
    early = progress_chart(lamp(0), (), NOW - timedelta(days=3))

    assert (quiet.raised, quiet.backers, quiet.empty) == ((0, 0), (0, 0), "No pledges yet")
    assert (early.raised, early.empty) == ((), "No pledges yet")
    assert (early.bottom, early.top) == (0, 200_000)


def test_stretch_goals_beyond_the_next_are_left_out_and_all_show_once_passed() -> None:
    ahead = progress_chart(lamp(0), (FundingDay(LAUNCH, 160_000, 9),), NOW)
    passed = progress_chart(lamp(0), (FundingDay(LAUNCH, 260_000, 9),), NOW)

    assert [level.amount for level in ahead.stretch_goals] == [150_000, 200_000]
    assert [level.amount for level in passed.stretch_goals] == [150_000, 200_000]
    assert [level.amount for level in progress_chart(lamp(0), (), NOW).stretch_goals] == [150_000]
    assert passed.top == 300_000


def test_a_long_campaign_keeps_its_day_ticks_few_and_a_late_refund_widens_the_chart() -> None:
    long = replace(lamp(0), ends_at=NOW + timedelta(days=70))
    late = (FundingDay(LAUNCH, 5_000, 1), FundingDay(LAUNCH + timedelta(days=80), -5_000, 0))

    chart = progress_chart(long, late, NOW + timedelta(days=100))

    assert chart.days == 81
    assert len(chart.raised) == 81
    assert chart.raised[-2:] == (5_000, 0)
    assert 2 <= len(chart.day_ticks) <= 9
    assert chart.day_ticks[1].at % 7 == 0


def test_pledges_from_before_the_launch_count_on_its_day() -> None:
    early = (FundingDay(LAUNCH - timedelta(days=2), 1_000, 1), FundingDay(LAUNCH, 2_000, 1))

    assert progress_chart(lamp(3_000), early, NOW).raised == (3_000, 3_000)


def test_huge_amounts_keep_few_short_labels() -> None:
    huge = replace(lamp(0), goal=Money(10**15, "JPY"), stretch_goals=())

    chart = progress_chart(huge, (FundingDay(LAUNCH, 3 * 10**15, 10**6),), NOW)

    assert [tick.label for tick in chart.money_ticks] == [
        "¥0",
        "¥1000T",
        "¥2000T",
        "¥3000T",
        "¥4000T",
    ]
    assert chart.backer_ticks[-1].at >= 10**6
    assert len(chart.backer_ticks) <= 6


def test_the_same_state_is_the_same_chart_and_keys_a_cache() -> None:
    assert {progress_chart(lamp(87_000), FUNDING, NOW): 1}[
        progress_chart(lamp(87_000), FUNDING, NOW + timedelta(hours=11))
    ] == 1
