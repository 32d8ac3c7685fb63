"""Your chats as they are now, as JSON for the page: what each stand-in holds, unchanged."""

from __future__ import annotations

from typing import Any

from adapters.standins.sandbox.places import DiscordPlaces, TelegramPlaces
from adapters.standins.sandbox.world import SandboxWorld
from adapters.standins.telegram import BotApiStandin

_MENU_SCOPES = {"private": "all_private_chats", "group": "all_group_chats"}


def snapshot(world: SandboxWorld) -> dict[str, Any]:
    """Every chat and message you can see, on both stand-ins, and the language you use."""
    return {
        "language": world.language,
        "telegram": _telegram(world.telegram, world.language),
        "discord": _discord(world.discord) if world.discord is not None else None,
    }


def _telegram(places: TelegramPlaces, language: str) -> dict[str, Any]:
    standin = places.standin
    bot = standin.bots[0]
    return {
        "bot": {"id": bot.id, "username": bot.username, "name": bot.first_name},
        "you": places.you.record.to_json(),
        "chats": [
            {
                "key": "private",
                "title": bot.first_name,
                "type": "private",
                "members": 2,
                "messages": standin.messages(places.private),
            },
            {
                "key": "group",
                "title": places.group.title,
                "type": places.group.type,
                # You, the others and the bot.
                "members": len(places.others) + 2,
                "messages": standin.messages(places.group),
            },
        ],
        "commands": {key: _menu(standin, scope, language) for key, scope in _MENU_SCOPES.items()},
    }


def _menu(standin: BotApiStandin, scope: str, language: str) -> list[dict[str, str]]:
    """The command menu Telegram's app shows: the one for your language, else the default."""
    return standin.commands({"type": scope}, language) or standin.commands({"type": scope})


def _discord(places: DiscordPlaces) -> dict[str, Any]:
    standin, guild, you = places.standin, places.guild, places.you
    return {
        "you": {"id": str(you.id), "name": you.name},
        "bot": {"id": str(standin.bot.id), "name": standin.bot.name},
        "guild": {"id": str(guild.id), "name": guild.name},
        "channels": [
            {
                "id": str(channel.id),
                "name": channel.name,
                "kind": "text" if channel.guild_id is not None else "dm",
                "messages": [
                    message.payload for message in standin.channel_messages(channel, viewer=you)
                ],
            }
            for channel in places.channels()
        ],
        # What mentions in messages (<@id>, <#id>, <@&id>) are shown as.
        "names": {
            "users": {str(m.user.id): m.user.name for m in guild.members.values()},
            "channels": {str(c.id): c.name for c in guild.channels.values()},
            "roles": {str(r.id): r.name for r in guild.roles.values()},
        },
    }
