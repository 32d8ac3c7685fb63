"""The shapes of what core shows: cards, list pages, fields and buttons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.views.intents import Intent

if TYPE_CHECKING:
    # The picture's module reads cards, which are made of this module's shapes.
    from core.views.pictures import CardPicture


@dataclass(frozen=True, slots=True)
class Button:
    """A button that either asks core for an intent or opens a URL."""

    label: str
    intent: Intent | None = None
    url: str | None = None
    # False for a reward with no unit left: it is shown, but no surface should make it a link
    # to a payment page; pressing it asks core again, which says why (or offers it, if a unit
    # came back meanwhile).
    available: bool = True

    def __post_init__(self) -> None:
        if (self.intent is None) == (self.url is None):
            raise ValueError("a button carries exactly one of an intent or a URL")


Buttons = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Field:
    """A labelled value, such as "Backers: 120"."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a card's section: a heading (a reward and its price) and its detail lines."""

    heading: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a card after its figures, such as its rewards or its stretch goals."""

    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a campaign is toward its goal, as a number and a text bar."""

    percent: int
    bar: str
    # The percent as the reader writes it: "62%", "62 %".
    label: str


@dataclass(frozen=True, slots=True)
class Card:
    """One campaign as a card; text is translated but not escaped (adapters escape)."""

    title: str
    subtitle: str
    body: str
    progress: Progress
    fields: tuple[Field, ...]
    image_url: str | None
    buttons: Buttons
    # Shown in order after the figures; surfaces drop whole entries, last first, to fit.
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True)
class ListItem:
    """One line of a list page, opening something when chosen."""

    title: str
    detail: str
    intent: Intent | None = None


@dataclass(frozen=True, slots=True)
class ListPage:
    """A titled list with buttons (sorting, paging) and a text for when it is empty."""

    title: str
    items: tuple[ListItem, ...]
    buttons: Buttons
    empty_text: str
    footer: str = ""
    # The number of the first item: a later page goes on counting from where the last stopped.
    first_number: int = 1


@dataclass(frozen=True, slots=True)
class Reply:
    """A short answer in the chat (a question, a confirmation, an offer) with its buttons;
    text is translated, not escaped."""

    text: str
    buttons: Buttons = ()


@dataclass(frozen=True, slots=True)
class Notice:
    """A notification as one reader sees it; text is translated, not escaped, and may be long
    (a creator update): adapters split it within their platform's limits."""

    title: str
    text: str
    buttons: Buttons = ()
    # The campaign a SHOW button opens, for surfaces that open it by name (a Telegram deep link).
    campaign_slug: str | None = None
    # A milestone's picture, and where the web server serves it (None where it does not run).
    picture: CardPicture | None = None
    picture_url: str | None = None
