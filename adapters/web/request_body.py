"""Reading a request's body when the client may leave halfway through sending it."""

from __future__ import annotations

import logging

from aiohttp import web

log = logging.getLogger(__name__)


async def body_or_none(request: web.Request, route: str) -> bytes | None:
    """The whole body, or None (logged in one line) when the client went away mid-upload."""
    try:
        return await request.read()
    # aiohttp's word for a connection that closed before the body's end, however it closed.
    except ConnectionResetError as error:
        log.warning("%s: the client went away while sending its request (%s)", route, error)
        return None
