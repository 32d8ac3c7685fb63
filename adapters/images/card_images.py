"""Card pictures as PNG: the picture a campaign shows now, where it is served, and the cache
that draws each once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from urllib.parse import urlencode

from adapters.images.card_image import card_png
from adapters.images.drawings import Drawings, picture_address
from core.campaigns import Campaign
from core.views.pictures import CardPicture, card_picture, picture_of_milestone

# A drawing of a picture over its cover's JPEG, if it has one.
Drawing = Callable[[CardPicture, bytes | None], bytes]
# The JPEG of the cover with a digest, if it is still kept.
CoverJpegs = Callable[[str], Awaitable[bytes | None]]


def picture_now(campaign: Campaign, now: datetime, milestone: str | None = None) -> CardPicture:
    """The campaign's picture as of the current minute, in the current language: its card, or
    the announcement of the `milestone` it reached."""
    minute = now.replace(second=0, microsecond=0)
    if milestone is None:
        return card_picture(campaign, minute)
    return picture_of_milestone(campaign, milestone, minute)


def picture_path(slug: str, picture: CardPicture) -> str:
    """Where the picture is served, naming its language, milestone and version (for chats'
    caches)."""
    path = picture_address(slug, "card.png", picture)
    return path if picture.milestone is None else f"{path}&{urlencode({'m': picture.milestone})}"


def card_images(
    covers: CoverJpegs | None = None, draw: Drawing = card_png
) -> Drawings[CardPicture]:
    """The card pictures last drawn, each drawn once per state and language, over its cover's
    JPEG read from `covers` (without them, over its category's colours)."""

    async def drawn(picture: CardPicture) -> bytes:
        cover = None
        if picture.cover is not None and covers is not None:
            cover = await covers(picture.cover)
        # Off the event loop: a drawing takes tens of milliseconds the chats must not wait.
        return await asyncio.to_thread(draw, picture, cover)

    return Drawings(drawn)
