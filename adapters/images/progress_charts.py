"""Campaigns' progress charts as PNG, for the web server and the chats: each campaign's funding
read once per change, each chart drawn once per state, day and language."""

from __future__ import annotations

from collections.abc import Callable, Collection

from adapters.images.drawings import Drawings, in_worker_thread, picture_address
from adapters.images.progress_chart_image import progress_png
from core.campaigns import Campaign
from core.identity import Identity
from core.ports import Clock
from core.usecases.cached_reads import CachedReads
from core.views.progress_chart import ProgressChart, progress_chart


def progress_path(campaign: Campaign, chart: ProgressChart) -> str:
    """Where the chart is served, naming its language and version (for chats' caches)."""
    return picture_address(campaign.slug, "progress.png", chart)


class ProgressCharts:
    """Campaigns' progress charts, as of today, in the current language."""

    def __init__(
        self,
        reads: CachedReads,
        clock: Clock,
        draw: Callable[[ProgressChart], bytes] = progress_png,
    ) -> None:
        self._reads = reads
        self._clock = clock
        self._drawings = Drawings(in_worker_thread(draw))

    async def chart(self, campaign: Campaign) -> ProgressChart:
        """What the campaign's chart shows now (its funding as last committed)."""
        funding = await self._reads.funding_days(campaign.id)
        return progress_chart(campaign, funding, self._clock.now())

    async def png(self, chart: ProgressChart) -> bytes:
        """The chart as PNG, drawn now only if it is not one of the last asked for."""
        return await self._drawings.png(chart)

    async def shown(
        self, key: int | str, viewer: Identity | None = None, operators: Collection[Identity] = ()
    ) -> tuple[Campaign, ProgressChart] | None:
        """The campaign, by id or slug, and its chart now, if `viewer` may see it (anyone, a
        campaign not in draft); None for an unknown campaign or one they may not see."""
        campaign = await self._reads.campaign(key)
        if campaign is None or not campaign.shown_to(viewer, operators):
            return None
        return campaign, await self.chart(campaign)

    async def progress_png(self, key: int | str) -> bytes | None:
        """The chart of a campaign anyone may see, by id or slug, as PNG; None for an unknown
        campaign or a draft."""
        shown = await self.shown(key)
        return None if shown is None else await self.png(shown[1])
