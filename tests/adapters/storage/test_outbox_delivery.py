"""Delivering the outbox in SQL: claims and leases, outcomes, counts, reminders and reports."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from adapters.storage import Database
from core.communities import Community
from core.identity import Platform
from core.outbox import (
    DeliveryCounts,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Recipient,
    RecipientKind,
    UpdatePosted,
)
from core.ports import UnitOfWork
from core.updates import CreatorUpdate, UpdateAudience
from tests.adapters.storage.builders import CREATOR, NOW, a_backer, a_campaign, committed

LEASE = NOW + timedelta(minutes=5)
NEWS = Notification("update:1", UpdatePosted(1, 1, "Hello"))


def person(address: str, platform: Platform = Platform.TELEGRAM) -> Recipient:
    """A person reached by direct message."""
    return Recipient(platform, RecipientKind.USER, address, "en")


async def queue(database: Database, *recipients: Recipient) -> None:
    """Queue NEWS for each recipient, one minute apart, in the order given."""

    async def enqueue(uow: UnitOfWork) -> None:
        for minute, recipient in enumerate(recipients):
            await uow.outbox.enqueue(recipient, NEWS, NOW + timedelta(minutes=minute))

    await committed(database, enqueue)


async def claim(
    database: Database, limit: int = 10, at: timedelta = timedelta(hours=1)
) -> list[OutboxMessage]:
    """Claim Telegram messages due an hour (or `at`) after NOW."""
    now = NOW + at
    return list(
        await committed(
            database,
            lambda uow: uow.outbox.claim(Platform.TELEGRAM, now, now + timedelta(minutes=5), limit),
        )
    )


async def states(database: Database) -> dict[OutboxStatus, int]:
    """How many messages are in each state."""
    async with database.unit_of_work() as uow:
        return await uow.outbox.status_counts()


async def test_a_claim_takes_due_messages_of_one_platform_oldest_first(database: Database) -> None:
    await queue(database, person("2"), person("1"), person("9", Platform.DISCORD), person("3"))
    first = await claim(database, limit=2)
    assert [m.recipient.address for m in first] == ["2", "1"]
    assert {(m.status, m.attempts) for m in first} == {(OutboxStatus.SENDING, 1)}
    assert [m.recipient.address for m in await claim(database)] == ["3"]
    assert await claim(database) == []


async def test_a_message_is_not_claimed_before_it_is_due(database: Database) -> None:
    await queue(database, person("1"))
    assert await claim(database, at=timedelta(seconds=-1)) == []
    assert len(await claim(database, at=timedelta(0))) == 1


async def test_a_lapsed_lease_makes_a_message_claimable_again(database: Database) -> None:
    await queue(database, person("1"))
    [first] = await claim(database)
    # Still leased a minute later; claimable once the five-minute lease has run out.
    assert await claim(database, at=timedelta(hours=1, minutes=1)) == []
    [again] = await claim(database, at=timedelta(hours=1, minutes=5))
    assert (again.id, again.attempts) == (first.id, 2)


async def test_concurrent_claims_never_take_the_same_message(database: Database) -> None:
    await queue(database, *(person(str(n)) for n in range(60)))
    batches = await asyncio.gather(*(claim(database, limit=7) for _ in range(12)))
    ids = [message.id for batch in batches for message in batch]
    assert len(ids) == len(set(ids)) == 60


async def test_outcomes_move_messages_to_their_states(database: Database) -> None:
    await queue(database, person("1"), person("2"), person("3"))
    sent, retried, dead = await claim(database)
    later = NOW + timedelta(hours=2)

    async def record(uow: UnitOfWork) -> None:
        await uow.outbox.mark_sent([sent.id], NOW)
        await uow.outbox.retry_later(retried.id, later, "network down", 2)
        await uow.outbox.give_up(dead.id, "message too long")

    await committed(database, record)
    assert await states(database) == {
        OutboxStatus.PENDING: 1,
        OutboxStatus.SENDING: 0,
        OutboxStatus.SENT: 1,
        OutboxStatus.DEAD: 1,
    }
    again = await claim(database, at=timedelta(hours=2))
    by_address = {message.recipient.address: message for message in again}
    assert set(by_address) == {"2"}
    assert (by_address["2"].parts_sent, by_address["2"].last_error) == (2, "network down")
    async with database.unit_of_work() as uow:
        failures = await uow.outbox.latest_failures(10)
    assert [(m.recipient.address, m.last_error) for m in failures] == [
        ("3", "message too long"),
        ("2", "network down"),
    ]


async def test_sent_is_recorded_only_for_a_message_still_being_sent(database: Database) -> None:
    await queue(database, person("1"))
    [message] = await claim(database)
    await committed(database, lambda uow: uow.outbox.give_up(message.id, "gone"))
    await committed(database, lambda uow: uow.outbox.mark_sent([message.id], NOW))
    assert (await states(database))[OutboxStatus.DEAD] == 1


async def test_abandoning_a_recipient_dead_letters_all_it_was_still_to_get(
    database: Database,
) -> None:
    other = Notification("update:2", UpdatePosted(1, 2, "More"))
    await queue(database, person("1"), person("2"))
    await committed(database, lambda uow: uow.outbox.enqueue(person("1"), other, NOW))
    await claim(database, limit=1)
    abandoned = await committed(
        database, lambda uow: uow.outbox.abandon_recipient(person("1"), "blocked")
    )
    assert abandoned == 2
    async with database.unit_of_work() as uow:
        assert await uow.outbox.delivery_counts("update:1") == DeliveryCounts(0, 1, 1)
        assert await uow.outbox.delivery_counts("update:2") == DeliveryCounts(0, 1, 0)


async def test_a_backer_can_be_made_unreachable_and_reachable_again(database: Database) -> None:
    backer = await committed(database, lambda uow: uow.backers.add(a_backer()))
    await committed(database, lambda uow: uow.backers.set_reachable(backer.id, False))
    async with database.unit_of_work() as uow:
        stored = await uow.backers.get(backer.id)
    assert stored is not None
    assert not stored.reachable
    await committed(database, lambda uow: uow.backers.set_reachable(backer.id, True))
    async with database.unit_of_work() as uow:
        stored = await uow.backers.get(backer.id)
    assert stored is not None
    assert stored.reachable


async def test_a_community_whose_channel_is_gone_stops_announcing(database: Database) -> None:
    community = await committed(
        database,
        lambda uow: uow.communities.save(Community(0, Platform.TELEGRAM, "-100", "Makers", "en")),
    )
    assert community.announcements
    await committed(database, lambda uow: uow.communities.stop_announcements(community.id))
    async with database.unit_of_work() as uow:
        stored = await uow.communities.get(Platform.TELEGRAM, "-100")
    assert stored is not None
    assert not stored.announcements


async def test_a_campaign_is_claimed_for_its_reminder_once(database: Database) -> None:
    soon = await committed(
        database,
        lambda uow: uow.campaigns.add(a_campaign("soon", ends_at=NOW + timedelta(hours=47))),
    )
    await committed(
        database,
        lambda uow: uow.campaigns.add(a_campaign("later", ends_at=NOW + timedelta(days=3))),
    )
    horizon = NOW + timedelta(hours=48)
    claims = await asyncio.gather(
        *(
            committed(database, lambda uow: uow.campaigns.claim_reminders(NOW, horizon))
            for _ in range(5)
        )
    )
    assert sorted(c.slug for claimed in claims for c in claimed) == ["soon"]
    assert [c.id for claimed in claims for c in claimed] == [soon.id]


async def test_an_update_report_is_claimed_by_one_dispatcher_at_a_time(
    database: Database,
) -> None:
    campaign = await committed(database, lambda uow: uow.campaigns.add(a_campaign()))

    async def post(uow: UnitOfWork) -> CreatorUpdate:
        update = CreatorUpdate(0, campaign.id, CREATOR, "News", UpdateAudience.EVERYONE, NOW, "7")
        return await uow.updates.add(update)

    posted = await committed(database, post)
    quiet = await committed(
        database,
        lambda uow: uow.updates.add(
            CreatorUpdate(0, campaign.id, CREATOR, "No report", UpdateAudience.EVERYONE, NOW)
        ),
    )
    next_round = NOW + timedelta(seconds=5)
    claims = await asyncio.gather(
        *(
            committed(database, lambda uow: uow.updates.claim_reports(NOW, next_round, 10))
            for _ in range(4)
        )
    )
    assert [u.id for claimed in claims for u in claimed] == [posted.id]
    assert quiet.id != posted.id
    await committed(database, lambda uow: uow.updates.set_report_message(posted.id, "99"))
    [due] = await committed(
        database, lambda uow: uow.updates.claim_reports(next_round, next_round, 10)
    )
    assert (due.report_chat, due.report_message_id) == ("7", "99")
    await committed(database, lambda uow: uow.updates.finish_report(posted.id))
    later = NOW + timedelta(days=1)
    assert await committed(database, lambda uow: uow.updates.claim_reports(later, later, 10)) == []


async def test_an_unreadable_message_is_reported_once_and_set_aside_not_claimed(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await queue(database, person("1"))
    async with database.engine.begin() as connection:
        for event_key, kind, payload in (
            ("gossip:1", "gossip", '{"campaign_id": 1}'),
            ("update:9", "update", '{"campaign_id": "one", "update_id": 9, "text": "Hi"}'),
            ("update:8", "update", "[1, 2]"),
        ):
            await connection.execute(
                sa.text(
                    "INSERT INTO outbox (event_key, recipient_platform, recipient_kind,"
                    " recipient_address, recipient_locale, type, payload, status, attempts,"
                    " next_attempt_at, created_at, parts_sent) VALUES (:key, 'telegram', 'user',"
                    " '2', 'en', :kind, :payload, 'pending', 0, :now, :now, 0)"
                ).bindparams(sa.bindparam("payload", type_=sa.JSON)),
                {"key": event_key, "kind": kind, "payload": json.loads(payload), "now": NOW},
            )

    with caplog.at_level(logging.ERROR, logger="adapters.storage.outbox_repository"):
        claimed = await claim(database)
        again = await claim(database)

    assert [m.notification for m in claimed] == [NEWS]
    assert again == []
    assert len([r for r in caplog.records if "unreadable" in r.getMessage()]) == 3
    assert (await states(database))[OutboxStatus.DEAD] == 3
