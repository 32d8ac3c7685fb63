"""Which language to answer a browser in."""

from __future__ import annotations

from aiohttp import web

from core.i18n import negotiate


def request_locale(request: web.Request) -> str:
    """`?lang=` if given, else the browser's first Accept-Language choice."""
    chosen = request.query.get("lang")
    if chosen:
        return negotiate(chosen)
    accepted = request.headers.get("Accept-Language", "")
    first = accepted.split(",")[0].split(";")[0].strip()
    return negotiate(first or None)
