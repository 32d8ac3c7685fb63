"""discord.py starts against the stand-in as against Discord: login, sync, gateway, READY."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands

from adapters.standins.discord import DiscordStandin, Overwrite, pointed_at
from adapters.standins.discord.gateway import GUILD_MEMBERS
from adapters.standins.discord.permissions import SEND_MESSAGES, VIEW_CHANNEL
from adapters.standins.discord.records import ANNOUNCEMENT, CATEGORY, VOICE
from tests.discord_fixtures import GUILD_READY_TIMEOUT, TOKEN, running


class SyncingBot(discord.Client):
    """A bot with one command, synced in `setup_hook`, that notes when it resumed."""

    def __init__(self, intents: discord.Intents | None = None) -> None:
        super().__init__(
            intents=intents or discord.Intents.default(), guild_ready_timeout=GUILD_READY_TIMEOUT
        )
        self.tree = app_commands.CommandTree(self)
        self.resumed = asyncio.Event()
        self.readies = 0

        @self.tree.command(description="Answer at once")
        async def ping(interaction: discord.Interaction) -> None:
            """Answer at once."""
            await interaction.response.send_message("pong")

    async def setup_hook(self) -> None:
        """Sync the commands."""
        await self.tree.sync()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Identify again at once."""
        # discord.py pauses 5 s before every IDENTIFY but the first, for Discord's identify limit.
        return

    async def on_ready(self) -> None:
        """Count the READY events."""
        self.readies += 1

    async def on_resumed(self) -> None:
        """Note that the session resumed."""
        self.resumed.set()


async def test_discord_py_logs_in_syncs_then_opens_the_gateway(
    discord_standin: DiscordStandin,
) -> None:
    async with running(SyncingBot()) as bot:
        routes = [(send.method, send.route) for send in discord_standin.rate_limits.sends]

        assert routes[:3] == [
            ("GET", "/users/@me"),
            ("GET", "/oauth2/applications/@me"),
            ("PUT", "/applications/{application_id}/commands"),
        ]
        assert bot.user is not None
        assert bot.user.id == discord_standin.bot.id
        assert bot.application_id == discord_standin.bot.id
        assert [command.name for command in discord_standin.commands()] == ["ping"]
        await discord_standin.wait_for_session()
        assert len(discord_standin.gateway_sessions) == 1


async def test_ready_and_guild_create_give_discord_py_the_servers(
    discord_standin: DiscordStandin,
) -> None:
    alice = discord_standin.user("alice")
    guild = discord_standin.guild("Makers", channels=["general", "news"], owner=alice)
    backstage = discord_standin.channel(
        guild, "backstage", overwrites=[Overwrite(guild.id, 0, deny=VIEW_CHANNEL | SEND_MESSAGES)]
    )
    discord_standin.channel(guild, "Live", kind=VOICE)
    discord_standin.channel(guild, "Projects", kind=CATEGORY)
    discord_standin.channel(guild, "launches", kind=ANNOUNCEMENT)

    async with running(SyncingBot()) as bot:
        server = bot.get_guild(guild.id)
        assert server is not None
        everyone = server.default_role

        assert server.name == "Makers"
        assert server.owner_id == alice.id
        assert [c.name for c in server.text_channels] == [
            "general",
            "news",
            "backstage",
            "launches",
        ]
        assert [c.name for c in server.voice_channels] == ["Live"]
        assert [c.name for c in server.categories] == ["Projects"]
        assert server.text_channels[-1].is_news()
        assert server.me is not None
        assert server.me.id == discord_standin.bot.id
        assert [role.name for role in server.me.roles] == ["@everyone", "Backit"]
        assert server.me.guild_permissions.send_messages
        private = server.get_channel(backstage.id)
        assert isinstance(private, discord.TextChannel)
        assert private.overwrites_for(everyone).view_channel is False
        assert not private.permissions_for(server.me).view_channel


async def test_a_server_joined_later_arrives_as_guild_create(
    discord_standin: DiscordStandin,
) -> None:
    async with running(SyncingBot()) as bot:
        joined = asyncio.create_task(bot.wait_for("guild_join", timeout=5))

        guild = discord_standin.guild("Latecomers")

        assert (await joined).id == guild.id
        assert bot.get_guild(guild.id) is not None


