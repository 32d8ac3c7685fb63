"""INTERACTION_CREATE payloads as Discord builds them when a person uses a command or component."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.standins.discord import payloads, permissions
from adapters.standins.discord.attachments import (
    ATTACHMENT_SIZE_LIMIT,
    Upload,
    attachment_object,
)
from adapters.standins.discord.command_rules import SUB_COMMAND, SUB_COMMAND_GROUP
from adapters.standins.discord.commands import Command
from adapters.standins.discord.records import Channel, Guild, Role, User
from adapters.standins.discord.world import World

_GUILD_CONTEXT, _BOT_DM_CONTEXT = 0, 1
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)


class ActionRefused(Exception):
    """Something a person could not do in Discord's client, such as pressing a disabled button."""


@dataclass(frozen=True)
class Place:
    """Who acts and where: a person in a server channel, or in their DM with the bot."""

    user: User
    channel: Channel
    guild: Guild | None

    def permissions(self, channel: Channel | None = None) -> int:
        """The person's permissions in the channel (every DM permission in a DM)."""
        if self.guild is None:
            return permissions.ALL
        return permissions.channel_permissions(self.guild, channel or self.channel, self.user.id)


def interaction_payload(
    world: World, place: Place, *, interaction_id: int, token: str, kind: int, data: dict[str, Any]
) -> dict[str, Any]:
    """Every field Discord puts in an interaction, for a person in a place."""
    channel, guild, user = place.channel, place.guild, place.user
    recipient = world.users.get(channel.recipient_id or 0)
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(world.application.id),
        "type": kind,
        "token": token,
        "version": 1,
        "data": data,
        "channel_id": str(channel.id),
        "channel": payloads.channel_object(
            channel, recipient=recipient, permissions=place.permissions()
        ),
        "locale": user.locale,
        "app_permissions": str(world.bot_permissions(channel)),
        "entitlements": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        # Installed to the server, the owner is the server; in the bot's DMs Discord writes "0".
        "authorizing_integration_owners": {"0": str(guild.id) if guild else "0"},
        "context": _GUILD_CONTEXT if guild else _BOT_DM_CONTEXT,
    }
    if guild is None:
        payload["user"] = payloads.user_object(user)
        return payload
    payload.update(
        guild_id=str(guild.id),
        guild_locale=guild.preferred_locale,
        guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
        member=payloads.member_object(guild.members[user.id], permissions=place.permissions()),
    )
    return payload


def command_data(
    world: World,
    place: Place,
    command: Command,
    path: list[str],
    values: Mapping[str, Any],
    *,
    focused: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """The `data` of a slash command (or, with `focused`, of its autocomplete)."""
    definitions: list[dict[str, Any]] = command.payload.get("options") or []
    chain: list[dict[str, Any]] = []
    for name in path:
        step = next(
            (
                o
                for o in definitions
                if o["name"] == name and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
            ),
            None,
        )
        if step is None:
            raise ActionRefused(f"/{command.name} has no subcommand {' '.join(path)!r}")
        chain.append(step)
        definitions = step.get("options") or []
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in definitions):
        raise ActionRefused(
            f"/{command.name} needs a subcommand: {[o['name'] for o in definitions]}"
        )
    resolved: dict[str, dict[str, Any]] = {}
    options = _option_values(
        world, place, definitions, values, resolved, partial=focused is not None
    )
    if focused is not None:
        name, typed = focused
        definition = _definition(definitions, name)
        if not definition.get("autocomplete"):
            raise ActionRefused(f"option {name!r} of /{command.name} does not autocomplete")
        options.append({"type": definition["type"], "name": name, "value": typed, "focused": True})
    for step in reversed(chain):
        options = [{"type": step["type"], "name": step["name"], "options": options}]
    data: dict[str, Any] = {
        "id": str(command.id),
        "name": command.name,
        "type": 1,
        "options": options,
    }
    if resolved:
        data["resolved"] = resolved
    if "guild_id" in command.payload:
        data["guild_id"] = command.payload["guild_id"]
    return data


def check_may_use(place: Place, command: Command) -> None:
    """Refuse as Discord's client would when the person may not see or use the command."""
    context = _GUILD_CONTEXT if place.guild else _BOT_DM_CONTEXT
    contexts = command.payload.get("contexts")
    if (contexts is not None and context not in contexts) or (
        place.guild is None and command.payload.get("dm_permission") is False
    ):
        raise ActionRefused(
            f"/{command.name} cannot be used {'in servers' if place.guild else 'in DMs'}"
        )
    if place.guild is None:
        return
    granted = place.permissions()
    if not granted & permissions.USE_APPLICATION_COMMANDS:
        raise ActionRefused(
            f"{place.user.name} may not use application commands in #{place.channel.name}"
        )
    needed = command.payload.get("default_member_permissions")
    allowed_for = place.guild.command_grants.get(command.name, set())
    if needed is None or place.user.id in allowed_for or granted == permissions.ALL:
        return
    # "0" hides a command from everyone but administrators.
    if int(needed) == 0 or granted & int(needed) != int(needed):
        raise ActionRefused(
            f"Discord hides /{command.name} from {place.user.name}: it needs permissions {needed}"
        )


