"""What the stand-in remembers: users, servers, channels, roles, members and messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Channel types.
TEXT = 0
DM = 1
VOICE = 2
CATEGORY = 4
ANNOUNCEMENT = 5

# Overwrite targets.
ROLE_OVERWRITE = 0
MEMBER_OVERWRITE = 1

# Message flags.
EPHEMERAL = 1 << 6
LOADING = 1 << 7


@dataclass
class User:
    """A Discord account: a person the tests act as, or the bot."""

    id: int
    name: str
    locale: str = "en-US"
    bot: bool = False
    # A person may refuse DMs from server members, bots included.
    accepts_dms: bool = True


@dataclass
class Role:
    """A server role and the permissions it grants."""

    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    mentionable: bool = False
    # The role Discord makes for a bot when it joins, named after it and managed by Discord.
    bot_id: int | None = None


@dataclass(frozen=True)
class Overwrite:
    """A channel's exception to a role's or a member's server-wide permissions."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0


@dataclass
class Channel:
    """A server channel, or a DM between the bot and one person."""

    id: int
    type: int
    name: str
    guild_id: int | None = None
    position: int = 0
    overwrites: list[Overwrite] = field(default_factory=list)
    topic: str | None = None
    # The person at the other end of a DM.
    recipient_id: int | None = None
    last_message_id: int | None = None


@dataclass
class Membership:
    """A user's place in a server: roles, nickname and arrival."""

    user: User
    role_ids: list[int]
    joined_at: datetime
    nick: str | None = None


@dataclass
class Guild:
    """A server with its roles, channels and members, in creation order."""

    id: int
    name: str
    owner_id: int
    created_at: datetime
    preferred_locale: str = "en-US"
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Membership] = field(default_factory=dict)
    # A server admin may let chosen people use a command despite its default permissions.
    command_grants: dict[str, set[int]] = field(default_factory=dict)

    @property
    def everyone(self) -> Role:
        """The @everyone role, whose id is the server's."""
        return self.roles[self.id]

    def channel(self, name: str) -> Channel:
        """The channel with that name."""
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(f"{self.name} has no channel named {name!r}")

    def role(self, name: str) -> Role:
        """The role with that name."""
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"{self.name} has no role named {name!r}")


@dataclass(frozen=True)
class Pings:
    """Whom a message notified: Discord's mentions after `allowed_mentions` were applied."""

    users: frozenset[int]
    roles: frozenset[int]
    everyone: bool

    @property
    def nobody(self) -> bool:
        """Whether the message notified no one at all."""
        return not (self.users or self.roles or self.everyone)


@dataclass(repr=False)
class Message:
    """A message as Discord's API returns it, with what only the stand-in knows about it."""

    payload: dict[str, Any]
    guild_id: int | None
    # `allowed_mentions` exactly as the bot sent it; None when it sent none.
    allowed_mentions: dict[str, Any] | None
    # An ephemeral message is seen by one person only.
    visible_to: int | None = None
    interaction_id: int | None = None
    deleted: bool = False

    def __repr__(self) -> str:
        shown = self.content if len(self.content) <= 40 else f"{self.content[:37]}..."
        return f"<Message {self.id} in {self.channel_id} flags={self.flags} {shown!r}>"

    @property
    def id(self) -> int:
        """The message's snowflake."""
        return int(self.payload["id"])

    @property
    def channel_id(self) -> int:
        """The channel it was posted in."""
        return int(self.payload["channel_id"])

    @property
    def author_id(self) -> int:
        """Who posted it."""
        return int(self.payload["author"]["id"])

    @property
    def content(self) -> str:
        """Its text."""
        content: str = self.payload["content"]
        return content

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """Its embeds, as Discord returns them."""
        embeds: list[dict[str, Any]] = self.payload["embeds"]
        return embeds

    @property
    def components(self) -> list[dict[str, Any]]:
        """Its component rows, with the ids Discord gave each component."""
        components: list[dict[str, Any]] = self.payload["components"]
        return components

    @property
    def flags(self) -> int:
        """Its message flags."""
        flags: int = self.payload["flags"]
        return flags

    @property
    def ephemeral(self) -> bool:
        """Whether only the person who used the interaction sees it."""
        return bool(self.flags & EPHEMERAL)

    @property
    def pings(self) -> Pings:
        """Whom it notified."""
        return Pings(
            users=frozenset(int(user["id"]) for user in self.payload["mentions"]),
            roles=frozenset(int(role) for role in self.payload["mention_roles"]),
            everyone=bool(self.payload["mention_everyone"]),
        )

    def interactive(self) -> list[dict[str, Any]]:
        """Every button and select, row by row."""
        found: list[dict[str, Any]] = []
        for row in self.components:
            found.extend(row.get("components", ()))
        return found

    def component(self, custom_id: str) -> dict[str, Any]:
        """The button or select with that custom_id."""
        for component in self.interactive():
            if component.get("custom_id") == custom_id:
                return component
        raise KeyError(f"message {self.id} has no component with custom_id {custom_id!r}")


@dataclass
class Application:
    """The bot's application: its bot user, its token and the intents it was granted."""

    id: int
    name: str
    token: str
    bot: User
    owner: User
    verify_key: str
    # Privileged gateway intents switched on for it, as on the developer portal.
    privileged_intents: int
    description: str = ""
