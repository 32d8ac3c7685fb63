"""The outbox in SQL: one message per recipient per event, and who each audience reaches."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

import pytest

from adapters.storage import Database
from core.communities import Community
from core.follows import Follow
from core.identity import Identity, Platform
from core.outbox import (
    Audience,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Recipient,
    RecipientKind,
    UpdatePosted,
)
from core.pledges import PledgeStatus
from core.ports import UnitOfWork
from tests.adapters.storage.builders import NOW, a_backer, a_campaign, a_pledge, committed

NEWS = Notification("update:1", UpdatePosted(1, 1, "Hello — ça va?"))
USER = Recipient(Platform.TELEGRAM, RecipientKind.USER, "42", "fr", backer_id=None)


async def pending(database: Database) -> list[OutboxMessage]:
    """Every queued message."""
    async with database.unit_of_work() as uow:
        return list(await uow.outbox.pending(limit=1_000))


async def test_a_message_round_trips_with_every_field(database: Database) -> None:
    assert await committed(database, lambda uow: uow.outbox.enqueue(USER, NEWS, NOW))
    [message] = await pending(database)
    assert message == OutboxMessage(
        id=message.id,
        recipient=USER,
        notification=NEWS,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=NOW,
        created_at=NOW,
        last_error=None,
    )


async def test_a_recipient_gets_each_event_once(database: Database) -> None:
    later = NOW + timedelta(minutes=1)
    other_event = Notification("update:2", UpdatePosted(1, 2, "More"))
    discord = Recipient(Platform.DISCORD, RecipientKind.USER, "42", "en")
    channel = Recipient(Platform.TELEGRAM, RecipientKind.CHANNEL, "42", "en")

    async def enqueue(uow: UnitOfWork) -> list[bool]:
        return [
            await uow.outbox.enqueue(USER, NEWS, NOW),
            await uow.outbox.enqueue(USER, NEWS, later),
            await uow.outbox.enqueue(USER, other_event, later),
            await uow.outbox.enqueue(discord, NEWS, later),
            await uow.outbox.enqueue(channel, NEWS, later),
        ]

    assert await committed(database, enqueue) == [True, False, True, True, True]
    assert len(await pending(database)) == 4


async def test_messages_queued_together_reach_each_recipient_once(database: Database) -> None:
    other_event = Notification("update:2", UpdatePosted(1, 2, "More"))
    discord = Recipient(Platform.DISCORD, RecipientKind.USER, "42", "en")
    assert await committed(database, lambda uow: uow.outbox.enqueue(USER, NEWS, NOW))

    await committed(
        database,
        lambda uow: uow.outbox.enqueue_all(
            [(USER, NEWS), (USER, other_event), (discord, NEWS), (discord, NEWS)], NOW
        ),
    )

    queued = await pending(database)
    assert sorted((m.recipient.platform, m.notification.event_key) for m in queued) == [
        (Platform.DISCORD, "update:1"),
        (Platform.TELEGRAM, "update:1"),
        (Platform.TELEGRAM, "update:2"),
    ]


async def test_pending_lists_the_oldest_first_up_to_a_limit(database: Database) -> None:
    async def enqueue(uow: UnitOfWork) -> None:
        for minutes in (3, 1, 2):
            news = Notification(f"update:{minutes}", UpdatePosted(1, minutes, "News"))
            await uow.outbox.enqueue(USER, news, NOW + timedelta(minutes=minutes))

    await committed(database, enqueue)
    async with database.unit_of_work() as uow:
        oldest = await uow.outbox.pending(limit=2)
    assert [m.notification.event_key for m in oldest] == ["update:1", "update:2"]


@dataclass(frozen=True)
class Crowd:
    """A campaign and the people and places around it."""

    campaign_id: int
    backer_ids: dict[str, int]
    community_ids: dict[str, int]


@pytest.fixture
async def crowd(database: Database) -> Crowd:
    """Backers in every relation to a campaign, and communities in every relation to it."""

    async def setup(uow: UnitOfWork) -> Crowd:
        campaign = await uow.campaigns.add(a_campaign("lamp"))
        elsewhere = await uow.campaigns.add(a_campaign("mug"))
        backers: dict[str, int] = {}
        for name, follow, pledges, reachable, chosen in [
            ("follower", "on", [], True, None),
            ("muted-follower", "muted", [], True, None),
            ("paid-backer", None, [PledgeStatus.PAID], True, None),
            ("muted-backer", "muted", [PledgeStatus.PAID], True, None),
            ("following-backer", "on", [PledgeStatus.AUTHORIZED, PledgeStatus.PAID], True, None),
            ("pending-only", None, [PledgeStatus.PENDING], True, None),
            ("failed-only", "on", [PledgeStatus.FAILED, PledgeStatus.REFUNDED], True, None),
            ("unreachable", "on", [PledgeStatus.PAID], False, None),
            ("french", "on", [], True, "fr"),
            ("elsewhere", "elsewhere", [], True, None),
        ]:
            number = str(len(backers) + 100)
            backer = await uow.backers.add(
                a_backer(number, reachable=reachable, chosen_locale=chosen)
            )
            backers[name] = backer.id
            if follow is not None:
                followed = elsewhere if follow == "elsewhere" else campaign
                await uow.follows.add(Follow(backer.id, followed.id, NOW, follow == "muted"))
            for status in pledges:
                await uow.pledges.add(a_pledge(backer.id, campaign.id, status=status))
        communities: dict[str, int] = {}
        for name, channel, announcements, linked in [
            ("channel", "-1001", True, True),
            ("group", None, True, True),
            ("quiet", None, False, True),
            ("unlinked", None, True, False),
        ]:
            community = await uow.communities.save(
                Community(0, Platform.DISCORD, f"chat-{name}", name, channel, announcements, "de")
            )
            communities[name] = community.id
            if linked:
                await uow.communities.link(community.id, campaign.id)
        return Crowd(campaign.id, backers, communities)

    return await committed(database, setup)


async def announce(
    database: Database, crowd: Crowd, audience: Audience, include_communities: bool = False
) -> int:
    """Queue NEWS for an audience of the crowd's campaign; how many were queued."""
    return await committed(
        database,
        lambda uow: uow.outbox.enqueue_audience(
            crowd.campaign_id, audience, NEWS, NOW, include_communities
        ),
    )


