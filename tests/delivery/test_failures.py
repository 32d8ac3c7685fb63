"""When a platform refuses: waiting out a 429, and no more messages to whoever is gone."""

from __future__ import annotations

import time

from adapters.standins.discord import DiscordStandin
from adapters.standins.telegram import BotApiStandin
from adapters.storage import Database
from bots.clock import SystemClock
from core.campaigns import Campaign
from core.communities import Community
from core.identity import Identity, Platform
from core.outbox import OutboxMessage, OutboxStatus
from core.ports import UnitOfWork
from core.updates import UpdateAudience
from core.usecases.updating import post_update
from tests.adapters.storage.builders import CREATOR, committed
from tests.delivery.audiences import add_followers
from tests.delivery.conftest import deliver_everything, discord, dispatcher, telegram

NEWS = "The lamps ship on Monday."


async def post(database: Database, campaign: Campaign, text: str = NEWS) -> int:
    """A public creator update, queued for every follower and announcing community."""
    posted = await post_update(
        database.unit_of_work(),
        SystemClock(),
        frozenset(),
        CREATOR,
        campaign.id,
        text,
        UpdateAudience.EVERYONE,
    )
    return posted.queued


async def outbox(database: Database) -> dict[str, OutboxMessage]:
    """Every message, by recipient address."""
    async with database.unit_of_work() as uow:
        messages = await uow.outbox.latest_failures(1_000)
        failed = {m.recipient.address: m for m in messages}
        counts = await uow.outbox.status_counts()
    assert counts[OutboxStatus.PENDING] == counts[OutboxStatus.SENDING] == 0
    return failed


async def test_a_telegram_429_pauses_sending_for_its_retry_after_then_delivers_once(
    database: Database, campaign: Campaign, telegram_standin: BotApiStandin
) -> None:
    people = [telegram_standin.user(100 + n, f"P{n}") for n in range(3)]
    chats = [telegram_standin.private_chat(user) for user in people]
    await add_followers(
        database, campaign.id, [Identity(Platform.TELEGRAM, str(u.id)) for u in people]
    )
    await post(database, campaign)
    telegram_standin.inject_flood(retry_after=1)

    refused_at = time.monotonic()
    async with telegram(telegram_standin) as sender:
        await deliver_everything(database, dispatcher(database, [sender]))

    assert telegram_standin.throttled_count == 1
    assert [len(telegram_standin.messages(chat)) for chat in chats] == [1, 1, 1]
    # Nothing went out until the second Telegram asked for had passed.
    assert min(record.at for record in telegram_standin.send_log) - refused_at >= 1.0


async def test_a_discord_429_pauses_sending_for_its_retry_after_then_delivers_once(
    database: Database, campaign: Campaign, discord_standin: DiscordStandin
) -> None:
    people = [discord_standin.user(f"p{n}") for n in range(3)]
    await add_followers(
        database, campaign.id, [Identity(Platform.DISCORD, str(u.id)) for u in people]
    )
    await post(database, campaign)
    # Without Discord's Via header discord.py does not retry: Backit's dispatcher does.
    discord_standin.rate_limits.refuse_sends(1, retry_after=1.0, via=False)

    async with discord() as sender:
        await deliver_everything(database, dispatcher(database, [sender]))

    sends = [s for s in discord_standin.rate_limits.sends if s.route.endswith("/messages")]
    assert [s.status for s in sends].count(429) == 1
    refused = next(s.at for s in sends if s.status == 429)
    assert all(s.at - refused >= 1.0 for s in sends if s.status == 200)
    dms = [discord_standin.dm_channel(user) for user in people]
    assert [len(discord_standin.channel_messages(dm)) for dm in dms] == [1, 1, 1]


