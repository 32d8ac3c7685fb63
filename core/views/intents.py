"""Intents: what a button asks core to do, in a compact text form that fits button data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from core.errors import DomainError
from core.i18n import N_
from core.ids import parse_id

# Telegram's callback data holds 64 bytes; Discord's custom_id 100 characters.
MAX_ENCODED = 64
_ARG = re.compile(r"^[A-Za-z0-9_-]{0,24}$")


class Action(StrEnum):
    """The things a button can ask for; values are short to save button bytes."""

    SHOW = "s"
    PLEDGE = "p"
    PLEDGE_CUSTOM = "c"
    FOLLOW = "f"
    UNFOLLOW = "u"
    BROWSE = "b"
    CANCEL_PLEDGE = "x"
    CONFIRM_CANCEL = "y"
    LANGUAGE = "l"
    CATEGORIES = "k"
    UPDATES = "n"
    MANAGE = "m"
    POST_UPDATE = "o"
    AMBASSADORS = "r"
    # A campaign picked from a list for a command: the command, then the campaign's id.
    PICK = "w"
    CHANGE_PLEDGE = "g"
    CHANGE_TO = "t"
    CHANGE_AMOUNT = "a"


class StaleButton(DomainError):
    """Button data that is malformed or no longer means anything."""

    template = N_("This button has expired. Please open the campaign again.")


@dataclass(frozen=True, slots=True)
class Intent:
    """An action with short arguments (ids, sort keys, offsets)."""

    action: Action
    args: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not all(_ARG.match(arg) for arg in self.args):
            raise ValueError(f"intent arguments must be short and plain: {self.args!r}")
        if len(self.encode()) > MAX_ENCODED:
            raise ValueError(f"intent too long for button data: {self.encode()!r}")

    def encode(self) -> str:
        """The text to put in callback data or a custom id."""
        return ":".join((self.action.value, *self.args))

    @classmethod
    def decode(cls, data: str) -> Intent:
        """Read button data back; anything malformed is a stale button."""
        action, *args = data.split(":")
        try:
            return cls(Action(action), tuple(args))
        except ValueError as error:
            raise StaleButton() from error

    def int_arg(self, index: int) -> int:
        """An argument that must be a non-negative integer id or offset."""
        try:
            value = self.args[index]
        except IndexError:
            raise StaleButton() from None
        number = parse_id(value)
        if number is None:
            raise StaleButton()
        return number
