"""Fan-out: every follower and backer hears of an event once, on their platform, within its
limits, however the event came about."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace

from adapters.standins.discord import DiscordStandin
from adapters.standins.telegram import BotApiStandin
from adapters.storage import Database
from bots.clock import SystemClock
from core.campaigns import Campaign
from core.identity import Identity, Platform
from core.money import Money
from core.outbox import OutboxStatus
from core.payments import OutcomeKind, PaymentOutcome
from core.ports import UnitOfWork
from core.rate_limits import Rate, SendLimits
from core.updates import UpdateAudience
from core.usecases.payments import apply_payment_outcome
from core.usecases.updating import post_update
from tests.adapters.storage.builders import CREATOR, a_pledge, committed
from tests.delivery.audiences import add_followers
from tests.delivery.conftest import QUICK, deliver_everything, discord, dispatcher, telegram

# Ten thousand people on both platforms (fewer on Discord, where a first DM costs two
# requests). The stand-ins enforce their limits scaled up (per bot and per request) so the run
# takes seconds; per chat they keep Telegram's and Discord's own.
TELEGRAM_PEOPLE = 7_000
DISCORD_PEOPLE = 3_000
TELEGRAM_PER_SECOND = 600
DISCORD_PER_SECOND = 1_200


def windows_within(arrivals: list[float], count: int, seconds: float) -> bool:
    """Whether no `seconds`-long window of the arrival times holds more than `count`."""
    ordered = sorted(arrivals)
    return all(b - a >= seconds for a, b in zip(ordered, ordered[count:], strict=False))


async def test_ten_thousand_people_on_both_platforms_each_get_an_update_once_within_limits(
    database: Database,
    campaign: Campaign,
    telegram_standin: BotApiStandin,
    discord_standin: DiscordStandin,
) -> None:
    telegram_people = [telegram_standin.user(10_000 + n, f"T{n}") for n in range(TELEGRAM_PEOPLE)]
    for user in telegram_people:
        telegram_standin.private_chat(user)
    discord_people = [discord_standin.user(f"d{n}") for n in range(DISCORD_PEOPLE)]
    await add_followers(
        database,
        campaign.id,
        [Identity(Platform.TELEGRAM, str(user.id)) for user in telegram_people]
        + [Identity(Platform.DISCORD, str(user.id)) for user in discord_people],
    )
    posted = await post_update(
        database.unit_of_work(),
        SystemClock(),
        frozenset(),
        CREATOR,
        campaign.id,
        "The first lamps are out of the kiln.",
        UpdateAudience.EVERYONE,
    )
    assert posted.queued == TELEGRAM_PEOPLE + DISCORD_PEOPLE
    telegram_standin.enforce_rate_limits(messages_per_second=TELEGRAM_PER_SECOND)
    discord_standin.rate_limits.enable(global_per_second=DISCORD_PER_SECOND)
    telegram_limits = SendLimits(Rate(TELEGRAM_PER_SECOND, 1.0), Rate(1, 1.0), Rate(20, 60.0))
    discord_limits = SendLimits(Rate(DISCORD_PER_SECOND, 1.0), Rate(5, 5.0), Rate(5, 5.0))

    async with (
        telegram(telegram_standin, telegram_limits) as on_telegram,
        discord(discord_limits) as on_discord,
    ):
        await deliver_everything(
            database,
            dispatcher(database, [on_telegram, on_discord], replace(QUICK, batch_size=500)),
        )

    received = Counter(record.chat_id for record in telegram_standin.send_log)
    assert received == Counter({user.id: 1 for user in telegram_people})
    dms = [discord_standin.dm_channel(user) for user in discord_people]
    assert [len(discord_standin.channel_messages(dm)) for dm in dms] == [1] * DISCORD_PEOPLE
    assert telegram_standin.throttled_count == 0
    assert discord_standin.rate_limits.limited == 0
    assert windows_within([r.at for r in telegram_standin.send_log], TELEGRAM_PER_SECOND, 1.0)
    assert windows_within(
        [s.at for s in discord_standin.rate_limits.sends], DISCORD_PER_SECOND, 1.0
    )
    async with database.unit_of_work() as uow:
        counts = await uow.outbox.status_counts()
    assert counts[OutboxStatus.SENT] == TELEGRAM_PEOPLE + DISCORD_PEOPLE


async def test_payments_crossing_half_at_once_announce_each_milestone_once_to_each_person(
    database: Database, campaign: Campaign, telegram_standin: BotApiStandin
) -> None:
    # 40 people who follow and back, 10 who only follow. The campaign stands at €125 of
    # €1,000; forty €10 pledges authorized at once take it past 25 % and 50 %, in whatever
    # order they land.
    backers = [telegram_standin.user(500 + n, f"B{n}") for n in range(40)]
    followers = [telegram_standin.user(900 + n, f"F{n}") for n in range(10)]
    for user in backers + followers:
        telegram_standin.private_chat(user)
    backer_ids = await add_followers(
        database,
        campaign.id,
        [Identity(Platform.TELEGRAM, str(user.id)) for user in backers + followers],
    )

    async def add_pledges(uow: UnitOfWork) -> list[int]:
        pledges = [
            await uow.pledges.add(a_pledge(backer, campaign.id, amount=Money(1_000, "EUR")))
            for backer in backer_ids[:40]
        ]
        return [pledge.id for pledge in pledges if pledge is not None]

    pledge_ids = await committed(database, add_pledges)
    await asyncio.gather(
        *(
            apply_payment_outcome(
                database.unit_of_work(),
                SystemClock(),
                PaymentOutcome(pledge_id, OutcomeKind.AUTHORIZED),
            )
            for pledge_id in pledge_ids
        )
    )

    async with telegram(telegram_standin) as sender:
        await deliver_everything(database, dispatcher(database, [sender]))

    for user in backers + followers:
        texts = [m["text"] for m in telegram_standin.messages(telegram_standin.private_chat(user))]
        titles = Counter(text.split("\n")[0] for text in texts)
        milestones = {title: n for title, n in titles.items() if "of its goal" in title}
        assert milestones == {
            "The Lamp reached 25% of its goal": 1,
            "The Lamp reached 50% of its goal": 1,
        }
        assert titles["Pledge saved for The Lamp"] == (1 if user in backers else 0)
        assert sum(titles.values()) == len(milestones) + titles["Pledge saved for The Lamp"]
