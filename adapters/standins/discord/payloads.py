"""The stand-in's records as Discord's JSON objects, with every field Discord's spec requires."""

from __future__ import annotations

from typing import Any

from adapters.standins.discord.records import (
    DM,
    VOICE,
    Application,
    Channel,
    Guild,
    Membership,
    Role,
    User,
)
from adapters.standins.discord.snowflakes import timestamp

# Application flags Discord sets for a bot granted a privileged intent (below 100 servers).
_LIMITED_INTENT_FLAGS = {1 << 8: 1 << 13, 1 << 1: 1 << 15, 1 << 15: 1 << 19}
_COMMAND_BADGE = 1 << 23


def user_object(user: User) -> dict[str, Any]:
    """A user as others see it."""
    payload: dict[str, Any] = {
        "id": str(user.id),
        "username": user.name,
        "global_name": None if user.bot else user.name.title(),
        "avatar": None,
        "discriminator": "0",
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "collectibles": None,
        "primary_guild": None,
    }
    if user.bot:
        payload["bot"] = True
    return payload


def own_user_object(user: User) -> dict[str, Any]:
    """The bot's user as `GET /users/@me` shows it to the bot itself."""
    return {
        **user_object(user),
        "mfa_enabled": True,
        "locale": user.locale,
        "verified": True,
        "email": None,
        "premium_type": 0,
    }


def role_object(role: Role) -> dict[str, Any]:
    """A server role."""
    payload: dict[str, Any] = {
        "id": str(role.id),
        "name": role.name,
        "permissions": str(role.permissions),
        "position": role.position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": role.bot_id is not None,
        "mentionable": role.mentionable,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }
    if role.bot_id is not None:
        payload["tags"] = {"bot_id": str(role.bot_id)}
    return payload


def member_object(
    membership: Membership, *, permissions: int | None = None, with_user: bool = True
) -> dict[str, Any]:
    """A server member; interactions add the member's permissions in the channel."""
    payload: dict[str, Any] = {
        "roles": [str(role_id) for role_id in membership.role_ids],
        "joined_at": timestamp(membership.joined_at),
        "nick": membership.nick,
        "avatar": None,
        "banner": None,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if with_user:
        payload["user"] = user_object(membership.user)
    if permissions is not None:
        payload["permissions"] = str(permissions)
    return payload


def channel_object(
    channel: Channel, *, recipient: User | None = None, permissions: int | None = None
) -> dict[str, Any]:
    """A channel: a server channel with its overwrites, or a DM with its recipient."""
    last = None if channel.last_message_id is None else str(channel.last_message_id)
    if channel.type == DM:
        if recipient is None:
            raise ValueError("a DM channel is shown with its recipient")
        return {
            "id": str(channel.id),
            "type": DM,
            "flags": 0,
            "last_message_id": last,
            "recipients": [user_object(recipient)],
        }
    payload: dict[str, Any] = {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(channel.guild_id),
        "name": channel.name,
        "position": channel.position,
        "flags": 0,
        "parent_id": None,
        "topic": channel.topic,
        "nsfw": False,
        "last_message_id": last,
        "rate_limit_per_user": 0,
        "permission_overwrites": [
            {
                "id": str(overwrite.id),
                "type": overwrite.type,
                "allow": str(overwrite.allow),
                "deny": str(overwrite.deny),
            }
            for overwrite in channel.overwrites
        ],
    }
    if channel.type == VOICE:
        payload.update(bitrate=64000, user_limit=0, rtc_region=None)
    if permissions is not None:
        payload["permissions"] = str(permissions)
    return payload


def guild_object(guild: Guild) -> dict[str, Any]:
    """A server as `GET /guilds/{id}` returns it."""
    text = [channel for channel in guild.channels.values() if channel.type == 0]
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "description": None,
        "home_header": None,
        "splash": None,
        "discovery_splash": None,
        "features": [],
        "banner": None,
        "owner_id": str(guild.owner_id),
        "application_id": None,
        "region": "deprecated",
        "afk_channel_id": None,
        "afk_timeout": 300,
        "system_channel_id": str(text[0].id) if text else None,
        "system_channel_flags": 0,
        "widget_enabled": False,
        "widget_channel_id": None,
        "verification_level": 0,
        "roles": [role_object(role) for role in guild.roles.values()],
        "default_message_notifications": 1,
        "mfa_level": 0,
        "explicit_content_filter": 0,
        "max_presences": None,
        "max_members": 500000,
        "max_stage_video_channel_users": 50,
        "max_video_channel_users": 25,
        "vanity_url_code": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": guild.preferred_locale,
        "rules_channel_id": None,
        "safety_alerts_channel_id": None,
        "public_updates_channel_id": None,
        "premium_progress_bar_enabled": False,
        "nsfw": False,
        "nsfw_level": 0,
        "emojis": [],
        "stickers": [],
        "incidents_data": None,
        "approximate_member_count": len(guild.members),
        "approximate_presence_count": 0,
    }


def guild_create_object(
    guild: Guild, *, bot: User, all_members: bool, newly_joined: bool
) -> dict[str, Any]:
    """A server as GUILD_CREATE sends it; without the members intent, only the bot is listed."""
    members = [m for m in guild.members.values() if all_members or m.user.id == bot.id]
    # A server announced as unavailable in READY becomes available; a new one is just joined.
    availability = {} if newly_joined else {"unavailable": False}
    return {
        **guild_object(guild),
        **availability,
        "joined_at": timestamp(guild.members[bot.id].joined_at),
        "large": False,
        "lazy": True,
        "member_count": len(guild.members),
        "members": [member_object(membership) for membership in members],
        "channels": [channel_object(channel) for channel in guild.channels.values()],
        "threads": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def application_flags(privileged_intents: int) -> int:
    """The application flags Discord reports for a bot granted those privileged intents."""
    flags = _COMMAND_BADGE
    for intent, flag in _LIMITED_INTENT_FLAGS.items():
        if privileged_intents & intent:
            flags |= flag
    return flags


def application_object(application: Application, guild_count: int) -> dict[str, Any]:
    """The bot's application as `GET /oauth2/applications/@me` returns it."""
    flags = application_flags(application.privileged_intents)
    return {
        "id": str(application.id),
        "name": application.name,
        "icon": None,
        "description": application.description,
        "summary": "",
        "type": None,
        "bot": user_object(application.bot),
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": application.verify_key,
        "flags": flags,
        "flags_new": str(flags),
        "hook": True,
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "owner": user_object(application.owner),
        "team": None,
        "approximate_guild_count": guild_count,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "eligible_oauth2_scopes": ["applications.commands", "bot"],
        "integration_types_config": {"0": {}},
    }
