"""Rate limits, switched on per test: 429s in Discord's shape, honoured by discord.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
from discord import app_commands

from adapters.standins.discord import DiscordStandin, Guild
from tests.discord_fixtures import GUILD_READY_TIMEOUT, running


class PingBot(discord.Client):
    """A bot with one command, to send interaction callbacks."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=GUILD_READY_TIMEOUT)
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(description="Answer at once")
        async def ping(interaction: discord.Interaction) -> None:
            """Answer at once."""
            await interaction.response.send_message("pong")

    async def setup_hook(self) -> None:
        """Sync the commands."""
        await self.tree.sync()


@pytest.fixture
def guild(discord_standin: DiscordStandin) -> Guild:
    """A server with three channels."""
    return discord_standin.guild("Makers", channels=["general", "news", "pledges"])


@pytest.fixture
async def bot(discord_standin: DiscordStandin, guild: Guild) -> AsyncIterator[PingBot]:
    """A connected client."""
    async with running(PingBot()) as client:
        yield client


def text_channel(bot: discord.Client, channel_id: int) -> discord.TextChannel:
    """discord.py's view of a channel."""
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_a_global_429_is_waited_out_and_retried_by_discord_py(
    discord_standin: DiscordStandin, bot: PingBot, guild: Guild
) -> None:
    discord_standin.rate_limits.enable(global_per_second=10, messages_per_channel=100)
    channels = [text_channel(bot, channel.id) for channel in guild.channels.values()]

    async with asyncio.timeout(10):
        await asyncio.gather(*(channel.send(f"{n}") for channel in channels for n in range(5)))

    limits = discord_standin.rate_limits
    posted = sum(len(discord_standin.channel_messages(c)) for c in guild.channels.values())
    assert posted == 15
    assert limits.limited > 0
    assert [send.status for send in limits.sends].count(429) == limits.limited


async def test_channel_bucket_headers_keep_discord_py_under_the_limit(
    discord_standin: DiscordStandin, bot: PingBot, guild: Guild
) -> None:
    discord_standin.rate_limits.enable(messages_per_channel=2, per=0.3)
    general = text_channel(bot, guild.channel("general").id)

    for n in range(5):
        await general.send(f"{n}")

    sends = [
        s for s in discord_standin.rate_limits.sends if s.route == "/channels/{channel_id}/messages"
    ]
    assert discord_standin.rate_limits.limited == 0
    assert len(sends) == 5
    # discord.py read X-RateLimit-Remaining: 0 and waited for the window before the third.
    assert sends[2].at - sends[0].at >= 0.29


