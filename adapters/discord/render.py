"""Core's views as Discord embeds, within every embed limit; user text is made inert."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from adapters.discord.limits import (
    ELLIPSIS,
    EMBED_DESCRIPTION,
    EMBED_FIELDS,
    EMBED_TITLE,
    EMBED_TOTAL,
    FIELD_NAME,
    FIELD_VALUE,
    FOOTER,
    cut,
    fit,
    length,
)
from core.views.model import Card, ListItem, ListPage

COLOUR = discord.Colour(0x2B8A6E)
_PARAGRAPH = "\n\n"


def card_embed(card: Card) -> discord.Embed:
    """A campaign card: its story, progress and figures; the story gives way to the limits."""
    title = fit(card.title, EMBED_TITLE)
    fields = [(fit(field.name, FIELD_NAME), fit(field.value, FIELD_VALUE)) for field in card.fields]
    fields = fields[:EMBED_FIELDS]
    head = f"*{fit(card.subtitle, EMBED_TITLE)}*"
    tail = f"{card.progress.bar} **{card.progress.percent} %**"
    others = length(title) + sum(length(name) + length(value) for name, value in fields)
    room = min(EMBED_DESCRIPTION, EMBED_TOTAL - others)
    body_room = room - length(head) - length(tail) - 2 * length(_PARAGRAPH)
    body = fit(card.body, body_room) if card.body else ""
    description = _PARAGRAPH.join(part for part in (head, body, tail) if part)
    embed = discord.Embed(title=title, description=description, colour=COLOUR)
    for name, value in fields:
        embed.add_field(name=name, value=value, inline=True)
    if card.image_url:
        embed.set_image(url=card.image_url)
    return embed


def _line(number: int, item: ListItem) -> str:
    return f"**{number}. {fit(item.title, EMBED_TITLE)}**\n{fit(item.detail, FIELD_VALUE)}"


def shown_items(page: ListPage) -> list[ListItem]:
    """The items whose lines fit in one embed; a long list stops before the limit."""
    room = _list_room(page)
    used = 0
    shown: list[ListItem] = []
    for number, item in enumerate(page.items, start=page.first_number):
        line = _line(number, item)
        if used + length(line) + length(_PARAGRAPH) + length(ELLIPSIS) > room:
            break
        used += length(line) + length(_PARAGRAPH)
        shown.append(item)
    return shown


def _list_room(page: ListPage) -> int:
    used = length(fit(page.title, EMBED_TITLE)) + length(cut(page.footer, FOOTER))
    return min(EMBED_DESCRIPTION, EMBED_TOTAL - used)


def list_embed(page: ListPage, shown: Sequence[ListItem]) -> discord.Embed:
    """A list page: numbered lines (those `shown`), and an ellipsis when some did not fit."""
    lines = [_line(number, item) for number, item in enumerate(shown, start=page.first_number)]
    if len(shown) < len(page.items):
        lines.append(ELLIPSIS)
    description = _PARAGRAPH.join(lines) if page.items else fit(page.empty_text, _list_room(page))
    embed = discord.Embed(
        title=fit(page.title, EMBED_TITLE), description=description, colour=COLOUR
    )
    if page.footer:
        # Footers show plain text: nothing to escape, only to cut.
        embed.set_footer(text=cut(page.footer, FOOTER))
    return embed


def text_embed(title: str, text: str) -> discord.Embed:
    """A titled block of user text (an update's preview, a report)."""
    return discord.Embed(
        title=fit(title, EMBED_TITLE),
        description=fit(text, min(EMBED_DESCRIPTION, EMBED_TOTAL - EMBED_TITLE)),
        colour=COLOUR,
    )