def people(crowd: Crowd, messages: list[OutboxMessage]) -> list[str]:
    """The names of the people messaged."""
    names = {backer_id: name for name, backer_id in crowd.backer_ids.items()}
    return sorted(names[m.recipient.backer_id] for m in messages if m.recipient.backer_id)


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (
            Audience.FOLLOWERS_AND_BACKERS,
            ["failed-only", "follower", "following-backer", "french", "paid-backer"],
        ),
        (Audience.BACKERS, ["following-backer", "paid-backer"]),
        (Audience.FOLLOWERS_NOT_BACKED, ["failed-only", "follower", "french"]),
    ],
)
async def test_an_audience_reaches_reachable_unmuted_people_once_each(
    database: Database, crowd: Crowd, audience: Audience, expected: list[str]
) -> None:
    assert await announce(database, crowd, audience) == len(expected)
    messages = await pending(database)
    assert people(crowd, messages) == expected
    assert all(m.recipient.kind is RecipientKind.USER for m in messages)


async def test_a_person_is_addressed_on_their_platform_in_their_language(
    database: Database, crowd: Crowd
) -> None:
    await announce(database, crowd, Audience.FOLLOWERS_NOT_BACKED)
    by_backer = {m.recipient.backer_id: m for m in await pending(database)}
    french = by_backer[crowd.backer_ids["french"]]
    async with database.unit_of_work() as uow:
        backer = await uow.backers.get(crowd.backer_ids["french"])
    assert backer is not None
    assert french == OutboxMessage(
        id=french.id,
        recipient=Recipient(
            platform=backer.identity.platform,
            kind=RecipientKind.USER,
            address=backer.identity.user_id,
            locale="fr",
            backer_id=backer.id,
        ),
        notification=NEWS,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=NOW,
        created_at=NOW,
    )
    assert by_backer[crowd.backer_ids["follower"]].recipient.locale == "en"


async def test_announcing_communities_get_one_message_in_their_channel(
    database: Database, crowd: Crowd
) -> None:
    queued = await announce(database, crowd, Audience.BACKERS, include_communities=True)
    channels = [m for m in await pending(database) if m.recipient.kind is RecipientKind.CHANNEL]
    assert queued == 2 + len(channels)
    assert sorted(
        (m.recipient.address, m.recipient.community_id, m.recipient.locale) for m in channels
    ) == [
        ("-1001", crowd.community_ids["channel"], "de"),
        ("chat-group", crowd.community_ids["group"], "de"),
    ]
    assert all(m.recipient.platform is Platform.DISCORD for m in channels)
    assert all(m.recipient.backer_id is None for m in channels)


async def test_announcing_again_queues_nobody_twice(database: Database, crowd: Crowd) -> None:
    first = await announce(database, crowd, Audience.FOLLOWERS_AND_BACKERS, True)
    assert await announce(database, crowd, Audience.FOLLOWERS_AND_BACKERS, True) == 0
    assert len(await pending(database)) == first == 7


async def test_someone_already_messaged_about_the_event_is_not_counted_again(
    database: Database, crowd: Crowd
) -> None:
    follower = Identity(Platform.TELEGRAM, "100")
    direct = Recipient(follower.platform, RecipientKind.USER, follower.user_id, "en")
    await committed(database, lambda uow: uow.outbox.enqueue(direct, NEWS, NOW))
    assert await announce(database, crowd, Audience.FOLLOWERS_NOT_BACKED) == 2
    assert len(await pending(database)) == 3


async def test_an_empty_audience_queues_nothing(database: Database) -> None:
    campaign = await committed(database, lambda uow: uow.campaigns.add(a_campaign()))
    queued = await committed(
        database,
        lambda uow: uow.outbox.enqueue_audience(
            campaign.id, Audience.FOLLOWERS_AND_BACKERS, NEWS, NOW, True
        ),
    )
    assert queued == 0


async def test_counting_an_audience_agrees_with_what_queuing_it_queues(
    database: Database, crowd: Crowd
) -> None:
    for audience in Audience:
        for include_communities in (False, True):
            # A fresh event per audience, so that nothing queued before is skipped.
            news = replace(NEWS, event_key=f"news-{audience}-{include_communities}")
            async with database.unit_of_work() as uow:
                outbox = uow.outbox
                counted = await outbox.count_audience(
                    crowd.campaign_id, audience, include_communities
                )
                queued = await outbox.enqueue_audience(
                    crowd.campaign_id, audience, news, NOW, include_communities
                )
                await uow.commit()
            assert counted == queued, (audience, include_communities)
    # Counting is for a new event: those already queued for others still count.
    everyone = await committed(
        database,
        lambda uow: uow.outbox.count_audience(
            crowd.campaign_id, Audience.FOLLOWERS_AND_BACKERS, True
        ),
    )
    assert everyone == 7
