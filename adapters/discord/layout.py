"""Core's button rows laid out for Discord: five rows of five, unique custom ids, labels cut."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from adapters.discord.limits import BUTTON_LABEL, ROW_WIDTH, ROWS, cut
from core.views.intents import CancelPledge, ChangeTo, ConfirmCancel, Follow, Intent, Pledge
from core.views.model import Button, Buttons, ListItem

Rows = list[list[Button]]
# A repeated intent on one message gets "#n" after it: Discord refuses equal custom ids.
REPEAT = "#"

_STYLES: dict[type[Intent], discord.ButtonStyle] = {
    Pledge: discord.ButtonStyle.primary,
    Follow: discord.ButtonStyle.success,
    CancelPledge: discord.ButtonStyle.danger,
    ConfirmCancel: discord.ButtonStyle.danger,
    ChangeTo: discord.ButtonStyle.primary,
}


def _chunks(buttons: Sequence[Button]) -> Rows:
    return [list(buttons[start : start + ROW_WIDTH]) for start in range(0, len(buttons), ROW_WIDTH)]


def card_rows(buttons: Buttons) -> Rows:
    """Rewards packed five to a row, then the row of the other buttons, in at most five rows."""
    flat = [button for row in buttons for button in row]
    rewards = [b for b in flat if isinstance(b.intent, Pledge)]
    others = _chunks([b for b in flat if b not in rewards])
    return _chunks(rewards)[: ROWS - len(others)] + others


def list_rows(shown: Sequence[ListItem], buttons: Buttons, first_number: int = 1) -> Rows:
    """A button per listed item, numbered from `first_number`, then the page's own rows; the
    page's rows win for space."""
    numbered = [
        Button(f"{number}. {item.title}", item.intent)
        for number, item in enumerate(shown, start=first_number)
        if item.intent is not None
    ]
    own = [chunk for row in buttons for chunk in _chunks(row)]
    if len(own) + len(_chunks(numbered)) > ROWS:
        own = _chunks([button for row in buttons for button in row])
    items = _chunks(numbered)[: max(ROWS - len(own), 0)]
    return [*items, *own][:ROWS]


def custom_id(intent: Intent, used: dict[str, int]) -> str:
    """The intent's custom id, made unique on its message."""
    encoded = intent.encode()
    repeats = used.get(encoded, 0)
    used[encoded] = repeats + 1
    return f"{encoded}{REPEAT}{repeats}" if repeats else encoded


def static_view(items: Sequence[discord.ui.Item[discord.ui.View]]) -> discord.ui.View:
    """Components as a discord.py View used for their layout only, kept nowhere once sent."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    # Presses are routed by custom id to the dynamic items registered once on the client
    # (adapters/discord/buttons.py). A stopped View is not stored by discord.py when sent:
    # nothing is kept for any message, not even ephemeral ones' 15-minute timers.
    view.stop()
    return view


def components(rows: Rows) -> discord.ui.View:
    """Button rows, each intent under its custom id, each URL as a link button."""
    items: list[discord.ui.Item[discord.ui.View]] = []
    used: dict[str, int] = {}
    for number, row in enumerate(rows[:ROWS]):
        for button in row[:ROW_WIDTH]:
            label = cut(button.label, BUTTON_LABEL)
            if button.url is not None:
                items.append(discord.ui.Button(label=label, url=button.url, row=number))
            elif button.intent is not None:
                style = _STYLES.get(type(button.intent), discord.ButtonStyle.secondary)
                identifier = custom_id(button.intent, used)
                items.append(
                    discord.ui.Button(label=label, style=style, custom_id=identifier, row=number)
                )
    return static_view(items)
