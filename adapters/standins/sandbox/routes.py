"""The chat page's routes: the page, its files, your chats as JSON, their changes live, and
what you do in them."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.standins.sandbox.discord_routes import DiscordRequests
from adapters.standins.sandbox.hosts import local_routes
from adapters.standins.sandbox.inputs import BadInput, Body, refusing_bad_input
from adapters.standins.sandbox.live import Change, LiveFeed
from adapters.standins.sandbox.snapshot import snapshot
from adapters.standins.sandbox.telegram_routes import TelegramRequests
from adapters.standins.sandbox.world import LANGUAGES, SandboxWorld
from adapters.web.security_headers import security_headers


@dataclass(frozen=True, slots=True)
class Closed:
    """A campaign closed from the page: the page says so in its own language."""

    title: str
    # How it ended: "successful", "failed" or "cancelled".
    status: str
    percent: int


@dataclass(frozen=True, slots=True)
class NotClosed:
    """Nothing closed: the campaign was not live, or closing it was refused for `refusal`."""

    slug: str
    refusal: str | None = None


@dataclass(frozen=True, slots=True)
class Published:
    """A draft published from the page: live, or coming soon when its start is still to come."""

    title: str
    coming_soon: bool


@dataclass(frozen=True, slots=True)
class NotPublished:
    """Nothing published, for `refusal` (in the page's language): the creator's payouts not
    set up, no such campaign, not a draft..."""

    slug: str
    refusal: str


CloseCampaign = Callable[[str], Awaitable[Closed | NotClosed]]
PublishCampaign = Callable[[str], Awaitable[Published | NotPublished]]
# (slug, title) of each campaign in a status: live ones to close, drafts to publish.
CampaignList = Callable[[], Awaitable[Sequence[tuple[str, str]]]]

_STATIC = Path(__file__).parent / "static"
_TYPES = {".js": "text/javascript", ".css": "text/css"}
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
# A comment line this often keeps proxies and browsers from dropping a quiet stream.
_PING_SECONDS = 15.0
# How often a quiet stream checks that its page is still there (aiohttp does not cancel a
# handler whose client left, and a stream that outlived its page would hold up shutdown).
_CHECK_SECONDS = 1.0


def sandbox_routes(
    world: SandboxWorld,
    close_campaign: CloseCampaign | None = None,
    live_campaigns: CampaignList | None = None,
    *,
    publish_campaign: PublishCampaign | None = None,
    draft_campaigns: CampaignList | None = None,
) -> web.RouteTableDef:
    """The chat page at `/`, its files under `/sandbox/static/`, and its API under
    `/sandbox/api/`; `close_campaign(slug)` closes a campaign now and tells how it went, and
    `publish_campaign(slug)` makes a draft live, or says why not."""
    routes = web.RouteTableDef()
    page = (_STATIC / "index.html").read_text(encoding="utf-8")

    @routes.get("/")
    async def chat_page(request: web.Request) -> web.Response:
        """The page itself; it loads everything else from the API."""
        return web.Response(text=page, content_type="text/html", headers=_PAGE_HEADERS)

    files = {path.name: path for path in _STATIC.iterdir() if path.suffix in _TYPES}

    @routes.get("/sandbox/static/{name}")
    async def static_file(request: web.Request) -> web.Response:
        """One of the page's files, shipped in the package; looked at again on each load."""
        path = files.get(request.match_info["name"])
        if path is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=path.read_bytes(),
            content_type=_TYPES[path.suffix],
            charset="utf-8",
            # Revalidated each time, so that a newer Backit is never shown an older page.
            headers={"Cache-Control": "no-cache", **security_headers()},
        )

    @routes.get("/sandbox/api/state")
    async def state(request: web.Request) -> web.Response:
        """Your chats and their messages as they are now."""
        return web.json_response(snapshot(world), headers=_NO_STORE)

    @routes.get("/sandbox/api/stream")
    async def stream(request: web.Request) -> web.StreamResponse:
        """Server-Sent Events: the state first, then every change as it happens."""
        # Opened before the state is read, with no wait between: no change falls in between.
        feed = world.open_feed()
        first = _event("state", snapshot(world))
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                # Proxies that buffer would hold the events back.
                "X-Accel-Buffering": "no",
            }
        )
        try:
            await response.prepare(request)
            await response.write(b"retry: 1000\n\n" + first)
            while (change := await _next_change(feed, request, response)) is not None:
                await response.write(_event("change", change))
        except ConnectionResetError:
            # The page was closed or reloaded.
            pass
        finally:
            feed.close()
        return response

    @routes.post("/sandbox/api/language")
    @refusing_bad_input
    async def language(request: web.Request) -> web.Response:
        """Use English or French from now on, on Telegram and on Discord."""
        body = await Body.read(request)
        chosen = body.choice("language", LANGUAGES)
        body.done()
        world.set_language(chosen)
        return web.json_response(snapshot(world))

    @routes.get("/sandbox/api/campaigns")
    async def campaigns(request: web.Request) -> web.Response:
        """The live campaigns, for the control that closes one now, and the drafts, for the
        one that publishes one."""
        return web.json_response(
            {
                "can_close": close_campaign is not None,
                "campaigns": await _listed(live_campaigns),
                "can_publish": publish_campaign is not None,
                "drafts": await _listed(draft_campaigns),
            },
            headers=_NO_STORE,
        )

    @routes.post("/sandbox/api/close_campaign")
    @refusing_bad_input
    async def close(request: web.Request) -> web.Response:
        """Close a live campaign now, as if its deadline had passed."""
        if close_campaign is None:
            raise BadInput("closing campaigns is not available here")
        closing = await close_campaign(await _slug_asked(request))
        said = "closed" if isinstance(closing, Closed) else "not_closed"
        return web.json_response({said: asdict(closing)})

    @routes.post("/sandbox/api/publish_campaign")
    @refusing_bad_input
    async def publish(request: web.Request) -> web.Response:
        """Make a draft live, as an operator does with `backit campaigns publish`."""
        if publish_campaign is None:
            raise BadInput("publishing campaigns is not available here")
        publishing = await publish_campaign(await _slug_asked(request))
        said = "published" if isinstance(publishing, Published) else "not_published"
        return web.json_response({said: asdict(publishing)})

    TelegramRequests(world).add_to(routes)
    if world.discord is not None:
        DiscordRequests(world.discord).add_to(routes)
    return local_routes(routes)


