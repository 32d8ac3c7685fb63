"""The bot's own settings: who it is, its command menus, descriptions, and its files."""

from __future__ import annotations

import re
from typing import Any

from adapters.standins.telegram.accounts import BotAccount, CommandsKey
from adapters.standins.telegram.errors import bad_request
from adapters.standins.telegram.methods.call import Handler, MethodCall
from adapters.standins.telegram.parameters import Arguments

COMMANDS_LIMIT = 100
DESCRIPTION_LIMIT = 512
SHORT_DESCRIPTION_LIMIT = 120
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"[a-z]{2}")
_SCOPES_WITH_CHAT = frozenset({"chat", "chat_administrators", "chat_member"})
SCOPE_TYPES = frozenset(
    {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
    | _SCOPES_WITH_CHAT
)


async def get_me(call: MethodCall) -> dict[str, Any]:
    """The bot's User, with the fields only getMe carries."""
    return call.bot.me()


async def set_my_commands(call: MethodCall) -> bool:
    """Set the command menu of one scope and language; an empty list removes it."""
    commands = call.args.json("commands")
    if not isinstance(commands, list) or len(commands) > COMMANDS_LIMIT:
        raise bad_request("can't parse commands JSON object")
    checked = [_command(command) for command in commands]
    key = _commands_key(call.args)
    if checked:
        call.bot.commands[key] = checked
    else:
        call.bot.commands.pop(key, None)
    return True


async def get_my_commands(call: MethodCall) -> list[dict[str, str]]:
    """The command menu of exactly that scope and language, without falling back."""
    return [dict(command) for command in call.bot.commands.get(_commands_key(call.args), [])]


async def delete_my_commands(call: MethodCall) -> bool:
    """Remove the command menu of one scope and language."""
    call.bot.commands.pop(_commands_key(call.args), None)
    return True


async def set_my_description(call: MethodCall) -> bool:
    """Set what an empty chat with the bot shows, per language; empty removes it."""
    _describe(call, call.bot.descriptions, "description", DESCRIPTION_LIMIT)
    return True


async def get_my_description(call: MethodCall) -> dict[str, str]:
    """The BotDescription of a language."""
    language = _language(call.args)
    return {"description": call.bot.descriptions.get(language, "")}


async def set_my_short_description(call: MethodCall) -> bool:
    """Set the bot's profile blurb, per language; empty removes it."""
    _describe(call, call.bot.short_descriptions, "short_description", SHORT_DESCRIPTION_LIMIT)
    return True


async def get_my_short_description(call: MethodCall) -> dict[str, str]:
    """The BotShortDescription of a language."""
    language = _language(call.args)
    return {"short_description": call.bot.short_descriptions.get(language, "")}


async def get_file(call: MethodCall) -> dict[str, Any]:
    """The File behind a file id; uploaded files have a download path."""
    stored = call.state.files.get(call.args.string("file_id"))
    if stored is None:
        raise bad_request("invalid file_id")
    file: dict[str, Any] = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    if stored.data is not None:
        file["file_size"] = len(stored.data)
        file["file_path"] = stored.file_path
    return file


def commands_key(scope: Any, language_code: str) -> CommandsKey:
    """Where a command menu is kept: its scope's type, chat and user, and its language."""
    if scope is None:
        scope = {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = scope["type"]
    chat_id = scope.get("chat_id")
    user_id = scope.get("user_id")
    if kind in _SCOPES_WITH_CHAT and chat_id is None:
        raise bad_request("chat_id is empty")
    if kind == "chat_member" and user_id is None:
        raise bad_request("invalid user_id specified")
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        chat_id = int(chat_id)
    return (kind, chat_id, int(user_id) if user_id is not None else None), language_code


def _commands_key(args: Arguments) -> CommandsKey:
    return commands_key(args.json("scope"), _language(args))


def _command(command: Any) -> dict[str, str]:
    if not isinstance(command, dict):
        raise bad_request("can't parse BotCommand JSON object")
    name, description = command.get("command"), command.get("description")
    if not isinstance(name, str) or not _COMMAND.fullmatch(name):
        raise bad_request("BOT_COMMAND_INVALID")
    if not isinstance(description, str) or not 1 <= len(description) <= 256:
        raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return {"command": name, "description": description}


def _language(args: Arguments) -> str:
    language = args.optional_string("language_code") or ""
    if language and not _LANGUAGE.fullmatch(language):
        raise bad_request("invalid language code specified")
    return language


def _describe(call: MethodCall, store: dict[str, str], name: str, limit: int) -> None:
    text = call.args.optional_string(name) or ""
    if len(text) > limit:
        raise bad_request(f"{name.replace('_', ' ')} is too long")
    language = _language(call.args)
    if text:
        store[language] = text
    else:
        store.pop(language, None)


def menu(bot: BotAccount, scope: Any, language_code: str) -> list[dict[str, str]]:
    """A bot's command menu for one scope and language, as the driver reads it."""
    return [dict(command) for command in bot.commands.get(commands_key(scope, language_code), [])]


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setMyDescription": set_my_description,
    "getMyDescription": get_my_description,
    "setMyShortDescription": set_my_short_description,
    "getMyShortDescription": get_my_short_description,
    "getFile": get_file,
}
