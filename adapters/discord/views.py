"""Core's cards, list pages and short replies as Discord replies: text or an embed, and buttons."""

from __future__ import annotations

from dataclasses import replace

from adapters.chat_services import ChatServices
from adapters.discord.layout import card_rows, components, list_rows
from adapters.discord.limits import CONTENT, fit
from adapters.discord.render import card_embed, list_embed, shown_items
from adapters.discord.replies import Reply
from core.usecases.browsing import CampaignDetail
from core.views import model
from core.views.cards import viewer_card


def card_reply(card: model.Card) -> Reply:
    """A campaign card with its reward, custom-amount and follow buttons."""
    return Reply(embed=card_embed(card), view=components(card_rows(card.buttons)))


def campaign_reply(services: ChatServices, detail: CampaignDetail, *, own: bool) -> Reply:
    """A campaign's card as its viewer sees it (see cards.viewer_card), showing the campaign's
    card picture where the web server serves it."""
    card = viewer_card(detail, services.clock.now(), own=own)
    picture = services.card_picture_url(detail.campaign)
    return card_reply(card if picture is None else replace(card, image_url=picture))


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
