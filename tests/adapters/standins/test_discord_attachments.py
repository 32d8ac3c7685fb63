"""Files attached to messages: multipart uploads kept and served, Discord's limits and refusals."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from adapters.standins.discord import DiscordStandin, Guild, Interaction, User
from adapters.standins.discord.attachments import ATTACHMENT_SIZE_LIMIT
from tests.discord_fixtures import GUILD_READY_TIMEOUT, running

SHEET = b"name,amount\nAda,25.00\n"


class FilingBot(discord.Client):
    """A bot that answers with a file: at once, after deferring, or in a DM."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=GUILD_READY_TIMEOUT)
        self.tree = app_commands.CommandTree(self)
        tree = self.tree

        @tree.command(description="A file for you alone")
        async def sheet(interaction: discord.Interaction) -> None:
            """Answer privately with a file."""
            file = discord.File(io.BytesIO(SHEET), filename="lamp-backers.csv")
            await interaction.response.send_message("1 backer", file=file, ephemeral=True)

        @tree.command(description="Think, then send a file")
        async def later(interaction: discord.Interaction) -> None:
            """Defer privately, then fill the thinking message with a file."""
            await interaction.response.defer(ephemeral=True, thinking=True)
            file = discord.File(io.BytesIO(SHEET), filename="lamp-backers.csv")
            await interaction.edit_original_response(content="1 backer", attachments=[file])

        @tree.command(description="A file by DM")
        async def dm(interaction: discord.Interaction) -> None:
            """Send a file to the member's DMs."""
            await interaction.response.send_message("sent", ephemeral=True)
            file = discord.File(io.BytesIO(SHEET), filename="lamp-backers.csv")
            await interaction.user.send("1 backer", file=file)

    async def setup_hook(self) -> None:
        """Sync the commands."""
        await self.tree.sync()


@pytest.fixture
def alice(discord_standin: DiscordStandin) -> User:
    """A member of the server."""
    return discord_standin.user("alice")


@pytest.fixture
def guild(discord_standin: DiscordStandin) -> Guild:
    """A server with a general channel."""
    return discord_standin.guild("Makers", channels=["general"])


async def _filled(asked: Interaction) -> None:
    # A deferred answer is a "thinking" message until the bot's edit fills it.
    for _ in range(100):
        if asked.original is not None and asked.original.payload["attachments"]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the answer never carried a file")


async def _download(attachment: dict[str, Any]) -> bytes:
    async with aiohttp.ClientSession() as session, session.get(attachment["url"]) as response:
        assert response.status == 200
        return await response.read()


@pytest.mark.parametrize("command", ["sheet", "later"])
async def test_an_ephemeral_answer_carries_a_file_for_the_member_alone(
    discord_standin: DiscordStandin, guild: Guild, alice: User, command: str
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(FilingBot()):
        asked = await member.slash(command)
        await asked.response()
        await _filled(asked)

    message = asked.original
    assert message is not None
    assert message.ephemeral
    assert message.content == "1 backer"
    [attachment] = message.payload["attachments"]
    assert (attachment["filename"], attachment["size"]) == ("lamp-backers.csv", len(SHEET))
    assert attachment["content_type"] == "text/csv"
    assert await _download(attachment) == SHEET
    assert discord_standin.channel_messages(guild.channel("general")) == []


async def test_a_file_sent_by_dm_reaches_the_member(
    discord_standin: DiscordStandin, guild: Guild, alice: User
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(FilingBot()):
        asked = await member.slash("dm")
        await asked.response()
        [sent] = await discord_standin.wait_for_messages(discord_standin.dm_channel(alice))

    assert sent.content == "1 backer"
    assert await _download(sent.payload["attachments"][0]) == SHEET


async def _post(
    http: aiohttp.ClientSession, channel_id: int, form: aiohttp.FormData
) -> tuple[int, Any]:
    async with http.post(f"channels/{channel_id}/messages", data=form) as response:
        return response.status, await response.json(content_type=None)


def _form(payload: Any, files: dict[int, bytes]) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("payload_json", payload if isinstance(payload, str) else json.dumps(payload))
    for index, data in files.items():
        form.add_field(f"files[{index}]", io.BytesIO(data), filename=f"f{index}.csv")
    return form


async def test_uploads_over_the_limit_or_malformed_are_refused_as_discord_does(
    discord_standin: DiscordStandin, discord_http: aiohttp.ClientSession, guild: Guild
) -> None:
    general = guild.channel("general").id
    one = {"content": "x", "attachments": [{"id": 0, "filename": "f0.csv"}]}

    big = await _post(discord_http, general, _form(one, {0: b"x" * (ATTACHMENT_SIZE_LIMIT + 1)}))
    garbled = await _post(discord_http, general, _form("{not json", {0: b"a"}))
    unknown = await _post(discord_http, general, _form(one, {1: b"a"}))
    eleven = await _post(discord_http, general, _form({}, dict.fromkeys(range(11), b"a")))

    assert big == (413, {"message": "Request entity too large", "code": 40005})
    assert garbled == (400, {"message": "The request body contains invalid JSON.", "code": 50109})
    assert unknown[0] == 400
    assert unknown[1]["code"] == 50035
    assert unknown[1]["errors"]["attachments"]["0"]["id"]["_errors"][0]["code"] == (
        "ATTACHMENT_NOT_FOUND"
    )
    assert eleven[0] == 400
    assert eleven[1]["errors"]["files"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
    assert discord_standin.channel_messages(guild.channel("general")) == []


async def test_a_file_alone_is_a_message_and_a_json_body_cannot_claim_one(
    discord_standin: DiscordStandin, discord_http: aiohttp.ClientSession, guild: Guild
) -> None:
    general = guild.channel("general").id

    status, sent = await _post(discord_http, general, _form({}, {0: SHEET}))
    async with discord_http.post(
        f"channels/{general}/messages",
        json={"attachments": [{"id": 0, "url": "https://evil.example/x.csv"}]},
    ) as response:
        claimed = response.status, await response.json()

    assert status == 200
    assert sent["attachments"][0]["filename"] == "f0.csv"
    assert await _download(sent["attachments"][0]) == SHEET
    assert claimed[0] == 400
    assert claimed[1]["errors"]["attachments"]["0"]["id"]["_errors"][0]["code"] == (
        "ATTACHMENT_NOT_FOUND"
    )
