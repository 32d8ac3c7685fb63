"""A campaign's progress chart as a picture: a PNG of 1200×675 drawn with matplotlib from core's
ProgressChart."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath
from PIL import Image

from core.views.progress_chart import Level, ProgressChart

WIDTH, HEIGHT = 1200, 675
DPI = 100
# Where the plot sits in the picture (shares of its width and height): the title above it,
# the day ticks and their label below.
PLOT = (0.08, 0.13, 0.84, 0.68)
RAISED = "#2563eb"
GOAL = "#16a34a"
STRETCH = "#9333ea"
DEADLINE = "#dc2626"
BACKERS = "#94a3b8"
INK = "#0f172a"
SOFT_INK = "#475569"
GRID = "#e2e8f0"
FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD, FALLBACK = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallback.ttf"
FALLBACK_FAMILY = "Droid Sans Fallback"
# Known to matplotlib by its family name from the start: its font registry is process-wide,
# and charts are drawn in worker threads.
font_manager.fontManager.addfont(str(FONTS / FALLBACK))
# Shown for a character DejaVu Sans lacks (an emoji, Japanese), where the card shows an empty
# box: matplotlib would draw one too, and warn of it each time.
MISSING = "\ufffd"
ELLIPSIS = "…"
# The backers' bars stay in the lower third, under the running total's line.
BARS_SHARE = 3


def progress_png(chart: ProgressChart) -> bytes:
    """The chart drawn and encoded: the same chart always gives the same bytes."""
    # A figure of its own, never pyplot's shared state: charts are drawn in worker threads.
    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor="white")
    # Agg draws it, whatever backend the process has and with no display.
    FigureCanvasAgg(figure)
    _heading(figure, chart)
    money = figure.add_axes(PLOT)
    backers = money.twinx()
    # The line and its labels in front of the bars, over a see-through background.
    money.set_zorder(backers.get_zorder() + 1)
    money.patch.set_visible(False)
    _days(money, chart)
    _money(money, chart, _backers(backers, chart))
    # Drawn as raw RGBA and encoded by Pillow as the card is: without matplotlib's stamps (its
    # version in "Software"), and as RGB, since the chart is opaque: a quarter less to compress.
    raw = io.BytesIO()
    figure.savefig(raw, format="raw")
    image = Image.frombytes("RGBA", (WIDTH, HEIGHT), raw.getvalue())
    encoded = io.BytesIO()
    image.convert("RGB").save(encoded, format="PNG", compress_level=3)
    return encoded.getvalue()


def _heading(figure: Figure, chart: ProgressChart) -> None:
    """The title and the summary above the plot, each shortened to the plot's width."""
    for text, font, colour, height in (
        (chart.title, _title_font(chart.title, True, 24), INK, 0.93),
        (chart.summary, _font(False, 16), SOFT_INK, 0.875),
    ):
        figure.text(
            PLOT[0],
            height,
            _shortened(_drawable(text, font), font),
            fontproperties=font,
            color=colour,
            va="baseline",
            parse_math=False,
        )


def _days(money: Axes, chart: ProgressChart) -> None:
    """The day axis, its ticks and label, and the deadline's line."""
    money.set_xlim(0, chart.days)
    money.set_xticks(
        [tick.at for tick in chart.day_ticks],
        [_drawable(tick.label) for tick in chart.day_ticks],
        fontproperties=_font(False, 13),
        color=SOFT_INK,
        parse_math=False,
    )
    money.set_xlabel(
        _drawable(chart.day_label),
        fontproperties=_font(False, 13),
        color=SOFT_INK,
        parse_math=False,
    )
    money.axvline(chart.deadline, color=DEADLINE, linewidth=2)
    money.text(
        chart.deadline,
        1.01,
        _drawable(chart.deadline_label),
        transform=money.get_xaxis_transform(),
        ha="right",
        va="bottom",
        fontproperties=_font(True, 13),
        color=DEADLINE,
        parse_math=False,
    )


def _backers(backers: Axes, chart: ProgressChart) -> Patch:
    """New backers per day as bars, on their own scale at the right; their legend's key."""
    # One collection rather than a patch per day: a 60-day chart's bars drew in 50 ms as
    # patches, in under 1 ms so.
    bars = [
        [(day + 0.1, 0), (day + 0.1, count), (day + 0.9, count), (day + 0.9, 0)]
        for day, count in enumerate(chart.backers)
        if count
    ]
    backers.add_collection(PolyCollection(bars, facecolors=BACKERS, edgecolors="none"))
    top = chart.backer_ticks[-1].at
    backers.set_ylim(0, top * BARS_SHARE)
    backers.set_yticks(
        [tick.at for tick in chart.backer_ticks],
        [_drawable(tick.label) for tick in chart.backer_ticks],
        fontproperties=_font(False, 12),
        color=SOFT_INK,
        parse_math=False,
    )
    for side in ("top", "left", "right"):
        backers.spines[side].set_visible(False)
    return Patch(facecolor=BACKERS, label=_drawable(chart.backers_label))


