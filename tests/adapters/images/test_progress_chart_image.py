"""A campaign's progress chart drawn: its size, the same bytes for the same chart, its language,
and its running total at the right height beside the goal's and a stretch goal's lines."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngImageFile

from adapters.images.progress_chart_image import (
    GOAL,
    HEIGHT,
    PLOT,
    RAISED,
    STRETCH,
    WIDTH,
    progress_png,
)
from core.i18n import use_locale
from core.money import Money
from core.pledges import FundingDay
from core.views.progress_chart import ProgressChart, progress_chart
from tests.core.test_pictures import NOW, lamp

LAUNCH = date(2026, 12, 6)


def pixels(png: bytes) -> np.ndarray:
    """The picture's pixels, row by row, as RGB."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def rows_in(picture: np.ndarray, colour: str, columns: slice = slice(None)) -> np.ndarray:
    """The rows where the most pixels in `columns` are `colour`: a line across drawn in it."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    counts = (np.abs(picture[:, columns] - rgb).max(axis=2) <= 8).sum(axis=1)
    return np.flatnonzero(counts >= counts.max() * 0.5)


def line_height(picture: np.ndarray, colour: str, columns: slice = slice(None)) -> float:
    """Where a horizontal line of `colour` runs, in rows from the top (its middle)."""
    rows = rows_in(picture, colour, columns)
    assert rows.max() - rows.min() <= 5, rows  # one line, not several
    return float(rows.mean())


def on_the_last_day(chart: ProgressChart) -> slice:
    """The columns of the middle of the chart's last day shown, away from the legend."""
    left, _, width, _ = PLOT
    middle = (left + width * (len(chart.raised) - 0.5) / chart.days) * WIDTH
    return slice(round(middle) - 5, round(middle) + 5)


def test_a_chart_is_a_png_of_1200_by_675_the_same_bytes_each_time_without_stamps() -> None:
    chart = progress_chart(lamp(87_000), (FundingDay(LAUNCH, 87_000, 12),), NOW)

    png = progress_png(chart)

    image = Image.open(io.BytesIO(png))
    assert isinstance(image, PngImageFile)
    assert image.size == (WIDTH, HEIGHT)
    assert image.text == {}  # no Software (matplotlib's version) nor date
    assert progress_png(progress_chart(lamp(87_000), (FundingDay(LAUNCH, 87_000, 12),), NOW)) == png


def test_charts_drawn_at_once_in_worker_threads_are_those_drawn_one_by_one() -> None:
    charts = [
        progress_chart(lamp(raised), (FundingDay(LAUNCH, raised, 3),), NOW)
        for raised in range(10_000, 170_000, 20_000)
    ]

    with ThreadPoolExecutor(max_workers=4) as threads:
        at_once = list(threads.map(progress_png, charts))

    assert at_once == [progress_png(chart) for chart in charts]


def test_the_french_chart_is_another_picture() -> None:
    funding = (FundingDay(LAUNCH, 87_000, 12),)
    with use_locale("fr"):
        french = progress_png(progress_chart(lamp(87_000), funding, NOW))

    assert french != progress_png(progress_chart(lamp(87_000), funding, NOW))


@pytest.mark.parametrize(
    ("raised", "share_of_the_way"),
    [
        # Halfway from the goal (€1,000) to the stretch goal (€1,500).
        (125_000, 0.5),
        # Half the goal: as far below the goal as the stretch goal is above it.
        (50_000, -1.0),
    ],
)
def test_the_running_total_stands_where_it_should_beside_the_goal_and_stretch_goal(
    raised: int, share_of_the_way: float
) -> None:
    chart = progress_chart(lamp(raised), (FundingDay(LAUNCH, raised, 3),), NOW)
    assert [level.amount for level in chart.stretch_goals] == [150_000]

    picture = pixels(progress_png(chart))

    goal, stretch = line_height(picture, GOAL), line_height(picture, STRETCH)
    total = line_height(picture, RAISED, on_the_last_day(chart))
    assert total == pytest.approx(goal + (stretch - goal) * share_of_the_way, abs=1.5)


def test_a_chart_without_pledges_is_drawn_with_its_goal_and_no_line() -> None:
    for now in (NOW, NOW - timedelta(days=3)):
        chart = progress_chart(lamp(0), (), now)
        picture = pixels(progress_png(chart))

        assert len(rows_in(picture, GOAL)) > 0
        assert chart.empty == "No pledges yet"


@pytest.mark.parametrize(
    "funding",
    [
        # One day.
        (FundingDay(LAUNCH, 5_000, 1),),
        # Seventy days, one of refunds that outweigh what came in.
        tuple(
            FundingDay(LAUNCH + timedelta(days=day), -40_000 if day == 30 else 9_000, day % 4)
            for day in range(70)
        ),
        # Amounts beyond any campaign's, in a currency without cents.
        (FundingDay(LAUNCH, 9 * 10**17, 10**6),),
    ],
    ids=["one day", "seventy days with refunds", "huge amounts"],
)
def test_charts_of_every_shape_are_drawn(funding: tuple[FundingDay, ...]) -> None:
    campaign = replace(
        lamp(0),
        # Dollars and an emoji: neither is read as matplotlib's maths nor warns of a glyph.
        title="Solar 🌞 kit for $5 and $10",
        goal=Money(100_000, "JPY"),
        ends_at=NOW + timedelta(days=75),
    )

    png = progress_png(progress_chart(campaign, funding, NOW + timedelta(days=80)))

    assert Image.open(io.BytesIO(png)).size == (WIDTH, HEIGHT)


def test_a_title_in_a_script_dejavu_lacks_is_drawn_by_the_fallback_not_as_marks() -> None:
    def heading(title: str) -> Image.Image:
        campaign = replace(lamp(87_000), title=title)
        chart = progress_chart(campaign, (FundingDay(LAUNCH, 87_000, 12),), NOW)
        return Image.open(io.BytesIO(progress_png(chart))).convert("RGB").crop((0, 0, WIDTH, 60))

    japanese = heading("夜の街")
    # Private-use characters no shipped font has: three replacement marks.
    marks = heading("\ue000\ue001\ue002")

    assert japanese.tobytes() != marks.tobytes()
    assert japanese.tobytes() != heading("東京の").tobytes()
