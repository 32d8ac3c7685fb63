"""A creator update: arriving whole however long, and its delivery shown to the creator."""

from __future__ import annotations

import re

from adapters.standins.discord import DiscordStandin
from adapters.standins.telegram import BotApiStandin
from adapters.storage import Database
from bots.clock import SystemClock
from core.campaigns import Campaign
from core.communities import Community
from core.identity import Identity, Platform
from core.ports import UnitOfWork
from core.updates import UPDATE_MAX_CHARS, UpdateAudience
from core.usecases.updating import post_update
from tests.adapters.storage.builders import committed
from tests.delivery.audiences import add_followers
from tests.delivery.conftest import deliver_everything, discord, dispatcher, telegram

TITLE = "Update from The Lamp"


def long_update() -> str:
    """10,000 characters of numbered paragraphs, so a lost or repeated piece shows."""
    paragraphs: list[str] = []
    number = 0
    while sum(len(p) + 2 for p in paragraphs) < UPDATE_MAX_CHARS:
        number += 1
        paragraphs.append(f"Paragraph {number}: " + "the kiln is hot and the glaze is drying. " * 6)
    return "\n\n".join(paragraphs)[:UPDATE_MAX_CHARS].rstrip()


def words(text: str) -> list[str]:
    """The text's words: what must arrive, whatever whitespace a split took."""
    return re.findall(r"\S+", text)


async def test_an_update_of_ten_thousand_characters_arrives_whole_on_both_platforms(
    database: Database,
    campaign: Campaign,
    telegram_standin: BotApiStandin,
    discord_standin: DiscordStandin,
) -> None:
    text = long_update()
    assert len(text) == UPDATE_MAX_CHARS
    creator = telegram_standin.user(1000, "Ada")
    creator_chat = telegram_standin.private_chat(creator)
    reader = telegram_standin.user(2000, "Bo")
    reader_chat = telegram_standin.private_chat(reader)
    member = discord_standin.user("cy")
    guild = discord_standin.guild("Lamp lovers", channels=("news",))
    news = guild.channel("news")
    await add_followers(
        database,
        campaign.id,
        [Identity(Platform.TELEGRAM, str(reader.id)), Identity(Platform.DISCORD, str(member.id))],
    )

    async def link(uow: UnitOfWork) -> None:
        community = await uow.communities.save(
            Community(0, Platform.DISCORD, str(guild.id), "Lamp lovers", str(news.id))
        )
        await uow.communities.link(community.id, campaign.id)

    await committed(database, link)
    posted = await post_update(
        database.unit_of_work(),
        SystemClock(),
        frozenset(),
        Identity(Platform.TELEGRAM, str(creator.id)),
        campaign.id,
        text,
        UpdateAudience.EVERYONE,
        report_chat=str(creator.id),
    )
    assert posted.queued == 3

    def reported() -> bool:
        return [m["text"] for m in telegram_standin.messages(creator_chat)] == [
            "Update delivered to 3 of 3"
        ]

    async with telegram(telegram_standin) as on_telegram, discord() as on_discord:
        # The creator's one status message ends with the final count.
        await deliver_everything(
            database, dispatcher(database, [on_telegram, on_discord]), until=reported
        )

    telegram_parts = [m["text"] for m in telegram_standin.messages(reader_chat)]
    assert len(telegram_parts) == 3
    assert all(len(part.encode("utf-16-le")) // 2 <= 4096 for part in telegram_parts)
    assert words("\n".join(telegram_parts)) == words(f"{TITLE}\n\n{text}")
    for channel in (discord_standin.dm_channel(member), news):
        messages = discord_standin.channel_messages(channel)
        embeds = [embed for message in messages for embed in message.payload["embeds"]]
        assert len(messages) == 3
        assert all(len(embed["description"]) <= 4096 for embed in embeds)
        assert embeds[0]["title"] == TITLE
        # Discord's copy is escaped for markdown; this text has nothing to escape.
        assert words("\n".join(e["description"] for e in embeds)) == words(text)