_NO_STORE = {"Cache-Control": "no-store"}


async def _slug_asked(request: web.Request) -> str:
    """The campaign slug an operator control posted, and nothing else; BadInput otherwise."""
    body = await Body.read(request)
    slug = body.text("slug", max_length=64)
    body.done()
    if not _SLUG.fullmatch(slug):
        raise BadInput(f"{slug!r} is not a campaign's slug")
    return slug


# Should bot text ever slip past the page's escaping, it could still run nothing and load no
# script; pictures in embeds come from anywhere, as in Discord's client.
_PAGE_HEADERS = {
    **_NO_STORE,
    **security_headers(
        "default-src 'self'; img-src 'self' data: http: https:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
}


async def _listed(campaigns: CampaignList | None) -> list[dict[str, str]] | None:
    """The campaigns as the page lists them; None when there is no list (the page then asks
    for a slug)."""
    if campaigns is None:
        return None
    return [{"slug": slug, "title": title} for slug, title in await campaigns()]


async def _next_change(
    feed: LiveFeed, request: web.Request, response: web.StreamResponse
) -> Change | None:
    """The feed's next change; None once the feed is closed or the page has gone."""
    quiet = 0.0
    while True:
        try:
            return await feed.next(_CHECK_SECONDS)
        except TimeoutError:
            transport = request.transport
            if transport is None or transport.is_closing():
                return None
            quiet += _CHECK_SECONDS
            if quiet >= _PING_SECONDS:
                await response.write(b": ping\n\n")
                quiet = 0.0


def _event(name: str, data: Any) -> bytes:
    # json.dumps escapes every newline, so the data is one line, as an event needs.
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()
