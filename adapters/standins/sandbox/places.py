"""The people and places of the sandbox, on each stand-in: who "you" are, and where you talk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from adapters.standins.discord import Channel, DirectMessages, DiscordStandin, Guild, Member, User
from adapters.standins.discord.records import TEXT
from adapters.standins.telegram import BotApiStandin, ChatRef, TestUser

ChatKey = Literal["private", "group"]
CHAT_KEYS: tuple[ChatKey, ...] = ("private", "group")

# Telegram user ids are positive, group ids negative (supergroups start with -100).
_YOU_ID = 700_000_001
_OTHERS = ((700_000_002, "Camille"), (700_000_003, "Noor"))
_GROUP_ID = -1_007_000_000_001
GROUP_TITLE = "Makers' corner"
GUILD_NAME = "Backit sandbox"
YOUR_NAME = "Sam"


@dataclass(frozen=True)
class TelegramPlaces:
    """You on Telegram: your private chat with the bot, and a group you created."""

    standin: BotApiStandin
    you: TestUser
    others: tuple[TestUser, ...]
    private: ChatRef
    group: ChatRef

    def chat(self, key: ChatKey) -> ChatRef:
        """The chat a page names by its key."""
        return self.private if key == "private" else self.group

    def key_of(self, chat: ChatRef) -> ChatKey | None:
        """The page's key for a chat; None for chats that are not yours."""
        if chat == self.private:
            return "private"
        if chat == self.group:
            return "group"
        return None


@dataclass(frozen=True)
class DiscordPlaces:
    """You on Discord: the owner of a server with two channels, and your DMs with the bot."""

    standin: DiscordStandin
    you: User
    guild: Guild
    member: Member
    dms: DirectMessages

    def channels(self) -> list[Channel]:
        """The server's text channels, then your DM channel."""
        texts = [channel for channel in self.guild.channels.values() if channel.type == TEXT]
        return [*texts, self.dms.channel]

    def channel(self, channel_id: int) -> Channel | None:
        """One of your channels by id; None for any other."""
        return next((c for c in self.channels() if c.id == channel_id), None)

    def actor(self, channel: Channel) -> Member | DirectMessages:
        """You, acting where that channel is: as a member of the server, or in your DMs."""
        return self.dms if channel.id == self.dms.channel.id else self.member


def telegram_places(standin: BotApiStandin) -> TelegramPlaces:
    """You (in English), your private chat with the bot, and your group with two friends."""
    you = standin.user(_YOU_ID, YOUR_NAME, username="sam_sandbox", language_code="en")
    others = tuple(standin.user(user_id, name) for user_id, name in _OTHERS)
    private = standin.private_chat(you)
    group = standin.group(_GROUP_ID, GROUP_TITLE, creator=you, members=others)
    return TelegramPlaces(standin, you, others, private, group)


def discord_places(standin: DiscordStandin) -> DiscordPlaces:
    """You, owning a server with #general and #announcements (so managing it), and your DMs."""
    you = standin.user(YOUR_NAME.lower(), locale="en-US")
    guild = standin.guild(GUILD_NAME, channels=("general", "announcements"), owner=you)
    return DiscordPlaces(standin, you, guild, standin.member(guild, you), standin.dm(you))