async def test_a_wrong_token_fails_login_with_401(
    discord_standin: DiscordStandin, discord_http: aiohttp.ClientSession
) -> None:
    async with discord_http.get("users/@me", headers={"Authorization": "Bot nope"}) as answer:
        body = await answer.json()
        content_type = answer.headers["Content-Type"]

    client = SyncingBot()
    with pytest.raises(discord.LoginFailure):
        await client.login("nope")
    await client.close()

    assert body == {"message": "401: Unauthorized", "code": 0}
    assert content_type == "application/json"


async def test_privileged_intents_not_granted_close_the_gateway_with_4014(
    discord_standin: DiscordStandin,
) -> None:
    client = SyncingBot(intents=discord.Intents.default() | discord.Intents(members=True))
    await client.login(TOKEN)
    try:
        with pytest.raises(discord.PrivilegedIntentsRequired):
            async with asyncio.timeout(5):
                await client.connect()
    finally:
        await client.close()


async def test_a_granted_members_intent_lists_every_member() -> None:
    standin = DiscordStandin(token=TOKEN, privileged_intents=GUILD_MEMBERS)
    await standin.start()
    alice = standin.user("alice")
    guild = standin.guild("Makers", owner=alice)
    try:
        with pointed_at(standin):
            intents = discord.Intents.default() | discord.Intents(members=True)
            async with running(SyncingBot(intents=intents)) as bot:
                server = bot.get_guild(guild.id)
                assert server is not None
                assert {member.name for member in server.members} == {"alice", "Backit"}
    finally:
        await standin.stop()


async def test_heartbeats_are_acknowledged(discord_standin: DiscordStandin) -> None:
    async with running(SyncingBot()) as bot:
        # discord.py heartbeats on HELLO, before IDENTIFY, so the ACK arrives before READY;
        # its latency would stay infinite without one.
        latency = bot.latency

    assert 0 <= latency < 1.0


async def test_a_dropped_connection_resumes_and_replays_what_it_missed(
    discord_standin: DiscordStandin,
) -> None:
    alice = discord_standin.user("alice")
    guild = discord_standin.guild("Makers", owner=alice)
    async with running(SyncingBot()) as bot:
        member = discord_standin.member(guild, alice)
        sessions = discord_standin.gateway_sessions

        discord_standin.interrupt_gateway()
        ping = await member.slash("ping")
        async with asyncio.timeout(5):
            await bot.resumed.wait()

        assert (await ping.response())["data"]["content"] == "pong"
        assert discord_standin.gateway_sessions == sessions
        assert bot.readies == 1


async def test_a_reconnect_request_is_followed_by_a_resume(
    discord_standin: DiscordStandin,
) -> None:
    async with running(SyncingBot()) as bot:
        sessions = discord_standin.gateway_sessions

        discord_standin.request_reconnect()
        async with asyncio.timeout(5):
            await bot.resumed.wait()

        assert discord_standin.gateway_sessions == sessions


async def test_a_session_that_cannot_resume_is_invalidated_and_identifies_again(
    discord_standin: DiscordStandin,
) -> None:
    alice = discord_standin.user("alice")
    guild = discord_standin.guild("Makers", owner=alice)
    async with running(SyncingBot()) as bot:
        readied = asyncio.create_task(bot.wait_for("ready", timeout=5))
        discord_standin.interrupt_gateway(resumable=False)
        await readied

        ping = await discord_standin.member(guild, alice).slash("ping")

        assert (await ping.response())["data"]["content"] == "pong"
        await discord_standin.wait_for_session()
        assert len(discord_standin.gateway_sessions) == 1


def test_pointed_at_sets_and_restores_discord_py_addresses() -> None:
    before = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY

    with pointed_at("http://127.0.0.1:4321/"):
        inside = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY

    after = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    assert inside == ("http://127.0.0.1:4321/api/v10", yarl.URL("ws://127.0.0.1:4321/gateway"))
    assert after == before
