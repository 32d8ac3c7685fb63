"""Files people pick for a command's attachment option: resolved in the interaction as Discord
resolves them, and downloaded by the bot from the stand-in's CDN."""

from __future__ import annotations

import hashlib

import discord
import pytest
from discord import app_commands

from adapters.standins.discord import ActionRefused, DiscordStandin
from adapters.standins.discord.attachments import ATTACHMENT_SIZE_LIMIT, Upload
from tests.discord_fixtures import GUILD_READY_TIMEOUT, running

PICTURE = b"\x89PNG\r\n\x1a\n a lamp"


class PictureBot(discord.Client):
    """A bot whose /cover reads the file given to it."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=GUILD_READY_TIMEOUT)
        self.tree = app_commands.CommandTree(self)
        self.seen: list[discord.Attachment] = []

        @self.tree.command(description="Give a picture")
        async def cover(interaction: discord.Interaction, picture: discord.Attachment) -> None:
            """Download the picture and tell its digest."""
            self.seen.append(picture)
            data = await picture.read()
            await interaction.response.send_message(hashlib.sha256(data).hexdigest())

    async def setup_hook(self) -> None:
        """Sync the commands."""
        await self.tree.sync()


async def test_the_bot_gets_the_picked_file_and_downloads_it(
    discord_standin: DiscordStandin,
) -> None:
    guild = discord_standin.guild("Makers")
    member = discord_standin.member(guild, discord_standin.user("alice"))
    bot = PictureBot()
    async with running(bot):
        asked = await member.slash(
            "cover", options={"picture": Upload("lamp.png", "image/png", PICTURE)}
        )
        answer = await asked.response()

    assert answer["data"]["content"] == hashlib.sha256(PICTURE).hexdigest()
    [option] = asked.payload["data"]["options"]
    resolved = asked.payload["data"]["resolved"]["attachments"][option["value"]]
    assert option["type"] == 11
    assert resolved["url"].startswith(discord_standin.base_url + "/attachments/")
    assert (resolved["filename"], resolved["size"], resolved["content_type"]) == (
        "lamp.png",
        len(PICTURE),
        "image/png",
    )
    assert resolved["ephemeral"] is True
    [seen] = bot.seen
    assert (seen.filename, seen.size, seen.content_type) == ("lamp.png", len(PICTURE), "image/png")


async def test_a_file_over_the_limit_cannot_be_picked(discord_standin: DiscordStandin) -> None:
    guild = discord_standin.guild("Makers")
    member = discord_standin.member(guild, discord_standin.user("alice"))
    huge = Upload("huge.png", "image/png", b"\x00" * (ATTACHMENT_SIZE_LIMIT + 1))
    async with running(PictureBot()):
        with pytest.raises(ActionRefused, match="over the limit"):
            await member.slash("cover", options={"picture": huge})
        with pytest.raises(ActionRefused, match="takes a file"):
            await member.slash("cover", options={"picture": "lamp.png"})