async def test_a_channel_429_has_discords_body_and_headers(
    discord_standin: DiscordStandin, discord_http: aiohttp.ClientSession, guild: Guild
) -> None:
    discord_standin.rate_limits.enable(messages_per_channel=2, per=5.0)
    url = f"channels/{guild.channel('general').id}/messages"

    answers = []
    for n in range(3):
        async with discord_http.post(url, json={"content": f"{n}"}) as answer:
            answers.append((answer.status, dict(answer.headers), await answer.json()))

    (_, first, _), _, (status, headers, body) = answers
    assert status == 429
    assert body["message"] == "You are being rate limited."
    assert body["global"] is False
    assert 4.0 < body["retry_after"] <= 5.0
    assert headers["Via"] == "1.1 google"
    assert headers["Content-Type"] == "application/json"
    assert headers["Retry-After"] == "5"
    assert headers["X-RateLimit-Scope"] == "user"
    assert (headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"]) == ("2", "0")
    assert first["X-RateLimit-Remaining"] == "1"
    assert first["X-RateLimit-Bucket"] == headers["X-RateLimit-Bucket"]


async def test_a_global_429_says_so(
    discord_standin: DiscordStandin, discord_http: aiohttp.ClientSession
) -> None:
    discord_standin.rate_limits.enable(global_per_second=2)

    statuses = []
    for _ in range(3):
        async with discord_http.get("users/@me") as answer:
            statuses.append(answer.status)
            headers, body = answer.headers, await answer.json()

    assert statuses == [200, 200, 429]
    assert body["global"] is True
    assert (headers["X-RateLimit-Global"], headers["X-RateLimit-Scope"]) == ("true", "global")
    assert headers["Via"] == "1.1 google"


async def test_interaction_answers_do_not_count_against_the_global_limit(
    discord_standin: DiscordStandin, bot: PingBot, guild: Guild
) -> None:
    member = discord_standin.member(guild, discord_standin.user("alice"))
    discord_standin.rate_limits.enable(global_per_second=1)

    pings = [await member.slash("ping") for _ in range(5)]
    answers = await asyncio.gather(*(ping.response() for ping in pings))

    assert [answer["data"]["content"] for answer in answers] == ["pong"] * 5
    assert discord_standin.rate_limits.limited == 0


async def test_limits_are_off_until_switched_on_and_after_switched_off(
    discord_standin: DiscordStandin, discord_http: aiohttp.ClientSession, guild: Guild
) -> None:
    url = f"channels/{guild.channel('general').id}/messages"
    discord_standin.rate_limits.enable(messages_per_channel=1)
    discord_standin.rate_limits.disable()

    for n in range(12):
        async with discord_http.post(url, json={"content": f"{n}"}) as answer:
            assert answer.status == 200
            assert "X-RateLimit-Remaining" not in answer.headers

    assert discord_standin.rate_limits.limited == 0
    assert len(discord_standin.rate_limits.sends) >= 12


def message_statuses(standin: DiscordStandin) -> list[int]:
    """How the stand-in answered each message send, in order."""
    route = "/channels/{channel_id}/messages"
    return [send.status for send in standin.rate_limits.sends if send.route == route]


async def test_refused_sends_come_through_discords_proxy_and_discord_py_retries_them(
    discord_standin: DiscordStandin, bot: PingBot, guild: Guild
) -> None:
    discord_standin.rate_limits.refuse_sends(2, retry_after=0.1)
    general = text_channel(bot, guild.channel("general").id)

    await general.send("hello")

    assert message_statuses(discord_standin) == [429, 429, 200]
    assert [m.content for m in discord_standin.channel_messages(guild.channel("general"))] == [
        "hello"
    ]
    assert discord_standin.rate_limits.limited == 2


async def test_a_refused_send_without_the_via_header_is_raised_by_discord_py(
    discord_standin: DiscordStandin, bot: PingBot, guild: Guild
) -> None:
    discord_standin.rate_limits.refuse_sends(1, retry_after=2.5, via=False)
    general = text_channel(bot, guild.channel("general").id)

    with pytest.raises(discord.HTTPException) as refused:
        await general.send("hello")
    await general.send("again")

    assert refused.value.status == 429
    assert "Via" not in refused.value.response.headers
    assert refused.value.response.headers["Retry-After"] == "3"
    assert message_statuses(discord_standin) == [429, 200]


async def test_refusals_meet_message_sends_only_with_discords_body_and_headers(
    discord_standin: DiscordStandin, discord_http: aiohttp.ClientSession, guild: Guild
) -> None:
    discord_standin.rate_limits.refuse_sends(1, retry_after=0.5)
    url = f"channels/{guild.channel('general').id}/messages"

    async with discord_http.get("users/@me") as me:
        assert me.status == 200
    async with discord_http.post(url, json={"content": "hi"}) as refused:
        status, headers, body = refused.status, refused.headers, await refused.json()
    async with discord_http.post(url, json={"content": "hi"}) as accepted:
        assert accepted.status == 200

    assert status == 429
    assert body == {
        "message": "You are being rate limited.",
        "code": 0,
        "retry_after": 0.5,
        "global": False,
    }
    assert (headers["Via"], headers["Retry-After"], headers["X-RateLimit-Scope"]) == (
        "1.1 google",
        "1",
        "user",
    )
    assert headers["X-RateLimit-Remaining"] == "0"
