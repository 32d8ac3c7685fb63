"""What Discord's box offers while a slash command is typed: commands, subcommands, option
names, choices and channels; the values only the bot knows are asked of the bot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.standins.discord import Guild
from adapters.standins.sandbox.slash import (
    CHANNEL,
    TypedLine,
    TypedValue,
    localized_description,
    localized_name,
)

# Discord's box shows at most 25 choices.
_CHOICES_SHOWN = 25


@dataclass(frozen=True)
class Suggestion:
    """A way to go on typing: `complete` is the whole line once it is picked."""

    label: str
    description: str
    complete: str
    # Whether Enter picks it, as Discord's box does for commands and option values.
    pick_on_enter: bool


def suggestions(line: TypedLine, guild: Guild | None) -> list[Suggestion]:
    """What Discord's box offers as you type, but the values only the bot knows."""
    if line.stage in ("command", "subcommand"):
        return _word_suggestions(line)
    typing = line.open_value
    if typing is not None and typing.definition.get("choices"):
        return _choice_suggestions(line, typing)
    if typing is not None and typing.definition["type"] == CHANNEL and guild is not None:
        return _channel_suggestions(line, typing, guild)
    if typing is not None and typing.text:
        return []
    given = {value.definition["name"] for value in line.values}
    prefix = line.text if line.text.endswith(" ") else line.text + " "
    return [
        Suggestion(
            f"{localized_name(d, line.locale)}:",
            localized_description(d, line.locale),
            f"{prefix}{localized_name(d, line.locale)}:",
            pick_on_enter=False,
        )
        for d in line.definitions
        if d["name"] not in given
    ]


def needs_the_bot(line: TypedLine) -> TypedValue | None:
    """The value being typed when its option asks the bot for choices (autocomplete)."""
    typing = line.open_value
    if line.stage == "options" and typing is not None and typing.definition.get("autocomplete"):
        return typing
    return None


def bot_suggestions(
    line: TypedLine, typing: TypedValue, choices: list[dict[str, Any]]
) -> list[Suggestion]:
    """The choices the bot offered for the value being typed, as ways to go on."""
    enter = bool(typing.text) or bool(typing.definition.get("required"))
    head = line.text[: typing.start]
    return [
        Suggestion(localized_name(choice, line.locale), "", f"{head}{choice['value']}", enter)
        for choice in choices[:_CHOICES_SHOWN]
    ]


def _word_suggestions(line: TypedLine) -> list[Suggestion]:
    head = line.text[: line.word_start]
    typed = line.word.lower()
    return [
        Suggestion(
            f"{head}{localized_name(d, line.locale)}".strip(),
            localized_description(d, line.locale),
            f"{head}{localized_name(d, line.locale)} ",
            pick_on_enter=True,
        )
        for d in line.candidates
        if localized_name(d, line.locale).lower().startswith(typed)
    ][:_CHOICES_SHOWN]


def _channel_suggestions(line: TypedLine, typing: TypedValue, guild: Guild) -> list[Suggestion]:
    typed = typing.text.lstrip("#").lower()
    head = line.text[: typing.start]
    return [
        Suggestion(f"#{channel.name}", "", f"{head}#{channel.name}", pick_on_enter=bool(typed))
        for channel in guild.channels.values()
        if typed in channel.name.lower()
    ][:_CHOICES_SHOWN]


def _choice_suggestions(line: TypedLine, typing: TypedValue) -> list[Suggestion]:
    typed = typing.text.lower()
    enter = bool(typed) or bool(typing.definition.get("required"))
    head = line.text[: typing.start]
    return [
        Suggestion(localized_name(choice, line.locale), "", f"{head}{choice['value']}", enter)
        for choice in typing.definition["choices"]
        if typed in localized_name(choice, line.locale).lower()
        or typed in str(choice["value"]).lower()
    ][:_CHOICES_SHOWN]
