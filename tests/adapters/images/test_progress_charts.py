"""Campaigns' progress charts for the web and the chats: drawn once however many read an
unchanged one, another after a payment, and none for a draft or an unknown campaign."""

from __future__ import annotations

import asyncio
import io
import threading

from PIL import Image

from adapters.images.drawings import picture_version
from adapters.images.progress_chart_image import HEIGHT, WIDTH, progress_png
from adapters.images.progress_charts import ProgressCharts, progress_path
from core.identity import Identity, Platform
from core.usecases.cached_reads import CachedReads
from core.views.progress_chart import ProgressChart
from tests.adapters.chat_campaigns import back_to_draft, live_campaign, paid_pledge
from tests.core.conftest import caller
from tests.fakes import FakeDatabase, FixedClock

CREATOR = Identity(Platform.TELEGRAM, "1000")


class CountedDrawing:
    """Draws charts for real, counting the drawings."""

    def __init__(self) -> None:
        self.drawings = 0
        self._lock = threading.Lock()

    def __call__(self, chart: ProgressChart) -> bytes:
        with self._lock:
            self.drawings += 1
        return progress_png(chart)


def charts_of(db: FakeDatabase, clock: FixedClock, drawing: CountedDrawing) -> ProgressCharts:
    """Charts over a fake database's reads, drawn by `drawing`."""
    return ProgressCharts(CachedReads(db.unit_of_work, db.counters, clock), clock, drawing)


async def test_a_thousand_readers_of_an_unchanged_chart_cause_one_drawing() -> None:
    db, clock, drawing = FakeDatabase(), FixedClock(), CountedDrawing()
    await live_campaign(db.unit_of_work, clock, creators=(CREATOR,), backers=2)
    charts = charts_of(db, clock, drawing)

    pngs = await asyncio.gather(*(charts.progress_png("lamp") for _ in range(1_000)))

    assert len(set(pngs)) == 1
    assert drawing.drawings == 1
    assert pngs[0] is not None
    assert Image.open(io.BytesIO(pngs[0])).size == (WIDTH, HEIGHT)


async def test_a_payment_makes_another_chart_with_another_version() -> None:
    db, clock, drawing = FakeDatabase(), FixedClock(), CountedDrawing()
    campaign = await live_campaign(db.unit_of_work, clock, creators=(CREATOR,), backers=2)
    charts = charts_of(db, clock, drawing)
    before = await charts.chart(campaign)
    await charts.png(before)

    await paid_pledge(db.unit_of_work, clock, campaign, caller(5), 3_000)
    after_png = await charts.progress_png(campaign.id)

    async with db.unit_of_work() as uow:
        paid = await uow.campaigns.get(campaign.id)
    assert paid is not None
    after = await charts.chart(paid)
    assert after.raised[-1] == before.raised[-1] + 3_000
    assert picture_version(after) != picture_version(before)
    assert progress_path(paid, after) != progress_path(campaign, before)
    assert after_png is not None
    assert after_png == await charts.png(after)
    assert drawing.drawings == 2


async def test_a_draft_or_unknown_campaign_has_no_chart() -> None:
    db, clock, drawing = FakeDatabase(), FixedClock(), CountedDrawing()
    campaign = await live_campaign(db.unit_of_work, clock, creators=(CREATOR,))
    await back_to_draft(db.unit_of_work, campaign)
    charts = charts_of(db, clock, drawing)

    assert await charts.progress_png("lamp") is None
    assert await charts.progress_png(campaign.id) is None
    assert await charts.progress_png("nope") is None
    assert drawing.drawings == 0


async def test_a_drafts_chart_is_its_creators_and_the_operators_alone() -> None:
    db, clock = FakeDatabase(), FixedClock()
    campaign = await live_campaign(db.unit_of_work, clock, creators=(CREATOR,))
    await back_to_draft(db.unit_of_work, campaign)
    charts = charts_of(db, clock, CountedDrawing())
    operator, stranger = (Identity(Platform.TELEGRAM, user) for user in ("900", "901"))

    assert await charts.shown(campaign.id, stranger, (operator,)) is None
    assert await charts.shown(campaign.id, None, (operator,)) is None
    for viewer in (CREATOR, operator):
        shown = await charts.shown(campaign.id, viewer, (operator,))
        assert shown is not None
        assert shown[0].id == campaign.id
