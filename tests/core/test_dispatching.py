"""The outbox dispatcher: each message delivered once, failures retried, dropped or given up."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from datetime import timedelta

import pytest

from core import notifications
from core.campaigns import Campaign
from core.communities import Community
from core.delivery import DeliveryFailed, RecipientGone, TryAgainLater
from core.identity import Platform
from core.milestones import Milestone, MilestoneKind
from core.outbox import (
    Audience,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Recipient,
    RecipientKind,
)
from core.payments import OutcomeKind
from core.usecases.backers import reachable_again, remember
from core.usecases.dispatching import Dispatcher, DispatchSettings, retry_delay
from core.usecases.following import follow, set_muted
from tests.core.conftest import apply, caller, pledged
from tests.delivery_fakes import FakeLinks, RecordingSender
from tests.fakes import FakeDatabase, FixedClock

FAST = DispatchSettings(idle_seconds=0.005, stop_timeout=1.0)


def dispatcher(
    db: FakeDatabase,
    clock: FixedClock,
    *senders: RecordingSender,
    settings: DispatchSettings = FAST,
    rng: random.Random | None = None,
) -> Dispatcher:
    """A dispatcher over the fake database."""
    return Dispatcher(db.unit_of_work, clock, senders, FakeLinks(), settings, rng)


def milestone(campaign: Campaign, percent: int = 50) -> Notification:
    """A milestone notification of the campaign."""
    return notifications.milestone_reached(Milestone(campaign.id, MilestoneKind.PERCENT, percent))


async def queue(
    db: FakeDatabase,
    clock: FixedClock,
    campaign: Campaign,
    *addresses: str,
    platform: Platform = Platform.TELEGRAM,
    percent: int = 50,
    delay: timedelta = timedelta(0),
) -> None:
    """Queue the campaign's milestone to each address, due after `delay`."""
    async with db.unit_of_work() as uow:
        for address in addresses:
            recipient = Recipient(platform, RecipientKind.USER, address, "en")
            await uow.outbox.enqueue(recipient, milestone(campaign, percent), clock.now() + delay)
        await uow.commit()


def rows(db: FakeDatabase, address: str | None = None) -> list[OutboxMessage]:
    """The outbox as stored, optionally only one address's messages."""
    return [m for m in db.state.outbox if address is None or m.recipient.address == address]


def statuses(db: FakeDatabase) -> dict[str, list[OutboxStatus]]:
    """Each address's message statuses, in queue order."""
    found: dict[str, list[OutboxStatus]] = {}
    for message in db.state.outbox:
        found.setdefault(message.recipient.address, []).append(message.status)
    return found


async def eventually(condition: Callable[[], bool]) -> None:
    """Wait, for two seconds at most, until a condition on the fakes holds."""
    async with asyncio.timeout(2):
        # The fake database tells no one when it changes: look again every millisecond.
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.001)


