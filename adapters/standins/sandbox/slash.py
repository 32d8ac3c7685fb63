"""Slash commands typed on one line, `/backit link name:maree-lampe`, read as Discord's box
reads them: a command, its subcommands, then options by name (the first may go unnamed)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from adapters.standins.discord import Guild, Role, User
from adapters.standins.discord.command_rules import SUB_COMMAND, SUB_COMMAND_GROUP
from adapters.standins.discord.records import Channel

Definition = dict[str, Any]
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10
_YES = frozenset({"true", "yes", "oui", "1"})
_NO = frozenset({"false", "no", "non", "0"})
_MENTION = re.compile(r"<[@#]?[!&]?([0-9]+)>")


class SlashError(ValueError):
    """A typed command Discord's box would not send; the message says why."""


@dataclass(frozen=True)
class TypedValue:
    """An option's value as typed, and where it starts in the line."""

    definition: Definition
    start: int
    text: str


@dataclass(frozen=True)
class TypedLine:
    """A line read as far as it goes: which part is being typed, and what is known so far."""

    text: str
    locale: str
    stage: Literal["command", "subcommand", "options"]
    # The command, subcommand or option being typed, and where that word starts.
    word: str
    word_start: int
    # Candidates for the word: commands, or the subcommands where the line is.
    candidates: list[Definition]
    command: Definition | None = None
    path: tuple[str, ...] = ()
    definitions: list[Definition] = field(default_factory=list)
    values: list[TypedValue] = field(default_factory=list)
    # Options named or given so far, in order; the last is the one being typed.
    open_value: TypedValue | None = None


@dataclass(frozen=True)
class SlashCall:
    """What to run: the command's default name, its subcommands, and option values by name."""

    command: str
    path: tuple[str, ...]
    options: dict[str, Any]


