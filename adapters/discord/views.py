"""Core's cards, list pages and short replies as Discord replies: text or an embed, and buttons."""

from __future__ import annotations

from adapters.discord.layout import card_rows, components, list_rows
from adapters.discord.limits import CONTENT, fit
from adapters.discord.render import card_embed, list_embed, shown_items
from adapters.discord.replies import Reply
from core.views import model


def card_reply(card: model.Card) -> Reply:
    """A campaign card with its reward, custom-amount and follow buttons."""
    return Reply(embed=card_embed(card), view=components(card_rows(card.buttons)))


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