def _money(money: Axes, chart: ProgressChart, bars: Patch) -> None:
    """The running total as a line over its area, the goal and stretch goals across, the
    legend, and what an empty chart says."""
    money.set_ylim(chart.bottom, chart.top)
    money.set_yticks(
        [tick.at for tick in chart.money_ticks],
        [_drawable(tick.label) for tick in chart.money_ticks],
        fontproperties=_font(False, 13),
        color=SOFT_INK,
        parse_math=False,
    )
    money.grid(axis="y", color=GRID, linewidth=1)
    money.set_axisbelow(True)
    for side in ("top", "right"):
        money.spines[side].set_visible(False)
    _level(money, chart, chart.goal, GOAL, "--")
    for level in chart.stretch_goals:
        _level(money, chart, level, STRETCH, ":")
    # Each day's total stands at the day's end, from nothing at the start of the launch's day.
    ends = list(range(len(chart.raised) + 1))
    totals = [0, *chart.raised]
    money.fill_between(ends, totals, color=RAISED, alpha=0.12, linewidth=0)
    (line,) = money.plot(
        ends,
        totals,
        color=RAISED,
        linewidth=3,
        solid_joinstyle="round",
        label=_drawable(chart.raised_label),
    )
    legend = money.legend(
        handles=[line, bars], loc="upper left", prop=_font(False, 13), frameon=False
    )
    for text in legend.get_texts():
        text.set_parse_math(False)
    if chart.empty is not None:
        # Low in the plot, under the goal's line as a rule; on white, should a line cross it.
        money.text(
            0.5,
            0.25,
            _drawable(chart.empty),
            transform=money.transAxes,
            ha="center",
            va="center",
            fontproperties=_font(True, 22),
            color=SOFT_INK,
            bbox={"facecolor": "white", "edgecolor": "none"},
            parse_math=False,
        )


def _level(money: Axes, chart: ProgressChart, level: Level, colour: str, style: str) -> None:
    """A labelled line across the plot at an amount, its label ending short of the deadline's."""
    money.axhline(level.amount, color=colour, linewidth=2, linestyle=style)
    money.annotate(
        _drawable(level.label),
        (min(chart.deadline, chart.days), level.amount),
        xytext=(-8, 4),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontproperties=_font(True, 13),
        color=colour,
        parse_math=False,
    )


def _shortened(text: str, font: FontProperties) -> str:
    """`text`, cut and ended with an ellipsis if it is wider than the plot."""
    measure = TextToPath()

    def fits(candidate: str) -> bool:
        points, _, _ = measure.get_text_width_height_descent(candidate, font, ismath=False)
        return bool(points * DPI / 72 <= PLOT[2] * WIDTH)

    if fits(text):
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + ELLIPSIS):
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def _drawable(text: str, font: FontProperties | None = None) -> str:
    """`text` with each character its font lacks (an emoji, say) shown as a replacement mark;
    DejaVu Sans's unless the font falls back (see `_title_font`)."""
    known = _characters(REGULAR)
    if font is not None and FALLBACK_FAMILY in font.get_family():
        known |= _characters(FALLBACK)
    return "".join(c if ord(c) in known or c.isspace() else MISSING for c in text)


def _title_font(title: str, bold: bool, size: int) -> FontProperties:
    """DejaVu Sans; with Droid Sans Fallback behind it, character by character, for a title
    in a script DejaVu lacks (Chinese, Japanese, Korean)."""
    if not ({ord(c) for c in title} - _characters(REGULAR)) & _characters(FALLBACK):
        return _font(bold, size)
    # The fallback has no bold: such a title is drawn regular throughout, so it looks whole.
    return FontProperties(family=["DejaVu Sans", FALLBACK_FAMILY], size=size)


@cache
def _characters(name: str) -> frozenset[int]:
    """The characters a shipped font draws (DejaVu's bold draws the regular's)."""
    return frozenset(FT2Font(str(FONTS / name)).get_charmap())


@cache
def _font(bold: bool, size: int) -> FontProperties:
    """DejaVu Sans, shipped with Backit for the card pictures too."""
    return FontProperties(fname=FONTS / (BOLD if bold else REGULAR), size=size)
