"""Backit's Discord bot on the stand-in, the members who use it, and what they read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adapters.chat_services import ChatServices
from adapters.discord.application import build_client
from adapters.discord.bot import DiscordBot
from adapters.standins.discord import (
    DirectMessages,
    DiscordStandin,
    Guild,
    Interaction,
    Member,
    Message,
)
from adapters.standins.discord.permissions import MANAGE_GUILD
from core.backers import Backer
from core.identity import Identity, Platform
from core.pledge_links import PledgeLink, TopUpLink
from tests.adapters.error_log import ErrorLog
from tests.discord_fixtures import GUILD_READY_TIMEOUT, TOKEN

CHANNEL_MESSAGE, UPDATE_MESSAGE = 4, 7
# Listed as an operator in the bot's services: may post updates to any campaign.
OPERATOR = Identity(Platform.DISCORD, "900000000000000009")


@dataclass
class RunningBot:
    """Backit's bot connected to the stand-in, with the services it was given."""

    standin: DiscordStandin
    services: ChatServices
    defer_after: float
    bot: DiscordBot | None = None
    errors: ErrorLog = field(default_factory=ErrorLog)

    async def start(self) -> None:
        """A new client on the same services, logged in and connected."""
        client = build_client(
            self.services, guild_ready_timeout=GUILD_READY_TIMEOUT, defer_after=self.defer_after
        )
        self.bot = DiscordBot(client, TOKEN)
        await self.bot.start()

    async def stop(self) -> None:
        """Close the client, as a stopping process does."""
        if self.bot is not None:
            await self.bot.stop()
            self.bot = None

    async def restart(self) -> None:
        """Stop, and start a new client: nothing survives but the database."""
        await self.stop()
        await self.start()

    def server(self, name: str = "Makers") -> Guild:
        """A server the bot has joined, with #general and #news."""
        return self.standin.guild(name, channels=["general", "news"])

    def member(
        self, guild: Guild, name: str, *, locale: str = "en-US", admin: bool = False
    ) -> Member:
        """Someone new in the server; `admin` gives them Manage Server."""
        user = self.standin.user(name, locale=locale)
        return self.standin.member(guild, user, permissions=MANAGE_GUILD if admin else None)

    async def backer(self, member: Member) -> Backer:
        """The backer Backit recorded for a member."""
        async with self.services.uows() as uow:
            found = await uow.backers.by_identity(identity(member))
        assert found is not None, f"Backit does not know {member.user.name}"
        return found

    def verify(self, url: str) -> PledgeLink:
        """The pledge link a personal URL carries, checked with the bot's own signer."""
        signer = self.services.signer
        assert signer is not None
        prefix = f"{self.services.public_url}/pledge/"
        assert url.startswith(prefix), url
        return signer.verify(url.removeprefix(prefix), self.services.clock.now())

    def verify_top_up(self, url: str) -> TopUpLink:
        """The top-up link a personal URL carries, checked with the bot's own signer."""
        signer = self.services.signer
        assert signer is not None
        prefix = f"{self.services.public_url}/pledge/top-up/"
        assert url.startswith(prefix), url
        return signer.verify_top_up(url.removeprefix(prefix), self.services.clock.now())


def identity(member: Member) -> Identity:
    """Who Backit knows a member as."""
    return Identity(Platform.DISCORD, str(member.user.id))


async def reply(interaction: Interaction) -> Message:
    """The message the bot answered with: a new one, or the pressed one changed in place."""
    kind = (await interaction.response())["type"]
    message = interaction.original if kind == CHANNEL_MESSAGE else interaction.source
    assert kind in (CHANNEL_MESSAGE, UPDATE_MESSAGE), f"answered with callback type {kind}"
    assert message is not None
    return message


def labels(message: Message) -> list[str]:
    """Every button's label, row by row."""
    return [component.get("label", "") for component in message.interactive()]


def button(message: Message, label: str) -> dict[str, Any]:
    """The button with that label."""
    found = [c for c in message.interactive() if c.get("label") == label]
    assert found, f"no button {label!r} among {labels(message)}"
    return found[0]


async def press(member: Member | DirectMessages, message: Message, label: str) -> Interaction:
    """Press the button with that label."""
    return await member.press(message, button(message, label)["custom_id"])


def embed(message: Message) -> dict[str, Any]:
    """The message's one embed."""
    assert len(message.embeds) == 1, message.embeds
    return message.embeds[0]


async def form_fields(opened: Interaction) -> list[dict[str, Any]]:
    """The labelled fields of the form the bot opened in answer: label, then the input."""
    await opened.response()
    modal = opened.modal
    assert modal is not None, "the bot answered without a form"
    return [{**item["component"], "label": item["label"]} for item in modal["components"]]
