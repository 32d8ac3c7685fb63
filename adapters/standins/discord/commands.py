"""Application commands: the ones Discord keeps for the bot, globally and per server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.standins.discord.command_rules import CHAT_INPUT, check_commands
from adapters.standins.discord.snowflakes import Snowflakes


@dataclass
class Command:
    """A synced command, as Discord returns it."""

    payload: dict[str, Any]

    @property
    def id(self) -> int:
        """The command's snowflake, kept across overwrites."""
        return int(self.payload["id"])

    @property
    def name(self) -> str:
        """Its default name."""
        name: str = self.payload["name"]
        return name

    def called(self, name: str, locale: str) -> bool:
        """Whether a person using `locale` sees it under `name`."""
        localized = (self.payload.get("name_localizations") or {}).get(locale)
        return name in (self.name, localized)


class CommandRegistry:
    """The application's global commands and its per-server commands."""

    def __init__(self, ids: Snowflakes, application_id: int) -> None:
        self._ids = ids
        self._application_id = application_id
        self._scopes: dict[int | None, dict[tuple[int, str], Command]] = {None: {}}

    def overwrite(self, guild_id: int | None, body: Any) -> list[Command]:
        """Replace a scope's commands, as `PUT .../commands` does; ids survive for kept names."""
        check_commands(body)
        previous = self._scopes.get(guild_id, {})
        updated: dict[tuple[int, str], Command] = {}
        for definition in body:
            key = (definition.get("type") or CHAT_INPUT, definition["name"])
            earlier = previous.get(key)
            rendered = render_command(definition, self._application_id, guild_id)
            if earlier is not None and _same(earlier.payload, rendered):
                updated[key] = earlier
                continue
            command_id = earlier.id if earlier is not None else self._ids.next()
            rendered.update(id=str(command_id), version=str(self._ids.next()))
            updated[key] = Command(rendered)
        self._scopes[guild_id] = updated
        return list(updated.values())

    def listing(self, guild_id: int | None) -> list[Command]:
        """A scope's commands."""
        return list(self._scopes.get(guild_id, {}).values())

    def find(self, name: str, *, guild_id: int | None, locale: str) -> Command | None:
        """The slash command a person would pick by that name: a server's own first."""
        scopes = ([] if guild_id is None else [guild_id]) + [None]
        for scope in scopes:
            for command in self._scopes.get(scope, {}).values():
                if command.payload["type"] == CHAT_INPUT and command.called(name, locale):
                    return command
        return None


def render_command(
    definition: dict[str, Any], application_id: int, guild_id: int | None
) -> dict[str, Any]:
    """A command definition as Discord returns it (without its id and version)."""
    permissions = definition.get("default_member_permissions")
    rendered: dict[str, Any] = {
        "application_id": str(application_id),
        "type": definition.get("type") or CHAT_INPUT,
        "name": definition["name"],
        "description": definition.get("description") or "",
        "default_member_permissions": None if permissions is None else str(permissions),
        "contexts": definition.get("contexts"),
        "integration_types": definition.get("integration_types") or [0],
        "nsfw": bool(definition.get("nsfw")),
    }
    for key in ("name_localizations", "description_localizations"):
        if definition.get(key) is not None:
            rendered[key] = definition[key]
    if guild_id is None:
        rendered["dm_permission"] = definition.get("dm_permission") is not False
    else:
        rendered["guild_id"] = str(guild_id)
    if definition.get("options"):
        rendered["options"] = [_render_option(option) for option in definition["options"]]
    return rendered


def _render_option(option: dict[str, Any]) -> dict[str, Any]:
    rendered = {
        key: value for key, value in option.items() if value is not None and key != "options"
    }
    if not rendered.get("required"):
        rendered.pop("required", None)
    if option.get("options"):
        rendered["options"] = [_render_option(inner) for inner in option["options"]]
    if "choices" in rendered:
        rendered["choices"] = [
            {k: v for k, v in c.items() if v is not None} for c in rendered["choices"]
        ]
    return rendered


def _same(kept: dict[str, Any], rendered: dict[str, Any]) -> bool:
    unchanged = {key: value for key, value in kept.items() if key not in ("id", "version")}
    return unchanged == rendered
