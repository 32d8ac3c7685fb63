"""The page's requests, read strictly: a JSON object whose every field is checked before use."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from aiohttp import web

_SNOWFLAKE = re.compile(r"[0-9]{1,20}")
T = TypeVar("T", bound=str)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BadInput(Exception):
    """A request the page should never send; the message says what is wrong with it."""


def refusing_bad_input(handler: Handler) -> Handler:
    """Answer BadInput with 400 and its message as `{"error": ...}`."""

    @wraps(handler)
    async def checked(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except BadInput as error:
            return web.json_response({"error": str(error)}, status=400)

    return checked


class Body:
    """A request's JSON object, read one field at a time; `done()` refuses any field left over."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self._read: set[str] = set()

    @classmethod
    async def read(cls, request: web.Request) -> Body:
        """The JSON object of a request from this page (not from another site)."""
        origin = request.headers.get("Origin")
        # Pages of other sites may post here too, from the same browser; they must not act.
        if origin is not None and urlsplit(origin).netloc != request.host:
            raise web.HTTPForbidden(text="requests come from the sandbox's own page")
        # A JSON body cannot come from a plain HTML form, so other sites cannot forge one.
        if request.content_type != "application/json":
            raise BadInput("send a JSON object, with Content-Type: application/json")
        try:
            data = await request.json()
        except ValueError:
            raise BadInput("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise BadInput("the body must be a JSON object")
        return cls(data)

    def text(self, name: str, *, max_length: int, blank: bool = False) -> str:
        """A string field of at most `max_length` characters; not blank unless allowed."""
        value = self._field(name)
        if not isinstance(value, str):
            raise BadInput(f"{name} must be a string")
        if len(value) > max_length:
            raise BadInput(f"{name} is longer than {max_length} characters")
        if not blank and not value.strip():
            raise BadInput(f"{name} must not be empty")
        return value

    def choice(self, name: str, allowed: Collection[T]) -> T:
        """A string field that is one of `allowed`."""
        value = self._field(name)
        for option in allowed:
            if value == option:
                return option
        raise BadInput(f"{name} must be one of {', '.join(sorted(allowed))}")

    def integer(self, name: str, *, minimum: int = 0, maximum: int = 2**31 - 1) -> int:
        """A whole-number field between `minimum` and `maximum`."""
        value = self._field(name)
        if type(value) is not int or not minimum <= value <= maximum:
            raise BadInput(f"{name} must be a whole number from {minimum} to {maximum}")
        return value

    def snowflake(self, name: str) -> int:
        """A Discord id, given as a string of digits (JavaScript's numbers cannot hold one)."""
        value = self._field(name)
        if not isinstance(value, str) or not _SNOWFLAKE.fullmatch(value):
            raise BadInput(f"{name} must be an id: a string of digits")
        return int(value)

    def strings(self, name: str, *, max_items: int, max_length: int) -> list[str]:
        """A list of at most `max_items` strings of at most `max_length` characters."""
        value = self._field(name)
        if not isinstance(value, list) or len(value) > max_items:
            raise BadInput(f"{name} must be a list of at most {max_items} strings")
        if not all(isinstance(item, str) and len(item) <= max_length for item in value):
            raise BadInput(f"{name} must hold strings of at most {max_length} characters")
        return value

    def text_map(self, name: str, *, max_items: int, max_length: int) -> dict[str, str]:
        """An object of at most `max_items` string values of at most `max_length` characters."""
        value = self._field(name)
        if not isinstance(value, dict) or len(value) > max_items:
            raise BadInput(f"{name} must be an object of at most {max_items} fields")
        for key, item in value.items():
            if len(key) > max_length:
                raise BadInput(f"{name} has a field name longer than {max_length} characters")
            if not isinstance(item, str) or len(item) > max_length:
                raise BadInput(f"{name}.{key} must be a string of at most {max_length} characters")
        return value

    def done(self) -> None:
        """Refuse fields the request has no use for, rather than ignore a client's mistake."""
        extra = sorted(set(self._data) - self._read)
        if extra:
            raise BadInput(f"unexpected field(s): {', '.join(extra)}")

    def _field(self, name: str) -> Any:
        self._read.add(name)
        if name not in self._data:
            raise BadInput(f"{name} is missing")
        return self._data[name]


def downloaded(data: bytes, filename: str, content_type: str) -> web.Response:
    """A file for the browser to save under its own name, never to show in place."""
    # A bot's file is never rendered on the sandbox's origin, whatever its type claims.
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return web.Response(
        body=data,
        content_type=content_type,
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )
