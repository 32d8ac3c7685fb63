"""/launchdate on Discord: the creator of a campaign not yet live moves its launch, and its
end with it; anyone else, a live campaign or an unreadable moment is refused, nothing moved."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.standins.discord import Member
from core.campaigns import Campaign
from core.ports import Clock
from tests.adapters.chat_campaigns import back_to_draft
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, identity, reply


async def launches(member: Member, name: str, when: str) -> str | None:
    """/launchdate; the answer, which only the member sees."""
    answer = await reply(await member.slash("launchdate", options={"name": name, "when": when}))
    assert answer.visible_to == member.user.id
    return answer.content


async def stored(bot: RunningBot, slug: str) -> Campaign:
    """The campaign as the database holds it."""
    async with bot.services.uows() as uow:
        found = await uow.campaigns.by_slug(slug)
    assert found is not None
    return found


async def test_the_creator_moves_a_drafts_launch_in_their_language(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada = discord_bot.member(guild, "ada", locale="fr")
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    await back_to_draft(discord_bot.services.uows, lamp)

    # The clock stands at Nov 1, 2026, 12:00 UTC; the lamp runs for 21 days.
    assert await launches(ada, "lamp", "2026-11-06 18:00") == (
        "«\u00a0The Reading Lamp\u00a0» sera lancée le 6 nov. 2026 à 18:00 UTC une fois "
        "approuvée, et se terminera le 27 nov. 2026 à 18:00 UTC."
    )
    moved = await stored(discord_bot, "lamp")
    assert moved.starts_at == datetime(2026, 11, 6, 18, 0, tzinfo=UTC)
    assert moved.ends_at - moved.starts_at == lamp.ends_at - lamp.starts_at


async def test_someone_else_a_live_campaign_and_a_bad_moment_are_refused(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))

    assert await launches(ada, "lamp", "now") == (
        "“The Reading Lamp” has already launched, so its launch can no longer move."
    )
    assert await launches(bob, "lamp", "now") == (
        "Only the creator of “The Reading Lamp” can choose when it launches."
    )
    await back_to_draft(discord_bot.services.uows, lamp)
    assert await launches(ada, "lamp", "2026-10-30 09:00") == "Launch: it has already passed"
    assert (await stored(discord_bot, "lamp")).starts_at == lamp.starts_at
