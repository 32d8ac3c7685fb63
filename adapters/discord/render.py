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
from core.views.formatting import more_entries
from core.views.model import Card, Entry, ListItem, ListPage, Section

COLOUR = discord.Colour(0x2B8A6E)
_PARAGRAPH = "\n\n"
# The name of a field that goes on with the section above it: Discord wants a name, and a
# zero-width space shows none.
CONTINUED = "\u200b"
# What a card's story keeps before its sections take the room: its first lines at least.
STORY_FLOOR = 300
# One line of a reward (its description) never takes more than this of a card: five such
# lines, a heading and four details, leave room in a field for saying what is left out.
ENTRY_LINE_LIMIT = 180

Fields = list[tuple[str, str]]


def _entry_text(entry: Entry) -> str:
    if not entry.lines:
        return fit(entry.heading, ENTRY_LINE_LIMIT)
    lines = [fit(line, ENTRY_LINE_LIMIT) for line in entry.lines]
    return "\n".join([f"**{fit(entry.heading, ENTRY_LINE_LIMIT - 4)}**", *lines])


def _section_fields(sections: tuple[Section, ...], room: int, slots: int) -> Fields:
    """Sections as fields of whole entries, a long one over several fields, within `room`
    characters and `slots` fields, saying how many entries did not fit."""
    fields: Fields = []
    used = 0
    for section in sections:
        gap = _PARAGRAPH if any(entry.lines for entry in section.entries) else "\n"
        name, left = fit(section.title, FIELD_NAME), len(section.entries)
        parts: list[str] = []
        for entry in section.entries:
            text = _entry_text(entry)
            # Room kept for saying how many entries are left out, should the next not fit.
            more = length(gap) + length(more_entries(left)) if left > 1 else 0
            if parts and length(gap.join([*parts, text])) + more > FIELD_VALUE:
                fields.append((name, gap.join(parts)))
                used += length(name) + length(fields[-1][1])
                name, parts = CONTINUED, []
            value = gap.join([*parts, text])
            if len(fields) >= slots or used + length(name) + length(value) + more > room:
                break
            parts.append(text)
            left -= 1
        if left and parts:
            parts.append(more_entries(left))
        if parts:
            fields.append((name, gap.join(parts)))
            used += length(name) + length(fields[-1][1])
        if left:
            break
    return fields


def card_embed(card: Card) -> discord.Embed:
    """A campaign card: its story, progress, figures and sections (rewards, stretch goals);
    the story gives way to the limits first, down to its first lines, then the sections."""
    title = fit(card.title, EMBED_TITLE)
    fields = [(fit(field.name, FIELD_NAME), fit(field.value, FIELD_VALUE)) for field in card.fields]
    fields = fields[:EMBED_FIELDS]
    head = f"*{fit(card.subtitle, EMBED_TITLE)}*"
    tail = f"{card.progress.bar} **{card.progress.label}**"
    others = length(title) + sum(length(name) + length(value) for name, value in fields)
    frame = length(head) + length(tail) + 2 * length(_PARAGRAPH)
    floor = min(length(card.body), STORY_FLOOR) if card.body else 0
    sections = _section_fields(
        card.sections, EMBED_TOTAL - others - frame - floor, EMBED_FIELDS - len(fields)
    )
    others += sum(length(name) + length(value) for name, value in sections)
    room = min(EMBED_DESCRIPTION, EMBED_TOTAL - others)
    body = fit(card.body, room - frame) if card.body else ""
    description = _PARAGRAPH.join(part for part in (head, body, tail) if part)
    embed = discord.Embed(title=title, description=description, colour=COLOUR)
    for name, value in fields:
        embed.add_field(name=name, value=value, inline=True)
    for name, value in sections:
        embed.add_field(name=name, value=value, inline=False)
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