async def test_telegram_users_who_blocked_the_bot_or_left_are_tried_once_and_then_spared(
    database: Database, campaign: Campaign, telegram_standin: BotApiStandin
) -> None:
    people = [telegram_standin.user(100 + n, f"P{n}") for n in range(5)]
    chats = [telegram_standin.private_chat(user) for user in people]
    ids = await add_followers(
        database, campaign.id, [Identity(Platform.TELEGRAM, str(u.id)) for u in people]
    )
    telegram_standin.block(people[1])
    telegram_standin.deactivate(people[3])
    await post(database, campaign)

    async with telegram(telegram_standin) as sender:
        await deliver_everything(database, dispatcher(database, [sender]))

    failed = await outbox(database)
    assert {address: (m.status, m.attempts) for address, m in failed.items()} == {
        "101": (OutboxStatus.DEAD, 1),
        "103": (OutboxStatus.DEAD, 1),
    }
    assert "blocked" in (failed["101"].last_error or "")
    assert "deactivated" in (failed["103"].last_error or "")
    assert [len(telegram_standin.messages(chat)) for chat in chats] == [1, 0, 1, 0, 1]
    async with database.unit_of_work() as uow:
        reachable = [(await uow.backers.get(backer_id)) for backer_id in ids]
    assert [backer.reachable for backer in reachable if backer] == [True, False, True, False, True]
    # The next update is not even queued for them.
    assert await post(database, campaign, "The stands follow a week later.") == 3


async def test_a_discord_user_who_closed_their_dms_is_tried_once_and_then_spared(
    database: Database, campaign: Campaign, discord_standin: DiscordStandin
) -> None:
    open_dms = discord_standin.user("open")
    closed = discord_standin.user("closed", accepts_dms=False)
    await add_followers(
        database,
        campaign.id,
        [Identity(Platform.DISCORD, str(user.id)) for user in (open_dms, closed)],
    )
    await post(database, campaign)

    async with discord() as sender:
        await deliver_everything(database, dispatcher(database, [sender]))

    failed = await outbox(database)
    assert [(m.recipient.address, m.attempts) for m in failed.values()] == [(str(closed.id), 1)]
    assert "50007" in (failed[str(closed.id)].last_error or "")
    assert len(discord_standin.channel_messages(discord_standin.dm_channel(open_dms))) == 1
    assert await post(database, campaign, "The stands follow a week later.") == 1


async def test_communities_whose_channel_is_gone_stop_announcing(
    database: Database,
    campaign: Campaign,
    telegram_standin: BotApiStandin,
    discord_standin: DiscordStandin,
) -> None:
    admin = telegram_standin.user(7, "Admin")
    kept = telegram_standin.group(-1001, "Makers", creator=admin)
    left = telegram_standin.group(-1002, "Tinkerers", creator=admin)
    telegram_standin.kick_bot(left, by=admin)
    guild = discord_standin.guild("Lamp lovers", channels=("news", "old-news"))
    news, old_news = guild.channel("news"), guild.channel("old-news")
    discord_standin.delete_channel(old_news)
    places = [
        Community(0, Platform.TELEGRAM, str(kept.id), "Makers"),
        Community(0, Platform.TELEGRAM, str(left.id), "Tinkerers"),
        Community(0, Platform.DISCORD, str(guild.id), "Lamp lovers", str(news.id)),
        Community(0, Platform.DISCORD, "42", "Old lamps", str(old_news.id)),
    ]

    async def link(uow: UnitOfWork) -> None:
        for place in places:
            community = await uow.communities.save(place)
            await uow.communities.link(community.id, campaign.id)

    await committed(database, link)
    assert await post(database, campaign) == 4

    async with telegram(telegram_standin) as on_telegram, discord() as on_discord:
        await deliver_everything(database, dispatcher(database, [on_telegram, on_discord]))

    assert len([m for m in telegram_standin.messages(kept) if m["text"].startswith("Update")]) == 1
    assert len(discord_standin.channel_messages(news)) == 1
    async with database.unit_of_work() as uow:
        announcing = [
            (await uow.communities.get(place.platform, place.chat_id)) for place in places
        ]
    assert [c.announcements for c in announcing if c] == [True, False, True, False]
    assert await post(database, campaign, "The stands follow a week later.") == 2
