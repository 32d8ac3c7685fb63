"""JSON on the wire as Discord sends it, and where a request's decoded body is kept."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

# The decoded JSON body of the request, set by the API's middleware before any handler runs.
BODY = web.RequestKey("body", object)


def json_response(body: Any, *, status: int = 200) -> web.Response:
    """A JSON answer whose Content-Type is exactly `application/json`, as discord.py requires."""
    return web.Response(
        body=json.dumps(body).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def request_body(request: web.Request) -> Any:
    """The request's decoded JSON body (None when it had none)."""
    return request.get(BODY)
