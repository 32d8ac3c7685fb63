"""Core's views as Telegram HTML messages with inline keyboards, within Telegram's limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from adapters.telegram.limits import (
    BUTTON_LABEL_LIMIT,
    CAPTION_LIMIT,
    TEXT_LIMIT,
    cut,
    telegram_length,
)
from core.views.formatting import labelled, more_entries
from core.views.intents import Intent
from core.views.model import Button, Buttons, Card, Entry, ListPage, Reply, Section
from core.views.pictures import CardPicture

# Given a button's intent, the URL it should open in this chat instead (a personal pledge
# link in a private chat, a deep link into one from a group), or None for a callback button.
UrlFor = Callable[[Intent], str | None]


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready to send: HTML text (a caption when there is a picture) and its keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None
    # The campaign's card picture, sent as the photo the HTML captions.
    picture: CardPicture | None = None


def _no_urls(intent: Intent) -> str | None:
    return None


def keyboard(rows: Buttons, url_for: UrlFor = _no_urls) -> InlineKeyboardMarkup | None:
    """Inline keyboard rows; each intent becomes callback data unless it maps to a URL."""
    markup = []
    for row in rows:
        buttons = []
        for button in row:
            label = cut(button.label, BUTTON_LABEL_LIMIT)
            url = button.url or (
                url_for(button.intent) if button.intent and button.available else None
            )
            if url is not None:
                buttons.append(InlineKeyboardButton(label, url=url))
            elif button.intent is not None:
                buttons.append(InlineKeyboardButton(label, callback_data=button.intent.encode()))
        if buttons:
            markup.append(buttons)
    return InlineKeyboardMarkup(markup) if markup else None


# What a card's story keeps before its sections take the room: its first lines at least.
STORY_FLOOR = 200
# One line of a reward (its description) never takes more than this of a card.
ENTRY_LINE_LIMIT = 300


def _card_html(card: Card, body: str, sections: str = "") -> str:
    lines = [f"<b>{escape(card.title)}</b>", f"<i>{escape(card.subtitle)}</i>", ""]
    if body:
        lines += [escape(body), ""]
    lines.append(f"{card.progress.bar} <b>{card.progress.label}</b>")
    lines += [
        f"<b>{escape(labelled(field.name))}</b> {escape(field.value)}" for field in card.fields
    ]
    if sections:
        lines += ["", sections]
    return "\n".join(lines)


def _entry_html(entry: Entry) -> str:
    if not entry.lines:
        return escape(entry.heading)
    lines = [escape(cut(line, ENTRY_LINE_LIMIT)) for line in entry.lines]
    return "\n".join([f"▸ <b>{escape(entry.heading)}</b>", *lines])


def _more(count: int) -> str:
    return escape(more_entries(count))


def _sections_html(sections: tuple[Section, ...], room: int) -> str:
    """Sections within `room` visible characters, whole entries only, saying how many did not
    fit; a section none of whose entries fits is left out."""
    blocks: list[str] = []
    used = 0
    for section in sections:
        title = f"<b>{escape(section.title)}</b>"
        shown: list[str] = []
        for index, entry in enumerate(section.entries):
            block = "\n".join([title, *shown, _entry_html(entry)])
            # Room kept for the blank line before the block and a line saying what is left out.
            more = (
                _visible(_more(len(section.entries))) + 1 if index + 1 < len(section.entries) else 0
            )
            if used + _visible(block) + 2 + more > room:
                break
            shown.append(_entry_html(entry))
        if not shown:
            break
        left_out = len(section.entries) - len(shown)
        block = "\n".join([title, *shown, *([_more(left_out)] if left_out else [])])
        blocks.append(block)
        used += _visible(block) + 2
        if left_out:
            break
    return "\n\n".join(blocks)


def _visible(html_without_body: str) -> int:
    """Visible length of our own markup: tags dropped, the few entities counted as one."""
    text = html_without_body
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        text = text.replace(tag, "")
    for entity in ("&lt;", "&gt;", "&amp;", "&quot;", "&#x27;"):
        text = text.replace(entity, "x")
    return telegram_length(text)


def render_card(
    card: Card, url_for: UrlFor = _no_urls, picture: CardPicture | None = None
) -> Rendered:
    """A campaign card: its picture with a caption when given one, else a text message. The
    card's own image is not shown: Telegram would fetch it from anywhere the creator named."""
    limit = CAPTION_LIMIT if picture is not None else TEXT_LIMIT
    # The story keeps its first lines; then the sections take what they need, whole entries
    # at a time, and the story gets the rest (two characters for the blank line around it).
    floor = min(telegram_length(card.body), STORY_FLOOR) + 2 if card.body else 0
    sections = _sections_html(card.sections, limit - _visible(_card_html(card, "")) - floor)
    room = limit - _visible(_card_html(card, "", sections)) - 2
    html = _card_html(card, cut(card.body, max(room, 1)) if room > 1 else "", sections)
    return Rendered(html, keyboard(card.buttons, url_for), picture)


def render_list(page: ListPage, url_for: UrlFor = _no_urls) -> Rendered:
    """A list page: numbered lines with a button each, then the page's own buttons."""
    head = [f"<b>{escape(page.title)}</b>", ""]
    tail = ["", f"<i>{escape(page.footer)}</i>"] if page.footer else []
    used = _visible("\n".join(head + tail))
    lines: list[str] = []
    rows: list[tuple[Button, ...]] = []
    for number, item in enumerate(page.items, start=page.first_number):
        line = f"{number}. <b>{escape(item.title)}</b>\n{escape(item.detail)}"
        # Long lists (someone's many pledges) stop before the limit rather than break it.
        if used + _visible(line) + 1 > TEXT_LIMIT - 10:
            lines.append("…")
            break
        used += _visible(line) + 1
        lines.append(line)
        if item.intent is not None:
            rows.append((Button(f"{number}. {item.title}", item.intent),))
    body = lines or [escape(page.empty_text)]
    return Rendered("\n".join(head + body + tail), keyboard((*rows, *page.buttons), url_for))


def render_reply(reply: Reply, url_for: UrlFor = _no_urls) -> Rendered:
    """A short answer: its text escaped and cut to one message, with its buttons."""
    return Rendered(escape(cut(reply.text, TEXT_LIMIT)), keyboard(reply.buttons, url_for))
