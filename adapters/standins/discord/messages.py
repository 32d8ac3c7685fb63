"""Message bodies: Discord's checks on what a bot sends, mentions, and the messages it stores."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from adapters.standins.discord import payloads, permissions
from adapters.standins.discord.components import check_message_components, render_components
from adapters.standins.discord.embeds import check_embeds, render_embeds
from adapters.standins.discord.errors import DiscordError, FormErrors
from adapters.standins.discord.records import EPHEMERAL, LOADING, Channel, Message, User
from adapters.standins.discord.snowflakes import timestamp
from adapters.standins.discord.world import World

MAX_CONTENT = 2000
SUPPRESS_EMBEDS = 1 << 2
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_COMPONENTS_V2 = 1 << 15
# The only flags a bot may set; Discord ignores the others.
SETTABLE_FLAGS = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_COMPONENTS_V2
MENTION_KINDS = frozenset({"users", "roles", "everyone"})
_USER = re.compile(r"<@!?([0-9]+)>")
_ROLE = re.compile(r"<@&([0-9]+)>")
_EVERYONE = re.compile(r"@(everyone|here)\b")
# Parts of Discord's message API the stand-in does not model; it says so rather than pretend.
_UNSUPPORTED = ("sticker_ids", "poll", "message_reference")


@dataclass(frozen=True)
class Draft:
    """A message body that passed Discord's checks, with only the fields it set."""

    fields: dict[str, Any]

    @property
    def flags(self) -> int:
        """The flags it asks for (0 when it sets none)."""
        flags: int = self.fields.get("flags") or 0
        return flags


def read_draft(body: Any, *, ephemeral_allowed: bool, partial: bool = False) -> Draft:
    """Check a message body as Discord does; a 400 error when it fails."""
    if not isinstance(body, dict):
        raise DiscordError(400, 50109, "The request body contains invalid JSON.")
    form = FormErrors()
    content = body.get("content")
    if content is not None:
        if not isinstance(content, str):
            form.wrong_type(("content",), "string", content)
        elif len(content) > MAX_CONTENT:
            form.too_long(("content",), MAX_CONTENT)
    check_embeds(form, body.get("embeds"))
    check_message_components(form, body.get("components"))
    _check_allowed_mentions(form, body.get("allowed_mentions"))
    for name in _UNSUPPORTED:
        if body.get(name):
            form.add((name,), "STANDIN_UNSUPPORTED", f"The Discord stand-in does not model {name}.")
    flags = body.get("flags")
    if flags is not None and not isinstance(flags, int):
        form.wrong_type(("flags",), "integer", flags)
    elif (flags or 0) & IS_COMPONENTS_V2:
        form.add(
            ("flags",), "STANDIN_UNSUPPORTED", "The Discord stand-in does not model components v2."
        )
    form.raise_if_any()
    fields = {
        key: body[key]
        # The API's middleware has already matched `attachments` to the files they name.
        for key in ("content", "embeds", "components", "allowed_mentions", "nonce", "attachments")
        if key in body
    }
    if flags is not None:
        fields["flags"] = flags & (SETTABLE_FLAGS | (EPHEMERAL if ephemeral_allowed else 0))
    if not partial and not (
        fields.get("content")
        or fields.get("embeds")
        or fields.get("components")
        or fields.get("attachments")
    ):
        raise DiscordError(400, 50006, "Cannot send an empty message")
    return Draft(fields)


def compose(
    world: World,
    channel: Channel,
    draft: Draft,
    *,
    author: User,
    message_type: int = 0,
    extra: dict[str, Any] | None = None,
    visible_to: int | None = None,
    interaction_id: int | None = None,
) -> Message:
    """A new message in `channel` from a checked draft (not yet stored)."""
    fields = draft.fields
    content: str = fields.get("content") or ""
    allowed = fields.get("allowed_mentions")
    payload: dict[str, Any] = {
        "id": str(world.ids.next()),
        "type": message_type,
        "content": content,
        "channel_id": str(channel.id),
        "author": payloads.user_object(author),
        "attachments": fields.get("attachments") or [],
        "embeds": render_embeds(fields.get("embeds")),
        "components": render_components(fields.get("components")),
        "pinned": False,
        "tts": False,
        "timestamp": timestamp(world.clock()),
        "edited_timestamp": None,
        "flags": draft.flags,
        **_mentions(world, channel, content, allowed),
        **(extra or {}),
    }
    if fields.get("nonce") is not None:
        payload["nonce"] = fields["nonce"]
    return Message(
        payload=payload,
        guild_id=channel.guild_id,
        allowed_mentions=allowed,
        visible_to=visible_to,
        interaction_id=interaction_id,
    )


