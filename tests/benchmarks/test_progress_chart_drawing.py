"""Progress charts drawn per second, beside a bare Pillow image of the same size saved as PNG.

`make bench` runs it. Each drawing is of another state (one more pledge on the last day each
time), so none is served from the cache: this is what a campaign whose chart changes with every
payment costs. The chart is of a 60-day campaign on its last day, every day with pledges and
backers. The bare image is the same size, filled with one colour, saved with the same PNG
settings. It measures; it asserts only that each drawing is a PNG of the right size.
"""

from __future__ import annotations

import io
import statistics
import tracemalloc
from dataclasses import replace
from datetime import timedelta

from PIL import Image

from adapters.images.progress_chart_image import HEIGHT, WIDTH, progress_png
from core.i18n import use_locale
from core.pledges import FundingDay
from core.views.progress_chart import progress_chart
from tests.benchmarks.test_card_picture_drawing import bare_png, timed
from tests.core.test_pictures import NOW, lamp

DRAWINGS = 200
DAYS = 60
# The aim from the issue: a chart in under 150 ms on this machine.
AIM_MS = 150.0
CAMPAIGN = replace(lamp(0), ends_at=NOW + timedelta(days=DAYS - 1))
LAUNCH = CAMPAIGN.starts_at.date()


def chart_png(index: int) -> bytes:
    """The chart of the campaign's `index`th state, in English or French in turn."""
    funding = [
        FundingDay(LAUNCH + timedelta(days=day), 2_000 + day * 150, 1 + day % 5)
        for day in range(DAYS)
    ]
    funding[-1] = replace(funding[-1], raised=funding[-1].raised + index * 100)
    with use_locale(("en", "fr")[index % 2]):
        png = progress_png(progress_chart(CAMPAIGN, funding, NOW + timedelta(days=DAYS - 2)))
    assert Image.open(io.BytesIO(png)).size == (WIDTH, HEIGHT)
    return png


def test_progress_chart_drawing() -> None:
    chart_png(0)  # matplotlib's fonts and caches, loaded once per process
    bare = timed(lambda _index: bare_png(), DRAWINGS)
    charts = timed(chart_png, DRAWINGS)
    tracemalloc.start()
    chart_png(DRAWINGS + 1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = len(chart_png(DRAWINGS + 2))

    def row(label: str, times: list[float]) -> str:
        quantiles = statistics.quantiles(times, n=100)
        return (
            f"  {label:<28}{statistics.mean(times):7.1f} ms mean   p50 {quantiles[49]:6.1f} ms"
            f"   p99 {quantiles[98]:6.1f} ms   {1000 / statistics.mean(times):6.0f}/s"
        )

    mean = statistics.mean(charts)
    print(
        f"\n\nProgress charts ({WIDTH}×{HEIGHT} PNG, {size / 1000:.0f} KB), {DRAWINGS} drawings "
        f"of as many states of a {DAYS}-day campaign, English and French in turn\n"
        f"{row('bare Pillow image as PNG', bare)}\n"
        f"{row('backit progress chart', charts)}\n"
        f"  chart / bare: {mean / statistics.mean(bare):.1f}×; aim under {AIM_MS:.0f} ms: "
        f"{'met' if mean < AIM_MS else 'NOT met'}\n"
        f"  memory while drawing one: Python's allocations peak at {peak / 1_000_000:.1f} MB "
        f"(a copy of the raw RGBA pixels among them), beside Agg's own buffer "
        f"({WIDTH}×{HEIGHT} RGBA: {WIDTH * HEIGHT * 4 / 1_000_000:.1f} MB)\n"
        f"  a thousand charts of new states a minute is {1000 / 60:.1f}/s: "
        f"{mean * 1000 / 60 / 1000:.0%} of one core"
    )