def read_line(text: str, commands: list[Definition], locale: str) -> TypedLine:
    """Read a typed line against the commands where it is typed; SlashError when it cannot be."""
    if not text.startswith("/"):
        raise SlashError("a command starts with /")
    word, end = _word(text, 1)
    if end == len(text):
        return TypedLine(text, locale, "command", word, 1, commands)
    command = _named(commands, word, locale)
    if command is None:
        raise SlashError(f"there is no command /{word} here")
    definitions: list[Definition] = command.get("options") or []
    path: list[str] = []
    while any(d["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for d in definitions):
        start = _skip_spaces(text, end)
        word, end = _word(text, start)
        subcommands = [d for d in definitions if d["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        if end == len(text):
            return TypedLine(text, locale, "subcommand", word, start, subcommands, command)
        found = _named(subcommands, word, locale)
        if found is None:
            shown = ", ".join(localized_name(d, locale) for d in subcommands)
            raise SlashError(f"/{localized_name(command, locale)} needs one of: {shown}")
        path.append(found["name"])
        definitions = found.get("options") or []
    values, open_value = _values(text, end, definitions, locale)
    return TypedLine(
        text,
        locale,
        "options",
        "",
        end,
        [],
        command,
        tuple(path),
        definitions,
        values,
        open_value,
    )


def command_for(
    text: str, commands: list[Definition], locale: str, guild: Guild | None
) -> SlashCall:
    """What sending the line runs, every value converted to its option's type; SlashError when
    a word names nothing, a value does not fit, or a required option is missing."""
    # Sending ends the last word, as a space would.
    line = read_line(text.rstrip() + " ", commands, locale)
    command = line.command
    assert command is not None, "a line read past its command names one"
    if line.stage == "subcommand":
        shown = ", ".join(localized_name(d, locale) for d in line.candidates)
        raise SlashError(f"/{localized_name(command, locale)} needs one of: {shown}")
    options = {
        value.definition["name"]: convert(value.definition, value.text, locale, guild)
        for value in line.values
    }
    for definition in line.definitions:
        if definition.get("required") and definition["name"] not in options:
            raise SlashError(f"{localized_name(definition, locale)} is required")
    return SlashCall(command["name"], line.path, options)


def convert(definition: Definition, text: str, locale: str, guild: Guild | None) -> Any:
    """A typed value as its option's type: a choice's value, a number, a channel..."""
    name = localized_name(definition, locale)
    if not text:
        raise SlashError(f"give a value for {name}")
    choices = definition.get("choices")
    if choices:
        return _choice(definition, text, locale)
    kind = definition["type"]
    if kind == STRING:
        return text
    if kind in (INTEGER, NUMBER):
        return _number(name, text, whole=kind == INTEGER)
    if kind == BOOLEAN:
        if text.lower() in _YES | _NO:
            return text.lower() in _YES
        raise SlashError(f"{name} is true or false")
    if guild is None:
        raise SlashError(f"{name} names something in a server; there is none in DMs")
    found = _entity(kind, text, guild)
    if found is None:
        raise SlashError(f"{name}: {guild.name} has no {_ENTITY_KINDS.get(kind, 'such')} {text}")
    return found


_ENTITY_KINDS = {USER: "member", CHANNEL: "channel", ROLE: "role", MENTIONABLE: "member or role"}


def _entity(kind: int, text: str, guild: Guild) -> User | Channel | Role | None:
    mention = _MENTION.fullmatch(text)
    wanted = text.lstrip("#@").lower()
    if kind == CHANNEL:
        for channel in guild.channels.values():
            if channel.name.lower() == wanted or (mention and int(mention[1]) == channel.id):
                return channel
        return None
    if kind in (USER, MENTIONABLE):
        for membership in guild.members.values():
            user = membership.user
            if user.name.lower() == wanted or (mention and int(mention[1]) == user.id):
                return user
    if kind in (ROLE, MENTIONABLE):
        for role in guild.roles.values():
            if role.name.lower().lstrip("@") == wanted or (mention and int(mention[1]) == role.id):
                return role
    return None


def _number(name: str, text: str, *, whole: bool) -> int | float:
    try:
        return int(text)
    except ValueError:
        if whole:
            raise SlashError(f"{name} is a whole number") from None
    try:
        return float(text)
    except ValueError:
        raise SlashError(f"{name} is a number") from None


def _choice(definition: Definition, text: str, locale: str) -> Any:
    wanted = text.lower()
    for choice in definition["choices"]:
        if wanted in (str(choice["value"]).lower(), localized_name(choice, locale).lower()):
            return choice["value"]
    shown = ", ".join(localized_name(choice, locale) for choice in definition["choices"])
    raise SlashError(f"{localized_name(definition, locale)} is one of: {shown}")


def _values(
    text: str, start: int, definitions: list[Definition], locale: str
) -> tuple[list[TypedValue], TypedValue | None]:
    """The options' values, named (`name:value`) or, for the first, unnamed."""
    rest = text[start:]
    by_name = {localized_name(d, locale).lower(): d for d in definitions}
    by_name.update({d["name"].lower(): d for d in definitions})
    matches = []
    if by_name:
        names = "|".join(re.escape(name) for name in sorted(by_name, key=len, reverse=True))
        pattern = re.compile(rf"(?:^|(?<=\s))({names}):", re.IGNORECASE)
        matches = list(pattern.finditer(rest))
    values: list[TypedValue] = []
    head_end = matches[0].start() if matches else len(rest)
    if rest[:head_end].strip():
        values.append(_typed(text, start, start + head_end, _unnamed(definitions)))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(rest)
        values.append(_typed(text, start + match.end(), start + end, by_name[match[1].lower()]))
    named = [value.definition["name"] for value in values]
    for name in named:
        if named.count(name) > 1:
            raise SlashError(f"{name} is given twice")
    if values:
        return values, values[-1]
    if rest and not rest.strip() and definitions:
        # A space after the command: the first option's value is being typed.
        unnamed = _unnamed(definitions)
        return values, TypedValue(unnamed, len(text), "")
    return values, None


def _typed(text: str, start: int, end: int, definition: Definition) -> TypedValue:
    begin = _skip_spaces(text, start)
    return TypedValue(definition, begin, text[begin:end].strip())


def _unnamed(definitions: list[Definition]) -> Definition:
    """The option a value given without a name goes to: the first required one, or the first."""
    if not definitions:
        raise SlashError("this command takes no options")
    return next((d for d in definitions if d.get("required")), definitions[0])


def _named(definitions: list[Definition], word: str, locale: str) -> Definition | None:
    wanted = word.lower()
    for definition in definitions:
        if wanted in (definition["name"].lower(), localized_name(definition, locale).lower()):
            return definition
    return None


def localized_name(definition: Definition, locale: str) -> str:
    """A command's, option's or choice's name as someone using that locale sees it."""
    localized = (definition.get("name_localizations") or {}).get(locale)
    return str(localized or definition["name"])


def localized_description(definition: Definition, locale: str) -> str:
    """A command's or option's description as someone using that locale sees it."""
    localized = (definition.get("description_localizations") or {}).get(locale)
    return str(localized or definition.get("description") or "")


def _word(text: str, start: int) -> tuple[str, int]:
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end], end


def _skip_spaces(text: str, start: int) -> int:
    while start < len(text) and text[start].isspace():
        start += 1
    return start