def revise(world: World, message: Message, draft: Draft, *, finishes_loading: bool = False) -> None:
    """Apply an edit: only the fields it sets change, and mentions are worked out again."""
    fields = draft.fields
    payload = message.payload
    if "content" in fields:
        payload["content"] = fields["content"] or ""
    if "embeds" in fields:
        payload["embeds"] = render_embeds(fields["embeds"])
    if "components" in fields:
        payload["components"] = render_components(fields["components"])
    if "attachments" in fields:
        payload["attachments"] = fields["attachments"] or []
    if "allowed_mentions" in fields:
        message.allowed_mentions = fields["allowed_mentions"]
    if "flags" in fields:
        # Ephemerality is fixed when the message is made; an edit cannot change it.
        kept = payload["flags"] & (EPHEMERAL | LOADING)
        payload["flags"] = kept | (fields["flags"] & SETTABLE_FLAGS)
    if finishes_loading:
        payload["flags"] &= ~LOADING
    else:
        payload["edited_timestamp"] = timestamp(world.clock())
    channel = world.channel(message.channel_id)
    payload.update(_mentions(world, channel, payload["content"], message.allowed_mentions))


def _check_allowed_mentions(form: FormErrors, allowed: Any) -> None:
    if allowed is None:
        return
    path: tuple[str | int, ...] = ("allowed_mentions",)
    if not isinstance(allowed, dict):
        form.wrong_type(path, "object", allowed)
        return
    parse = allowed.get("parse") or []
    for index, kind in enumerate(parse):
        if kind not in MENTION_KINDS:
            form.add(
                (*path, "parse", index),
                "ENUM_TYPE_COERCE",
                f"Value {kind!r} is not a valid enum value.",
            )
    for kind in ("users", "roles"):
        listed = allowed.get(kind) or []
        if len(listed) > 100:
            form.too_long((*path, kind), 100)
        for index, snowflake in enumerate(listed):
            if not str(snowflake).isdigit():
                form.wrong_type((*path, kind, index), "snowflake", snowflake)
        if listed and kind in parse:
            form.add(
                path,
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )


def _mentions(
    world: World, channel: Channel, content: str, allowed: dict[str, Any] | None
) -> dict[str, Any]:
    # Without allowed_mentions Discord notifies everyone the text names.
    parse = set(MENTION_KINDS) if allowed is None else set(allowed.get("parse") or [])
    users = {int(u) for u in (allowed or {}).get("users") or []}
    roles = {int(r) for r in (allowed or {}).get("roles") or []}
    guild = world.guilds.get(channel.guild_id) if channel.guild_id else None
    can_ping_all = guild is not None and bool(
        permissions.channel_permissions(guild, channel, world.application.bot.id)
        & permissions.MENTION_EVERYONE
    )
    pinged_users = [
        world.users[user_id]
        for user_id in dict.fromkeys(int(found) for found in _USER.findall(content))
        if user_id in world.users and ("users" in parse or user_id in users)
    ]
    pinged_roles = [
        role_id
        for role_id in dict.fromkeys(int(found) for found in _ROLE.findall(content))
        if guild is not None
        and role_id in guild.roles
        and ("roles" in parse or role_id in roles)
        and (guild.roles[role_id].mentionable or can_ping_all)
    ]
    everyone = "everyone" in parse and can_ping_all and _EVERYONE.search(content) is not None
    return {
        "mentions": [payloads.user_object(user) for user in pinged_users],
        "mention_roles": [str(role_id) for role_id in pinged_roles],
        "mention_everyone": everyone,
    }
