"""/updates on Discord: a campaign's updates for the member alone, paged in place."""

from __future__ import annotations

from core.identity import Caller
from core.ports import Clock
from tests.adapters.chat_campaigns import past_updates
from tests.adapters.discord.campaigns import live_campaign, paid_pledge
from tests.adapters.discord.people import RunningBot, embed, identity, labels, press, reply


async def test_the_archive_pages_in_place_and_shows_backers_only_news_to_backers(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")
    uows = discord_bot.services.uows
    lamp = await live_campaign(uows, clock, creators=(identity(ada),))
    texts = [f"News **{n}**" for n in range(7)]
    await past_updates(uows, clock, lamp, texts, backers_only={6})

    first = await reply(await bob.slash("updates", options={"name": "lamp"}))
    assert first.visible_to == bob.user.id
    assert embed(first)["title"] == "Updates from “The Reading Lamp”"
    # Markdown in an update is shown as written, not applied.
    assert "News \\*\\*5\\*\\*" in embed(first)["description"]
    assert "News \\*\\*6\\*\\*" not in embed(first)["description"]
    assert embed(first)["footer"]["text"] == "Page 1 of 2"
    assert labels(first) == ["Next ▶"]

    second = await reply(await press(bob, first, "Next ▶"))
    assert second.id == first.id
    assert embed(second)["description"].startswith("**6. ")
    assert labels(second) == ["◀ Previous"]

    await paid_pledge(uows, clock, lamp, Caller(identity(bob), "bob", "en"), 2_500)
    backer = await reply(await bob.slash("updates", options={"name": "lamp"}))
    assert "News \\*\\*6\\*\\*" in embed(backer)["description"]


async def test_an_empty_archive_says_so(discord_bot: RunningBot, clock: Clock) -> None:
    bob = discord_bot.member(discord_bot.server(), "bob", locale="fr")
    await live_campaign(discord_bot.services.uows, clock, creators=(identity(bob),))

    empty = await reply(await bob.slash("updates", options={"name": "lamp"}))
    assert embed(empty)["description"] == (
        "«\u00a0The Reading Lamp\u00a0» n’a encore publié aucune actualité."
    )
