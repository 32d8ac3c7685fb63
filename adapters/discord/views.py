"""Core's cards and list pages as replies: an embed and its buttons."""

from __future__ import annotations

from adapters.discord.layout import card_rows, components, list_rows
from adapters.discord.render import card_embed, list_embed, shown_items
from adapters.discord.replies import Reply
from core.views.model import Card, ListPage


def card_reply(card: Card) -> Reply:
    """A campaign card with its reward, custom-amount and follow buttons."""
    return Reply(embed=card_embed(card), view=components(card_rows(card.buttons)))


def list_reply(page: ListPage) -> Reply:
    """A list page with a button per line and its own buttons (sorting, paging, cancelling)."""
    shown = shown_items(page)
    rows = list_rows(shown, page.buttons, page.first_number)
    return Reply(embed=list_embed(page, shown), view=components(rows) if rows else None)
