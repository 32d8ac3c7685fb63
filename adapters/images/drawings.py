"""Pictures as PNG, each drawn once in a worker thread however many readers ask at once, and
named by what they show."""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar
from urllib.parse import urlencode

from core.i18n import current_locale

# Pictures differ by campaign, language and whatever they show that changed: a few hundred are
# in use at once, at under 250 KB each.
KEPT = 256

Picture = TypeVar("Picture", bound=Hashable)


def picture_version(picture: Hashable) -> str:
    """A short name for what a picture shows: it changes exactly when the picture does."""
    return hashlib.blake2s(repr(picture).encode(), digest_size=8).hexdigest()


def picture_address(slug: str, name: str, picture: Hashable) -> str:
    """Where a campaign's picture is served, naming its language and version (for chats'
    caches)."""
    query = urlencode({"lang": current_locale.get(), "v": picture_version(picture)})
    return f"/c/{slug}/{name}?{query}"


def in_worker_thread(draw: Callable[[Picture], bytes]) -> Callable[[Picture], Awaitable[bytes]]:
    """`draw` run off the event loop: a drawing takes tens of milliseconds the chats must not
    wait."""

    async def drawn(picture: Picture) -> bytes:
        return await asyncio.to_thread(draw, picture)

    return drawn


class Drawings(Generic[Picture]):
    """The last `size` pictures of one kind drawn, by what they show."""

    def __init__(self, draw: Callable[[Picture], Awaitable[bytes]], size: int = KEPT) -> None:
        self._draw = draw
        self._size = size
        # Drawing, or drawn: whoever asks for a picture being drawn waits for that drawing.
        self._drawn: OrderedDict[Picture, asyncio.Future[bytes]] = OrderedDict()

    async def png(self, picture: Picture) -> bytes:
        """The picture as PNG, drawn now only if it is not one of the last asked for."""
        drawing = self._drawn.get(picture)
        if drawing is None:
            drawing = asyncio.ensure_future(self._draw(picture))
            drawing.add_done_callback(lambda done: self._forget_failed(picture, done))
            self._drawn[picture] = drawing
            if len(self._drawn) > self._size:
                self._drawn.popitem(last=False)
        else:
            self._drawn.move_to_end(picture)
        # A reader who leaves does not cancel the drawing the others wait for.
        return await asyncio.shield(drawing)

    def _forget_failed(self, picture: Picture, done: asyncio.Future[bytes]) -> None:
        if (done.cancelled() or done.exception() is not None) and self._drawn.get(picture) is done:
            del self._drawn[picture]
