"""Discord's rules for application commands, as checked on a bulk overwrite."""

from __future__ import annotations

import unicodedata
from typing import Any

from adapters.standins.discord.contract import JsonPath
from adapters.standins.discord.errors import DiscordError, FormErrors, invalid_form
from adapters.standins.discord.locales import LOCALES

CHAT_INPUT = 1
SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
STRING, INTEGER, NUMBER, CHANNEL = 3, 4, 10, 7
OPTION_TYPES = frozenset(range(1, 12))
_CHOOSABLE = frozenset({STRING, INTEGER, NUMBER})
_MAX_COMMANDS = {1: 100, 2: 15, 3: 15, 4: 1}
_MAX_SIZE = 8000
_CHANNEL_TYPES = frozenset({0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 16})
# Scripts whose combining marks Discord accepts in names, beside letters and digits.
_MARK_BLOCKS = ((0x0900, 0x097F), (0x0E00, 0x0E7F))


def check_commands(body: Any) -> None:
    """Check a bulk overwrite as Discord does; a 400 error when it fails."""
    form = FormErrors()
    if not isinstance(body, list):
        form.wrong_type((), "array", body)
        raise invalid_form(form.tree)
    counts: dict[int, int] = {}
    seen: set[tuple[int, str]] = set()
    for index, definition in enumerate(body):
        if not isinstance(definition, dict):
            form.wrong_type((index,), "object", definition)
            continue
        kind = definition.get("type") or CHAT_INPUT
        counts[kind] = counts.get(kind, 0) + 1
        _check_command(form, definition, kind, (index,))
        key = (kind, str(definition.get("name")))
        if key in seen:
            form.add(
                (index, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        seen.add(key)
        if _size(definition) > _MAX_SIZE:
            form.add(
                (index,),
                "APPLICATION_COMMAND_TOO_LARGE",
                f"Command exceeds maximum size ({_MAX_SIZE})",
            )
    form.raise_if_any()
    for kind, count in counts.items():
        if count > _MAX_COMMANDS.get(kind, 0):
            limit = _MAX_COMMANDS.get(kind, 0)
            raise DiscordError(
                400, 30032, f"Maximum number of application commands reached ({limit})"
            )


def valid_name(name: str) -> bool:
    """Whether a slash command or option name passes Discord's naming rule (lowercase included)."""
    if not 1 <= len(name) <= 32 or name != name.lower():
        return False
    return all(_name_character(character) for character in name)


def _name_character(character: str) -> bool:
    if character in "-_'":
        return True
    if unicodedata.category(character)[0] in "LN":
        return True
    code = ord(character)
    return any(low <= code <= high for low, high in _MARK_BLOCKS)


def _check_command(form: FormErrors, definition: dict[str, Any], kind: int, path: JsonPath) -> None:
    if kind not in _MAX_COMMANDS:
        form.add((*path, "type"), "ENUM_TYPE_COERCE", f"Value {kind!r} is not a valid enum value.")
    name = definition.get("name")
    slash = kind == CHAT_INPUT
    _check_name(form, name, (*path, "name"), slash=slash)
    description = definition.get("description")
    if slash:
        _check_text(form, description, (*path, "description"), 1, 100)
    elif description:
        form.too_long((*path, "description"), 0)
    _check_localizations(form, definition, path, slash=slash)
    options = definition.get("options")
    if options and not slash:
        form.add(
            (*path, "options"),
            "APPLICATION_COMMAND_OPTIONS_INVALID",
            "Only slash commands take options.",
        )
    elif options is not None:
        _check_options(form, options, (*path, "options"), level="command")
    permissions = definition.get("default_member_permissions")
    if permissions is not None and not (
        (isinstance(permissions, int) and not isinstance(permissions, bool))
        or (isinstance(permissions, str) and permissions.isdigit())
    ):
        form.wrong_type((*path, "default_member_permissions"), "integer", permissions)
    for key, allowed in (("contexts", {0, 1, 2}), ("integration_types", {0, 1})):
        values = definition.get(key)
        if values is not None and (not isinstance(values, list) or not set(values) <= allowed):
            form.add((*path, key), "ENUM_TYPE_COERCE", f"Values must be among {sorted(allowed)}.")


def _check_options(form: FormErrors, options: Any, path: JsonPath, *, level: str) -> None:
    if not isinstance(options, list):
        form.wrong_type(path, "array", options)
        return
    if len(options) > 25:
        form.too_long(path, 25)
    kinds = [option.get("type") if isinstance(option, dict) else None for option in options]
    nesting = {SUB_COMMAND, SUB_COMMAND_GROUP}
    allowed = {
        "command": OPTION_TYPES,
        "group": {SUB_COMMAND},
        "subcommand": OPTION_TYPES - nesting,
    }
    if (
        level == "command"
        and any(k in nesting for k in kinds)
        and not all(k in nesting for k in kinds)
    ):
        form.add(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Subcommands cannot sit beside options.",
        )
    names: set[str] = set()
    optional_seen = False
    for index, option in enumerate(options):
        where = (*path, index)
        if not isinstance(option, dict):
            form.wrong_type(where, "object", option)
            continue
        kind: int = option.get("type", 0)
        if kind not in allowed[level]:
            form.add(
                (*where, "type"),
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                f"Option type {kind!r} is not allowed here.",
            )
            continue
        _check_name(form, option.get("name"), (*where, "name"), slash=True)
        _check_text(form, option.get("description"), (*where, "description"), 1, 100)
        _check_localizations(form, option, where, slash=True)
        if option.get("name") in names:
            form.add(
                (*where, "name"),
                "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME",
                "Option names must be unique",
            )
        names.add(option.get("name", ""))
        if kind in nesting:
            _check_options(
                form,
                option.get("options") or [],
                (*where, "options"),
                level="group" if kind == SUB_COMMAND_GROUP else "subcommand",
            )
            continue
        if option.get("required") and optional_seen:
            form.add(
                (*where, "required"),
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            )
        optional_seen = optional_seen or not option.get("required")
        _check_option_details(form, option, kind, where)


def _check_option_details(
    form: FormErrors, option: dict[str, Any], kind: int, path: JsonPath
) -> None:
    choices = option.get("choices")
    if choices and kind not in _CHOOSABLE:
        form.add(
            (*path, "choices"),
            "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
            "This option type takes no choices.",
        )
    if choices and option.get("autocomplete"):
        form.add(
            (*path, "autocomplete"),
            "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES_CONFLICT",
            "Autocomplete and choices are mutually exclusive.",
        )
    if option.get("autocomplete") and kind not in _CHOOSABLE:
        form.add(
            (*path, "autocomplete"),
            "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
            "This option type cannot autocomplete.",
        )
    if isinstance(choices, list):
        if len(choices) > 25:
            form.too_long((*path, "choices"), 25)
        for index, choice in enumerate(choices):
            _check_choice(form, choice, kind, (*path, "choices", index))
    for key, low, high in (("min_length", 0, 6000), ("max_length", 1, 6000)):
        bound = option.get(key)
        if bound is not None and (
            kind != STRING or not isinstance(bound, int) or not low <= bound <= high
        ):
            form.add((*path, key), "NUMBER_TYPE_MAX", f"Value should be between {low} and {high}.")
    for key in ("min_value", "max_value"):
        bound = option.get(key)
        if bound is not None and (
            kind not in (INTEGER, NUMBER) or not isinstance(bound, int | float)
        ):
            form.add((*path, key), "NUMBER_TYPE_COERCE", "Only numeric options take bounds.")
    channel_types = option.get("channel_types")
    if channel_types is not None and (kind != CHANNEL or not set(channel_types) <= _CHANNEL_TYPES):
        form.add((*path, "channel_types"), "ENUM_TYPE_COERCE", "Invalid channel types.")


def check_choice_value(value: Any, kind: int) -> bool:
    """Whether a choice's value has the option's type."""
    if kind == STRING:
        return isinstance(value, str) and len(value) <= 100
    if kind == INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_choice(form: FormErrors, choice: Any, kind: int, path: JsonPath) -> None:
    if not isinstance(choice, dict):
        form.wrong_type(path, "object", choice)
        return
    _check_text(form, choice.get("name"), (*path, "name"), 1, 100)
    if not check_choice_value(choice.get("value"), kind):
        form.add(
            (*path, "value"),
            "APPLICATION_COMMAND_OPTION_CHOICE_VALUE_INVALID",
            "Choice value does not match the option type.",
        )
    localizations = choice.get("name_localizations") or {}
    for locale, text in localizations.items():
        _check_locale(form, locale, (*path, "name_localizations", locale))
        _check_text(form, text, (*path, "name_localizations", locale), 1, 100)


def _check_name(form: FormErrors, name: Any, path: JsonPath, *, slash: bool) -> None:
    if not isinstance(name, str):
        form.required(path)
    elif not 1 <= len(name) <= 32:
        form.length_between(path, 1, 32)
    elif slash and not valid_name(name):
        form.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _check_localizations(
    form: FormErrors, definition: dict[str, Any], path: JsonPath, *, slash: bool
) -> None:
    for key, high in (("name_localizations", 32), ("description_localizations", 100)):
        localizations = definition.get(key)
        if localizations is None:
            continue
        if not isinstance(localizations, dict):
            form.wrong_type((*path, key), "object", localizations)
            continue
        for locale, text in localizations.items():
            where = (*path, key, locale)
            _check_locale(form, locale, where)
            if key == "name_localizations":
                _check_name(form, text, where, slash=slash)
            else:
                _check_text(form, text, where, 1, high)


def _check_locale(form: FormErrors, locale: str, path: JsonPath) -> None:
    if locale not in LOCALES:
        form.add(path, "ENUM_TYPE_COERCE", f"Value {locale!r} is not a valid enum value.")


def _check_text(form: FormErrors, text: Any, path: JsonPath, low: int, high: int) -> None:
    if not isinstance(text, str):
        form.required(path)
    elif not low <= len(text) <= high:
        form.length_between(path, low, high)


def _size(definition: dict[str, Any]) -> int:
    # Discord counts the names, descriptions, localizations and choices of a command together.
    total = len(definition.get("name") or "") + len(definition.get("description") or "")
    for key in ("name_localizations", "description_localizations"):
        total += sum(len(text) for text in (definition.get(key) or {}).values())
    for choice in definition.get("choices") or []:
        total += len(str(choice.get("name"))) + len(str(choice.get("value")))
    return total + sum(_size(option) for option in definition.get("options") or [])
