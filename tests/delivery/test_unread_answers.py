"""A platform's 2xx is a delivery, whatever the client library makes of its body: a message
whose answer came back garbled is counted as sent, and never sent again."""

from __future__ import annotations

from adapters.standins.discord import DiscordStandin
from adapters.standins.telegram import BotApiStandin
from adapters.storage import Database
from core.campaigns import Campaign
from core.identity import Identity, Platform
from core.outbox import OutboxStatus
from tests.delivery.audiences import add_followers
from tests.delivery.conftest import deliver_everything, discord, dispatcher, telegram
from tests.delivery.test_failures import post


async def outcomes(database: Database) -> tuple[dict[OutboxStatus, int], list[str | None]]:
    """Messages by state, and every error recorded against one."""
    async with database.unit_of_work() as uow:
        counts = await uow.outbox.status_counts()
        failures = await uow.outbox.latest_failures(1_000)
    return counts, [message.last_error for message in failures]


async def test_a_telegram_message_answered_with_a_garbled_200_is_delivered_exactly_once(
    database: Database, campaign: Campaign, telegram_standin: BotApiStandin
) -> None:
    people = [telegram_standin.user(100 + n, f"P{n}") for n in range(3)]
    chats = [telegram_standin.private_chat(user) for user in people]
    await add_followers(
        database, campaign.id, [Identity(Platform.TELEGRAM, str(u.id)) for u in people]
    )
    await post(database, campaign)
    telegram_standin.garble_answers(chats[1])

    async with telegram(telegram_standin) as sender:
        await deliver_everything(database, dispatcher(database, [sender]))

    assert [len(telegram_standin.messages(chat)) for chat in chats] == [1, 1, 1]
    counts, errors = await outcomes(database)
    assert counts[OutboxStatus.SENT] == 3
    assert errors == []


async def test_a_discord_message_answered_with_a_garbled_200_is_delivered_exactly_once(
    database: Database, campaign: Campaign, discord_standin: DiscordStandin
) -> None:
    people = [discord_standin.user(f"p{n}") for n in range(3)]
    await add_followers(
        database, campaign.id, [Identity(Platform.DISCORD, str(u.id)) for u in people]
    )
    await post(database, campaign)
    dms = [discord_standin.dm_channel(user) for user in people]
    discord_standin.garble_answers(dms[1])

    async with discord() as sender:
        await deliver_everything(database, dispatcher(database, [sender]))

    assert [len(discord_standin.channel_messages(dm)) for dm in dms] == [1, 1, 1]
    counts, errors = await outcomes(database)
    assert counts[OutboxStatus.SENT] == 3
    assert errors == []
