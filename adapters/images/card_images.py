"""Card pictures as PNG, each drawn once in a worker thread however many readers ask at once."""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from urllib.parse import urlencode

from adapters.images.card_image import card_png
from core.campaigns import Campaign
from core.i18n import current_locale
from core.views.pictures import CardPicture, card_picture

# Pictures differ by campaign, language and whatever they show that changed: a few hundred are
# in use at once, at under 250 KB each.
KEPT = 256

# A drawing of a picture over its cover's JPEG, if it has one.
Drawing = Callable[[CardPicture, bytes | None], bytes]
# The JPEG of the cover with a digest, if it is still kept.
CoverJpegs = Callable[[str], Awaitable[bytes | None]]


def picture_now(campaign: Campaign, now: datetime) -> CardPicture:
    """The campaign's picture as of the current minute, in the current language."""
    return card_picture(campaign, now.replace(second=0, microsecond=0))


def picture_path(campaign: Campaign, picture: CardPicture) -> str:
    """Where the picture is served, naming its language and version (for chats' caches)."""
    query = urlencode({"lang": current_locale.get(), "v": picture_version(picture)})
    return f"/c/{campaign.slug}/card.png?{query}"


def picture_version(picture: CardPicture) -> str:
    """A short name for what a picture shows: it changes exactly when the picture does."""
    return hashlib.blake2s(repr(picture).encode(), digest_size=8).hexdigest()


class CardImages:
    """The last `size` card pictures drawn, by what they show."""

    def __init__(
        self, draw: Drawing = card_png, size: int = KEPT, covers: CoverJpegs | None = None
    ) -> None:
        self._draw = draw
        self._size = size
        # Without covers to read, every picture is drawn over its category's colours.
        self._covers = covers
        # Drawing, or drawn: whoever asks for a picture being drawn waits for that drawing.
        self._drawn: OrderedDict[CardPicture, asyncio.Future[bytes]] = OrderedDict()

    async def png(self, picture: CardPicture) -> bytes:
        """The picture as PNG, drawn now only if it is not one of the last asked for."""
        drawing = self._drawn.get(picture)
        if drawing is None:
            drawing = asyncio.ensure_future(self._drawing(picture))
            drawing.add_done_callback(lambda done: self._forget_failed(picture, done))
            self._drawn[picture] = drawing
            if len(self._drawn) > self._size:
                self._drawn.popitem(last=False)
        else:
            self._drawn.move_to_end(picture)
        # A reader who leaves does not cancel the drawing the others wait for.
        return await asyncio.shield(drawing)

    async def _drawing(self, picture: CardPicture) -> bytes:
        cover = None
        if picture.cover is not None and self._covers is not None:
            cover = await self._covers(picture.cover)
        # Off the event loop: a drawing takes tens of milliseconds the chats must not wait.
        return await asyncio.to_thread(self._draw, picture, cover)

    def _forget_failed(self, picture: CardPicture, done: asyncio.Future[bytes]) -> None:
        if (done.cancelled() or done.exception() is not None) and self._drawn.get(picture) is done:
            del self._drawn[picture]
