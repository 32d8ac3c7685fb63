"""A campaign's pictures on the web: its card, `/c/{slug}/card.png`, for chats' link previews,
the campaign's page and the cards the bots send; and its progress chart,
`/c/{slug}/progress.png`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

from aiohttp import web
from aiohttp.helpers import ETAG_ANY

from adapters.images.card_images import picture_now
from adapters.images.drawings import picture_version
from adapters.web.locale import request_locale
from adapters.web.services import SERVICES
from core.campaigns import Campaign
from core.i18n import use_locale
from core.usecases.managing import SLUG

# Chats fetch a preview once and keep it; the address changes with what the picture shows, so
# a short life only bounds how long an address without its version stays behind.
MAX_AGE_SECONDS = 60

Picture = TypeVar("Picture", bound=Hashable)

routes = web.RouteTableDef()


@routes.get("/c/{slug}/card.png")
async def card_png(request: web.Request) -> web.Response:
    """The picture of a campaign anyone may see, in `?lang=` or the browser's language."""
    services = request.app[SERVICES]
    campaign = await _shown(request)
    with use_locale(request_locale(request)):
        picture = picture_now(campaign, services.clock.now(), request.query.get("m"))
    return await _answer(request, picture, services.card_images.png)


@routes.get("/c/{slug}/progress.png")
async def progress_png(request: web.Request) -> web.Response:
    """The progress chart of a campaign anyone may see, in `?lang=` or the browser's language."""
    charts = request.app[SERVICES].progress_charts
    campaign = await _shown(request)
    with use_locale(request_locale(request)):
        chart = await charts.chart(campaign)
    return await _answer(request, chart, charts.png)


async def _shown(request: web.Request) -> Campaign:
    """The campaign the address names, if anyone may see it (else 404)."""
    slug = request.match_info["slug"]
    reads = request.app[SERVICES].reads
    campaign = await reads.campaign(slug) if SLUG.fullmatch(slug) else None
    if campaign is None or not campaign.shown_to(None, ()):
        raise web.HTTPNotFound()
    return campaign


async def _answer(
    request: web.Request, picture: Picture, png: Callable[[Picture], Awaitable[bytes]]
) -> web.Response:
    """The picture as PNG named by its version, or 304 to a reader who has that version."""
    etag = picture_version(picture)
    headers = {"ETag": f'"{etag}"', "Cache-Control": f"public, max-age={MAX_AGE_SECONDS}"}
    # "*" asks for any version at all: this one will do.
    if any(tag.value in (etag, ETAG_ANY) for tag in request.if_none_match or ()):
        return web.Response(status=304, headers=headers)
    return web.Response(body=await png(picture), content_type="image/png", headers=headers)
