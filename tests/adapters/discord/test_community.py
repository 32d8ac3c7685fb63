"""/backit: members with Manage Server set the server up; Discord's default is checked again."""

from __future__ import annotations

import pytest

from adapters.standins.discord import ActionRefused, Overwrite
from adapters.standins.discord.permissions import SEND_MESSAGES
from adapters.standins.discord.records import MEMBER_OVERWRITE
from core.communities import Community
from core.identity import Platform
from core.ports import Clock
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, labels, reply


async def community(bot: RunningBot, guild_id: int) -> Community | None:
    """The community Backit keeps for a server."""
    async with bot.services.uows() as uow:
        return await uow.communities.get(Platform.DISCORD, str(guild_id))


async def test_a_linked_campaign_comes_first_in_discover_in_that_server_only(
    discord_bot: RunningBot, clock: Clock
) -> None:
    uows = discord_bot.services.uows
    await live_campaign(uows, clock, "lamp")
    await live_campaign(uows, clock, "kiln", title="The Kiln")
    makers, elsewhere = discord_bot.server(), discord_bot.server("Elsewhere")
    olga = discord_bot.member(makers, "olga", admin=True)
    bob = discord_bot.member(elsewhere, "bob")

    done = await reply(await olga.slash("backit link", options={"name": "kiln"}))
    assert done.visible_to == olga.user.id
    assert done.content == "“The Kiln” is linked to this server."
    here = await reply(await olga.slash("discover"))
    there = await reply(await bob.slash("discover"))
    assert labels(here)[:2] == ["1. The Kiln", "2. The Reading Lamp"]
    assert labels(there)[:2] == ["1. The Reading Lamp", "2. The Kiln"]

    undone = await reply(await olga.slash("backit unlink", options={"name": "kiln"}))
    assert undone.content == "“The Kiln” is no longer linked here."
    assert labels(await reply(await olga.slash("discover")))[:2] == [
        "1. The Reading Lamp",
        "2. The Kiln",
    ]


async def test_a_member_without_manage_server_is_refused_even_when_given_the_command(
    discord_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(discord_bot.services.uows, clock)
    guild = discord_bot.server()
    bob = discord_bot.member(guild, "bob")
    with pytest.raises(ActionRefused, match="Discord hides /backit"):
        await bob.slash("backit link", options={"name": "lamp"})

    # A server's admins may open the command to anyone: Backit still checks.
    discord_bot.standin.grant_command(guild, "backit", bob.user)
    refused = await reply(await bob.slash("backit link", options={"name": "lamp"}))
    news = guild.channel("news")
    announcing = await reply(await bob.slash("backit announce on", options={"channel": news}))

    assert refused.visible_to == bob.user.id
    assert refused.content == "Only this chat's administrators can do that."
    assert announcing.content == refused.content
    assert await community(discord_bot, guild.id) is None


async def test_announcements_go_to_a_channel_the_bot_may_post_in(discord_bot: RunningBot) -> None:
    standin = discord_bot.standin
    guild = discord_bot.server()
    closed = standin.channel(
        guild, "staff", overwrites=[Overwrite(standin.bot.id, MEMBER_OVERWRITE, deny=SEND_MESSAGES)]
    )
    # Discord sends channels to a bot when it connects; this one came after.
    await discord_bot.restart()
    olga = discord_bot.member(guild, "olga", admin=True)
    news = guild.channel("news")

    on = await reply(await olga.slash("backit announce on", options={"channel": news}))
    assert on.content == f"Announcements are on in this server, in <#{news.id}>."
    kept = await community(discord_bot, guild.id)
    assert kept is not None
    assert (kept.title, kept.announcements, kept.announce_channel_id) == (
        "Makers",
        True,
        str(news.id),
    )

    off = await reply(await olga.slash("backit announce off"))
    assert off.content == "Announcements are off in this server."
    kept = await community(discord_bot, guild.id)
    assert kept is not None
    assert not kept.announcements

    refused = await reply(await olga.slash("backit announce on", options={"channel": closed}))
    assert refused.content == f"I cannot post in <#{closed.id}>: let me send messages there first."