def _definition(definitions: list[dict[str, Any]], name: str) -> dict[str, Any]:
    for definition in definitions:
        if definition["name"] == name:
            return definition
    raise ActionRefused(
        f"no option named {name!r}; the command has {[d['name'] for d in definitions]}"
    )


def _option_values(
    world: World,
    place: Place,
    definitions: list[dict[str, Any]],
    values: Mapping[str, Any],
    resolved: dict[str, dict[str, Any]],
    *,
    partial: bool,
) -> list[dict[str, Any]]:
    for name in values:
        _definition(definitions, name)
    options = []
    for definition in definitions:
        name = definition["name"]
        if name not in values:
            if definition.get("required") and not partial:
                raise ActionRefused(f"option {name!r} is required")
            continue
        value = _option_value(world, place, definition, values[name], resolved)
        options.append({"type": definition["type"], "name": name, "value": value})
    return options


def _option_value(
    world: World,
    place: Place,
    definition: dict[str, Any],
    value: Any,
    resolved: dict[str, dict[str, Any]],
) -> Any:
    kind, name = definition["type"], definition["name"]
    choices = definition.get("choices")
    if choices and value not in [choice["value"] for choice in choices]:
        raise ActionRefused(f"{value!r} is not one of the choices of {name!r}")
    if kind == STRING:
        low, high = definition.get("min_length", 0), definition.get("max_length", 6000)
        if not isinstance(value, str) or not low <= len(value) <= high:
            raise ActionRefused(f"option {name!r} takes text of {low} to {high} characters")
        return value
    if kind in (INTEGER, NUMBER):
        number_types: tuple[type, ...] = (int,) if kind == INTEGER else (int, float)
        if isinstance(value, bool) or not isinstance(value, number_types):
            raise ActionRefused(f"option {name!r} takes a number")
        if value < definition.get("min_value", value) or value > definition.get("max_value", value):
            raise ActionRefused(f"{value} is out of the bounds of {name!r}")
        return value
    if kind == BOOLEAN:
        if not isinstance(value, bool):
            raise ActionRefused(f"option {name!r} takes true or false")
        return value
    if kind == ATTACHMENT:
        return _attached(world, name, value, resolved)
    return _entity(place, definition, value, resolved)


def _attached(world: World, name: str, value: Any, resolved: dict[str, dict[str, Any]]) -> str:
    """A file the person picked for an attachment option: uploaded to the CDN by their client
    first, and resolved in the interaction as an ephemeral attachment."""
    if not isinstance(value, Upload):
        raise ActionRefused(f"option {name!r} takes a file")
    if len(value.data) > ATTACHMENT_SIZE_LIMIT:
        raise ActionRefused(f"Discord's client refuses {value.filename!r}: it is over the limit")
    stored = world.attachments.keep(value)
    attachment = attachment_object(stored, world.files_origin)
    resolved.setdefault("attachments", {})[str(stored.id)] = {**attachment, "ephemeral": True}
    return str(stored.id)


def _entity(
    place: Place, definition: dict[str, Any], value: Any, resolved: dict[str, dict[str, Any]]
) -> str:
    kind, name = definition["type"], definition["name"]
    if kind in (USER, MENTIONABLE) and isinstance(getattr(value, "user", value), User):
        user: User = getattr(value, "user", value)
        resolved.setdefault("users", {})[str(user.id)] = payloads.user_object(user)
        if place.guild is not None and user.id in place.guild.members:
            granted = permissions.channel_permissions(place.guild, place.channel, user.id)
            member = payloads.member_object(
                place.guild.members[user.id], permissions=granted, with_user=False
            )
            resolved.setdefault("members", {})[str(user.id)] = member
        return str(user.id)
    if kind in (ROLE, MENTIONABLE) and isinstance(value, Role):
        resolved.setdefault("roles", {})[str(value.id)] = payloads.role_object(value)
        return str(value.id)
    if kind == CHANNEL and isinstance(value, Channel):
        allowed = definition.get("channel_types")
        if allowed is not None and value.type not in allowed:
            raise ActionRefused(f"#{value.name} is not a kind of channel {name!r} takes")
        channel = payloads.channel_object(value, permissions=place.permissions(value))
        resolved.setdefault("channels", {})[str(value.id)] = channel
        return str(value.id)
    raise ActionRefused(f"option {name!r} cannot take {value!r}")
