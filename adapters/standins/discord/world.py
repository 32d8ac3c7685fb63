"""The stand-in's whole world: the bot, people, servers, channels, messages, and who sees what."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from adapters.standins.discord import permissions
from adapters.standins.discord.attachments import AttachmentStore
from adapters.standins.discord.errors import unknown
from adapters.standins.discord.events import EventHub, EventKind, StandinEvent
from adapters.standins.discord.locales import check_locale
from adapters.standins.discord.records import (
    DM,
    TEXT,
    Application,
    Channel,
    Guild,
    Membership,
    Message,
    Overwrite,
    Role,
    User,
)
from adapters.standins.discord.snowflakes import Snowflakes
from adapters.standins.snapshots import snapshot


class World:
    """Everything the stand-in knows, shared by the REST API, the gateway and the test driver."""

    def __init__(
        self,
        *,
        token: str,
        bot_name: str,
        privileged_intents: int,
        clock: Callable[[], datetime],
    ) -> None:
        self.clock = clock
        self.ids = Snowflakes(clock)
        owner = User(self.ids.next(), f"{bot_name.lower()}-owner")
        bot = User(self.ids.next(), bot_name, bot=True)
        # Applications made since 2019 share their id with their bot user.
        self.application = Application(
            id=bot.id,
            name=bot_name,
            token=token,
            bot=bot,
            owner=owner,
            verify_key=secrets.token_hex(32),
            privileged_intents=privileged_intents,
        )
        self.users: dict[int, User] = {owner.id: owner, bot.id: bot}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self._dms: dict[int, Channel] = {}
        self.events = EventHub()
        self.attachments = AttachmentStore(self.ids.next)
        # Where attached files are downloaded, as from Discord's CDN: the stand-in's own address,
        # known once it serves.
        self.files_origin = ""

    @property
    def bot(self) -> User:
        """The bot's own user."""
        return self.application.bot

    def add_user(self, name: str, *, locale: str = "en-US", accepts_dms: bool = True) -> User:
        """A new person."""
        user = User(self.ids.next(), name, check_locale(locale), accepts_dms=accepts_dms)
        self.users[user.id] = user
        return user

    def add_guild(
        self, name: str, *, owner: User, channel_names: Iterable[str], locale: str = "en-US"
    ) -> Guild:
        """A new server the bot has joined, with @everyone, the bot's role and text channels."""
        guild = Guild(self.ids.next(), name, owner.id, self.clock(), check_locale(locale))
        guild.roles[guild.id] = Role(guild.id, guild.id, "@everyone", permissions.EVERYONE_DEFAULT)
        self.guilds[guild.id] = guild
        bot_role = self.add_role(guild, self.bot.name, permissions.BOT_DEFAULT)
        bot_role.bot_id = self.bot.id
        self.add_member(guild, self.bot, [bot_role.id])
        self.add_member(guild, owner, [])
        for channel_name in channel_names:
            self.add_channel(guild, channel_name)
        return guild

    def add_role(
        self, guild: Guild, name: str, permission_bits: int, *, mentionable: bool = False
    ) -> Role:
        """A new role in a server, above the others."""
        role = Role(self.ids.next(), guild.id, name, permission_bits, len(guild.roles), mentionable)
        guild.roles[role.id] = role
        return role

    def add_member(self, guild: Guild, user: User, role_ids: Sequence[int]) -> Membership:
        """A user joins a server (or keeps their place, with these roles added)."""
        membership = guild.members.get(user.id)
        if membership is None:
            membership = Membership(user, [], self.clock())
            guild.members[user.id] = membership
        membership.role_ids.extend(r for r in role_ids if r not in membership.role_ids)
        return membership

    def add_channel(
        self,
        guild: Guild,
        name: str,
        *,
        kind: int = TEXT,
        overwrites: Sequence[Overwrite] = (),
        topic: str | None = None,
    ) -> Channel:
        """A new channel in a server, after the others."""
        channel = Channel(
            self.ids.next(), kind, name, guild.id, len(guild.channels), list(overwrites), topic
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def remove_channel(self, channel: Channel) -> None:
        """Delete a server channel: from now on Discord answers 10003 Unknown Channel for it."""
        if channel.guild_id is None:
            raise ValueError("a DM channel cannot be deleted, only a server's channel")
        del self.guilds[channel.guild_id].channels[channel.id]
        del self.channels[channel.id]

    def dm_channel(self, user: User) -> Channel:
        """The DM channel between the bot and a person, opened on first use."""
        channel = self._dms.get(user.id)
        if channel is None:
            channel = Channel(self.ids.next(), DM, user.name, recipient_id=user.id)
            self._dms[user.id] = channel
            self.channels[channel.id] = channel
        return channel

    def user(self, user_id: int) -> User:
        """A user by id; Discord's 10013 when there is none."""
        found = self.users.get(user_id)
        if found is None:
            raise unknown("User", 10013)
        return found

    def guild(self, guild_id: int) -> Guild:
        """A server the bot is in; Discord's 10004 otherwise."""
        found = self.guilds.get(guild_id)
        if found is None:
            raise unknown("Guild", 10004)
        return found

    def channel(self, channel_id: int) -> Channel:
        """A channel by id; Discord's 10003 when there is none."""
        found = self.channels.get(channel_id)
        if found is None:
            raise unknown("Channel", 10003)
        return found

    def message(self, channel_id: int, message_id: int) -> Message:
        """A message of a channel; Discord's 10008 when there is none."""
        found = self.messages.get(message_id)
        if found is None or found.deleted or found.channel_id != channel_id:
            raise unknown("Message", 10008)
        return found

    def bot_permissions(self, channel: Channel) -> int:
        """What the bot may do in a channel (everything bots may do in a DM)."""
        if channel.guild_id is None:
            return permissions.VIEW_CHANNEL | permissions.SEND_MESSAGES | permissions.EMBED_LINKS
        guild = self.guilds[channel.guild_id]
        return permissions.channel_permissions(guild, channel, self.bot.id)

    def post(self, message: Message) -> None:
        """Store a new message and announce it."""
        self.messages[message.id] = message
        self.channels[message.channel_id].last_message_id = message.id
        self._announce("message_created", message)

    def edited(self, message: Message) -> None:
        """Announce that a stored message changed."""
        self._announce("message_edited", message)

    def delete(self, message: Message) -> None:
        """Delete a stored message and announce it."""
        message.deleted = True
        self._announce("message_deleted", message)

    def channel_messages(self, channel_id: int, *, viewer: int | None = None) -> list[Message]:
        """A channel's messages, oldest first: public ones and the viewer's ephemeral ones."""
        return [
            message
            for message in self.messages.values()
            if message.channel_id == channel_id
            and not message.deleted
            and message.visible_to in (None, viewer)
        ]

    def _announce(self, kind: EventKind, message: Message) -> None:
        self.events.publish(
            StandinEvent(
                kind,
                message.channel_id,
                message.guild_id,
                message=snapshot(message.payload),
                visible_to=message.visible_to,
            )
        )
