"""The people and bots the stand-in knows, as the Bot API describes them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from adapters.standins.telegram.updates import UpdateQueue

_TOKEN = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{1,100}")


@dataclass(frozen=True)
class UserRecord:
    """A Telegram account, person or bot."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_json(self) -> dict[str, Any]:
        """The User object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value:
                user[key] = value
        return user


@dataclass(frozen=True)
class BotProfile:
    """A bot the stand-in serves, known by its token; its id is the token's number."""

    token: str
    username: str = ""
    first_name: str = "Backit"
    can_join_groups: bool = True
    # Telegram's default: privacy mode on, so groups show the bot only what concerns it.
    can_read_all_group_messages: bool = False
    # Whether users' choices of inline results come back as chosen_inline_result updates.
    inline_feedback: bool = False

    def __post_init__(self) -> None:
        if not _TOKEN.fullmatch(self.token):
            raise ValueError("a bot token looks like 123456:ABC-def_ghi")
        if not self.username:
            object.__setattr__(self, "username", f"test{self.id}_bot")

    @property
    def id(self) -> int:
        """The bot's user id."""
        return int(self.token.split(":", 1)[0])


@dataclass
class Webhook:
    """Where a bot's updates are pushed, and how the last push went."""

    url: str
    secret_token: str | None
    max_connections: int
    ip_address: str | None
    last_error_date: int | None = None
    last_error_message: str | None = None


CommandsKey = tuple[tuple[str, int | str | None, int | None], str]


@dataclass
class BotAccount:
    """A bot's state: its pending updates, webhook, command menus and descriptions."""

    profile: BotProfile
    updates: UpdateQueue = field(default_factory=UpdateQueue)
    webhook: Webhook | None = None
    commands: dict[CommandsKey, list[dict[str, str]]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    short_descriptions: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> int:
        """The bot's user id."""
        return self.profile.id

    @property
    def user(self) -> UserRecord:
        """The bot as a User, the way messages show it."""
        profile = self.profile
        return UserRecord(profile.id, profile.first_name, username=profile.username, is_bot=True)

    def me(self) -> dict[str, Any]:
        """What getMe answers: the User with the fields only getMe carries."""
        profile = self.profile
        return {
            **self.user.to_json(),
            "can_join_groups": profile.can_join_groups,
            "can_read_all_group_messages": profile.can_read_all_group_messages,
            "supports_inline_queries": True,
        }
