"""Core's cards, list pages and short replies as Discord replies: text or an embed, and buttons."""

from __future__ import annotations

import io
import logging
from dataclasses import replace

import discord

from adapters.chat_services import ChatServices
from adapters.discord.layout import card_rows, components, list_rows
from adapters.discord.limits import CONTENT, fit
from adapters.discord.render import card_embed, list_embed, shown_items
from adapters.discord.replies import Reply
from adapters.images.card_images import picture_now
from core.usecases.browsing import CampaignDetail
from core.views import model
from core.views.cards import viewer_card

log = logging.getLogger(__name__)

# A card's picture, attached where no web server serves it.
PICTURE_FILE = "card.png"


def card_reply(card: model.Card) -> Reply:
    """A campaign card with its reward, custom-amount and follow buttons."""
    return Reply(embed=card_embed(card), view=components(card_rows(card.buttons)))


async def campaign_reply(services: ChatServices, detail: CampaignDetail, *, own: bool) -> Reply:
    """A campaign's card as its viewer sees it (see cards.viewer_card), showing the campaign's
    card picture: from the web server where it runs, else attached to the card."""
    now = services.clock.now()
    card = viewer_card(detail, now, own=own)
    url = services.card_picture_url(detail.campaign)
    if url is not None:
        return card_reply(replace(card, image_url=url))
    try:
        png = await services.card_images.png(picture_now(detail.campaign, now))
    # Whatever went wrong in the drawing, the card's words still reach the channel.
    except Exception as error:
        log.warning("card picture not drawn (%s); the card goes without it", error)
        return card_reply(replace(card, image_url=None))
    reply = card_reply(replace(card, image_url=f"attachment://{PICTURE_FILE}"))
    return replace(reply, file=discord.File(io.BytesIO(png), filename=PICTURE_FILE))


def list_reply(page: model.ListPage) -> Reply:
    """A list page with a button per line and its own buttons (sorting, paging, cancelling)."""
    shown = shown_items(page)
    rows = list_rows(shown, page.buttons, page.first_number)
    return Reply(embed=list_embed(page, shown), view=components(rows) if rows else None)


def text_reply(said: model.Reply, *, private: bool = False) -> Reply:
    """A short answer: its text made inert and cut to a message, with its buttons; `private`
    sends it to the member alone even where the pressed message would be edited."""
    rows = [list(row) for row in said.buttons]
    view = components(rows) if rows else None
    return Reply(content=fit(said.text, CONTENT), view=view, private=private)
