"""A campaign's card picture on the web: `/c/{slug}/card.png`, for chats' link previews, the
campaign's page and the cards the bots send."""

from __future__ import annotations

from aiohttp import web
from aiohttp.helpers import ETAG_ANY

from adapters.images.card_images import picture_now
from adapters.images.drawings import picture_version
from adapters.web.locale import request_locale
from adapters.web.services import SERVICES
from core.i18n import use_locale
from core.usecases.managing import SLUG

# Chats fetch a preview once and keep it; the address changes with what the picture shows, so
# a short life only bounds how long an address without its version stays behind.
MAX_AGE_SECONDS = 60

routes = web.RouteTableDef()


@routes.get("/c/{slug}/card.png")
async def card_png(request: web.Request) -> web.Response:
    """The picture of a campaign anyone may see, in `?lang=` or the browser's language."""
    services = request.app[SERVICES]
    slug = request.match_info["slug"]
    campaign = await services.reads.campaign(slug) if SLUG.fullmatch(slug) else None
    if campaign is None or not campaign.shown_to(None, ()):
        raise web.HTTPNotFound()
    with use_locale(request_locale(request)):
        picture = picture_now(campaign, services.clock.now())
    etag = picture_version(picture)
    headers = {"ETag": f'"{etag}"', "Cache-Control": f"public, max-age={MAX_AGE_SECONDS}"}
    # "*" asks for any version at all: this one will do.
    if any(tag.value in (etag, ETAG_ANY) for tag in request.if_none_match or ()):
        return web.Response(status=304, headers=headers)
    png = await services.card_images.png(picture)
    return web.Response(body=png, content_type="image/png", headers=headers)