async def test_every_message_is_delivered_once_and_marked_sent(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1", "2", "3")
    await queue(db, clock, campaign, "1", percent=75)
    sender = RecordingSender(Platform.TELEGRAM)
    await dispatcher(db, clock, sender, settings=DispatchSettings(batch_size=2)).drain()
    await dispatcher(db, clock, sender).drain()
    assert sorted(d.recipient.address for d in sender.delivered) == ["1", "1", "2", "3"]
    assert all(m.status is OutboxStatus.SENT and m.attempts == 1 for m in rows(db))


async def test_a_follower_who_also_backed_hears_of_a_milestone_once(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await follow(db.unit_of_work(), clock, caller(1), campaign.id)
    await follow(db.unit_of_work(), clock, caller(2), campaign.id)
    await apply(db, clock, await pledged(db, clock, campaign, 1, 30_000), OutcomeKind.PAID)
    sender = RecordingSender(Platform.TELEGRAM)
    await dispatcher(db, clock, sender).drain()
    assert [n.title for n in sender.delivered_to("1")] == [
        "The Reading Lamp reached 25% of its goal",
        "Thank you for backing The Reading Lamp!",
    ]
    assert [n.title for n in sender.delivered_to("2")] == [
        "The Reading Lamp reached 25% of its goal"
    ]


async def test_a_muted_follower_hears_only_their_receipts(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await follow(db.unit_of_work(), clock, caller(1), campaign.id)
    await set_muted(db.unit_of_work(), caller(1), campaign.id, True)
    await apply(db, clock, await pledged(db, clock, campaign, 1, 30_000), OutcomeKind.PAID)
    sender = RecordingSender(Platform.TELEGRAM)
    await dispatcher(db, clock, sender).drain()
    assert [n.title for n in sender.delivered_to("1")] == [
        "Thank you for backing The Reading Lamp!"
    ]


async def test_a_person_who_cannot_be_reached_is_dropped_until_they_write_again(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    for user in (1, 2):
        await follow(db.unit_of_work(), clock, caller(user), campaign.id)
    async with db.unit_of_work() as uow:
        await uow.outbox.enqueue_audience(
            campaign.id, Audience.FOLLOWERS_AND_BACKERS, milestone(campaign), clock.now(), False
        )
        await uow.commit()
    # Another message to them, not due yet, is dropped as well.
    await queue(db, clock, campaign, "1", percent=75, delay=timedelta(hours=1))
    sender = RecordingSender(Platform.TELEGRAM)
    sender.fail("1", RecipientGone("Forbidden: bot was blocked by the user"))
    await dispatcher(db, clock, sender).drain()

    assert [d.recipient.address for d in sender.delivered] == ["2"]
    assert statuses(db) == {
        "1": [OutboxStatus.DEAD, OutboxStatus.DEAD],
        "2": [OutboxStatus.SENT],
    }
    assert {m.last_error for m in rows(db, "1")} == {"Forbidden: bot was blocked by the user"}
    person = next(b for b in db.state.backers.values() if b.identity == caller(1).identity)
    assert not person.reachable
    # Using Backit does not make them reachable; starting the bot again does.
    assert not (await remember(db.unit_of_work, caller(1))).reachable
    await reachable_again(db.unit_of_work, caller(1))
    assert db.state.backers[person.id].reachable


async def test_a_channel_that_cannot_be_reached_stops_its_announcements(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    async with db.unit_of_work() as uow:
        group = await uow.communities.save(Community(0, Platform.TELEGRAM, "-100", "Group"))
        await uow.communities.link(group.id, campaign.id)
        await uow.outbox.enqueue_audience(
            campaign.id, Audience.FOLLOWERS_AND_BACKERS, milestone(campaign), clock.now(), True
        )
        await uow.commit()
    sender = RecordingSender(Platform.TELEGRAM)
    sender.fail("-100", RecipientGone("Forbidden: bot was kicked"))
    await dispatcher(db, clock, sender).drain()
    assert statuses(db) == {"-100": [OutboxStatus.DEAD]}
    assert not db.state.communities[group.id].announcements


async def test_a_platform_asking_to_wait_is_retried_exactly_that_much_later(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1")
    sender = RecordingSender(Platform.TELEGRAM)
    sender.fail("1", TryAgainLater("Too Many Requests", retry_after=30))
    queued_at = clock.now()
    await dispatcher(db, clock, sender).drain()
    [message] = rows(db)
    assert (message.status, message.next_attempt_at) == (
        OutboxStatus.PENDING,
        queued_at + timedelta(seconds=30),
    )
    assert message.last_error == "Too Many Requests"

    clock.advance(timedelta(seconds=29))
    await dispatcher(db, clock, sender).drain()
    assert (len(sender.started), sender.delivered) == (1, [])
    clock.advance(timedelta(seconds=1))
    await dispatcher(db, clock, sender).drain()
    await dispatcher(db, clock, sender).drain()
    assert [d.recipient.address for d in sender.delivered] == ["1"]
    assert (rows(db)[0].status, rows(db)[0].attempts) == (OutboxStatus.SENT, 2)


class Extreme(random.Random):
    """Randomness that always picks one end of the range it is asked for."""

    def __init__(self, high: bool) -> None:
        super().__init__()
        self.high = high

    def uniform(self, a: float, b: float) -> float:
        """The high or the low end."""
        return b if self.high else a


@pytest.mark.parametrize(
    ("high", "expected"), [(False, [5, 10, 20, 30, 30]), (True, [10, 20, 40, 60, 60])]
)
def test_backoff_doubles_within_its_jitter_and_stops_at_the_last_delay(
    high: bool, expected: list[int]
) -> None:
    settings = DispatchSettings(first_retry=timedelta(seconds=10), last_retry=timedelta(minutes=1))
    delays = [retry_delay(attempts, settings, Extreme(high)) for attempts in range(1, 6)]
    assert delays == [timedelta(seconds=s) for s in expected]
    # However many attempts an operator allows, the delay stays at the last one.
    assert retry_delay(10_000, settings, Extreme(high)) == timedelta(seconds=expected[-1])


async def test_transient_failures_back_off_then_give_up_with_the_error(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1")
    sender = RecordingSender(Platform.TELEGRAM)
    sender.fail("1", TryAgainLater("timed out"), times=10)
    settings = DispatchSettings(
        max_attempts=5, first_retry=timedelta(seconds=10), last_retry=timedelta(seconds=60)
    )
    delays: list[float] = []
    for _ in range(4):
        await dispatcher(db, clock, sender, settings=settings, rng=random.Random(5)).drain()
        [message] = rows(db)
        assert message.status is OutboxStatus.PENDING
        delays.append((message.next_attempt_at - clock.now()).total_seconds())
        clock.current = message.next_attempt_at
    for delay, ceiling in zip(delays, (10, 20, 40, 60), strict=True):
        assert ceiling * 0.5 <= delay <= ceiling
    assert len(set(delays)) == 4

    await dispatcher(db, clock, sender, settings=settings).drain()
    [message] = rows(db)
    assert (message.status, message.attempts) == (OutboxStatus.DEAD, 5)
    assert message.last_error == "timed out (after 5 attempts)"
    assert len(sender.started) == 5


async def test_a_message_that_itself_fails_is_dead_at_once_and_its_reader_stays_reachable(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    backer = await remember(db.unit_of_work, caller(1))
    async with db.unit_of_work() as uow:
        recipient = Recipient(Platform.TELEGRAM, RecipientKind.USER, "1", "en", backer_id=backer.id)
        await uow.outbox.enqueue(recipient, milestone(campaign), clock.now())
        await uow.commit()
    sender = RecordingSender(Platform.TELEGRAM)
    sender.fail("1", DeliveryFailed("Bad Request: can't parse entities"))
    await dispatcher(db, clock, sender).drain()
    [message] = rows(db)
    assert (message.status, message.attempts) == (OutboxStatus.DEAD, 1)
    assert message.last_error == "Bad Request: can't parse entities"
    assert db.state.backers[backer.id].reachable


async def test_a_long_message_is_resumed_after_the_parts_already_sent(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1")
    sender = RecordingSender(Platform.TELEGRAM)
    sender.fail("1", TryAgainLater("connection reset", sent_parts=2))
    await dispatcher(db, clock, sender).drain()
    assert rows(db)[0].parts_sent == 2
    clock.advance(FAST.first_retry)
    await dispatcher(db, clock, sender).drain()
    assert [d.skip_parts for d in sender.started] == [0, 2]
    assert [d.skip_parts for d in sender.delivered] == [2]


async def test_an_unexpected_error_is_retried_once_then_dead_with_its_reason(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1")
    sender = RecordingSender(Platform.TELEGRAM)
    sender.fail("1", RuntimeError("adapter bug"), times=3)
    await dispatcher(db, clock, sender).drain()
    [message] = rows(db)
    assert (message.status, message.last_error) == (
        OutboxStatus.PENDING,
        "unexpected RuntimeError: adapter bug",
    )
    clock.current = message.next_attempt_at
    await dispatcher(db, clock, sender).drain()
    [message] = rows(db)
    assert (message.status, message.attempts, message.last_error) == (
        OutboxStatus.DEAD,
        2,
        "unexpected RuntimeError: adapter bug (after 2 attempts)",
    )
    clock.advance(timedelta(days=1))
    await dispatcher(db, clock, sender).drain()
    assert len(sender.started) == 2
    assert sender.delivered == []


async def test_an_unexpected_error_after_a_transient_one_is_not_retried(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1")
    sender = RecordingSender(Platform.TELEGRAM)
    sender.fail("1", TryAgainLater("timed out"))
    sender.fail("1", KeyError("date"))
    await dispatcher(db, clock, sender).drain()
    clock.current = rows(db)[0].next_attempt_at
    await dispatcher(db, clock, sender).drain()
    [message] = rows(db)
    assert (message.status, message.last_error) == (
        OutboxStatus.DEAD,
        "unexpected KeyError: 'date' (after 2 attempts)",
    )


async def test_a_message_claimed_by_a_dispatcher_that_died_is_claimed_again_after_its_lease(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1")
    async with db.unit_of_work() as uow:
        await uow.outbox.claim(Platform.TELEGRAM, clock.now(), clock.now() + FAST.lease, 10)
        await uow.commit()
    sender = RecordingSender(Platform.TELEGRAM)
    clock.advance(FAST.lease - timedelta(seconds=1))
    await dispatcher(db, clock, sender).drain()
    assert sender.started == []
    clock.advance(timedelta(seconds=1))
    await dispatcher(db, clock, sender).drain()
    assert [d.recipient.address for d in sender.delivered] == ["1"]
    assert (rows(db)[0].status, rows(db)[0].attempts) == (OutboxStatus.SENT, 2)


async def test_a_message_claimed_too_often_without_an_outcome_is_given_up_unsent(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1")
    settings = DispatchSettings(max_attempts=2)
    for _ in range(2):
        async with db.unit_of_work() as uow:
            await uow.outbox.claim(Platform.TELEGRAM, clock.now(), clock.now(), 10)
            await uow.commit()
    sender = RecordingSender(Platform.TELEGRAM)
    await dispatcher(db, clock, sender, settings=settings).drain()
    assert sender.started == []
    assert (rows(db)[0].status, rows(db)[0].last_error) == (OutboxStatus.DEAD, "too many attempts")


async def test_a_notice_about_a_campaign_that_is_gone_is_given_up(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1")
    del db.state.campaigns[campaign.id]
    sender = RecordingSender(Platform.TELEGRAM)
    await dispatcher(db, clock, sender).drain()
    assert sender.started == []
    assert (rows(db)[0].status, rows(db)[0].last_error) == (
        OutboxStatus.DEAD,
        "the campaign no longer exists",
    )


async def test_a_dispatcher_claims_only_the_platforms_it_has_a_sender_for(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1")
    await queue(db, clock, campaign, "80351110224678912", platform=Platform.DISCORD)
    telegram = RecordingSender(Platform.TELEGRAM)
    await dispatcher(db, clock, telegram).drain()
    assert [d.recipient.address for d in telegram.delivered] == ["1"]
    discord_message = rows(db, "80351110224678912")[0]
    assert (discord_message.status, discord_message.attempts) == (OutboxStatus.PENDING, 0)

    discord = RecordingSender(Platform.DISCORD)
    await dispatcher(db, clock, telegram, discord).drain()
    assert [d.recipient.address for d in discord.delivered] == ["80351110224678912"]
    assert len(telegram.started) == 1


async def test_in_the_background_messages_are_delivered_as_they_come_and_stop_is_clean(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1", "2")
    telegram, discord = RecordingSender(Platform.TELEGRAM), RecordingSender(Platform.DISCORD)
    running = dispatcher(db, clock, telegram, discord)
    await running.start()
    await eventually(lambda: len(telegram.delivered) == 2)
    await queue(db, clock, campaign, "3")
    await queue(db, clock, campaign, "4", platform=Platform.DISCORD)
    await eventually(lambda: len(telegram.delivered) == 3 and len(discord.delivered) == 1)
    await running.stop()
    assert all(m.status is OutboxStatus.SENT for m in rows(db))
    assert len(telegram.started) + len(discord.started) == 4


async def test_stop_lets_sends_in_flight_finish_and_records_them(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1", "2", "3")
    gate = asyncio.Event()
    sender = RecordingSender(Platform.TELEGRAM, gate)
    running = dispatcher(db, clock, sender)
    await running.start()
    await eventually(lambda: len(sender.started) == 3)

    stopping = asyncio.create_task(running.stop())
    await asyncio.sleep(0.01)
    assert not stopping.done()
    gate.set()
    await stopping

    assert [d.recipient.address for d in sender.delivered] == ["1", "2", "3"]
    assert [(m.status, m.attempts) for m in rows(db)] == [(OutboxStatus.SENT, 1)] * 3


async def test_stop_leaves_sends_outlasting_its_timeout_leased_for_a_later_claim(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await queue(db, clock, campaign, "1", "2", "3")
    sender = RecordingSender(Platform.TELEGRAM, asyncio.Event())
    settings = DispatchSettings(stop_timeout=0.01)
    running = dispatcher(db, clock, sender, settings=settings)
    await running.start()
    await eventually(lambda: len(sender.started) == 3)
    async with asyncio.timeout(1):
        await running.stop()
    assert [(m.status, m.next_attempt_at) for m in rows(db)] == [
        (OutboxStatus.SENDING, clock.now() + settings.lease)
    ] * 3
