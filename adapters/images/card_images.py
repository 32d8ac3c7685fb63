"""Card pictures as PNG: the picture a campaign shows now, where it is served, and the cache
that draws each once."""

from __future__ import annotations

from datetime import datetime

from adapters.images.card_image import card_png
from adapters.images.drawings import Drawings, picture_address
from core.campaigns import Campaign
from core.views.pictures import CardPicture, card_picture


def picture_now(campaign: Campaign, now: datetime) -> CardPicture:
    """The campaign's picture as of the current minute, in the current language."""
    return card_picture(campaign, now.replace(second=0, microsecond=0))


def picture_path(campaign: Campaign, picture: CardPicture) -> str:
    """Where the picture is served, naming its language and version (for chats' caches)."""
    return picture_address(campaign.slug, "card.png", picture)


def card_images() -> Drawings[CardPicture]:
    """The card pictures last drawn, each drawn once per state and language."""
    return Drawings(card_png)
