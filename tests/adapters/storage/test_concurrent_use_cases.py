"""Core's use cases racing on a real database: stock, totals, milestones, events, once each."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from adapters.storage import Database
from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.communities import Community
from core.errors import TierClosed, TierReserved, TierSoldOut
from core.identity import Caller, Identity, Platform
from core.milestones import Milestone, MilestoneKind
from core.money import Money
from core.outbox import OutboxMessage, RecipientKind, ReviewDecided, ReviewRequested
from core.payments import OutcomeKind, PaymentOutcome
from core.pledges import Pledge, PledgeStatus
from core.ports import UnitOfWork
from core.usecases.backers import remember
from core.usecases.following import follow, set_muted
from core.usecases.managing import CampaignDraft, TierDraft, create_campaign, publish_campaign
from core.usecases.payments import AppliedOutcome, apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from core.usecases.reviewing import NotInReview, approve, request_changes, submit
from tests.adapters.storage.builders import CREATOR, NOW, committed
from tests.fakes import FixedClock

LIMITS = PledgeLimits()


def caller(user_id: int) -> Caller:
    """A distinct person on Telegram."""
    return Caller(Identity(Platform.TELEGRAM, str(user_id)), f"Person {user_id}", "en")


async def live_campaign(
    database: Database, clock: FixedClock, goal: int, tiers: tuple[TierDraft, ...] = ()
) -> Campaign:
    """A flexible campaign, created and published through the use cases."""
    draft = CampaignDraft(
        slug="lamp",
        title="The Reading Lamp",
        blurb="A warm lamp for long nights.",
        description="",
        creator_name="Ada",
        creator_identities=(CREATOR,),
        category="design",
        goal=Money(goal, "EUR"),
        funding_model=FundingModel.FLEXIBLE,
        starts_at=NOW - timedelta(days=1),
        ends_at=NOW + timedelta(days=29),
        tiers=tiers,
    )
    await create_campaign(database.unit_of_work(), draft)
    return await publish_campaign(database.unit_of_work(), clock, "lamp")


async def pledge(database: Database, clock: FixedClock, request: PledgeRequest) -> Pledge:
    """Start one pledge in its own unit of work."""
    return await start_pledge(database.unit_of_work(), clock, LIMITS, request)


async def pay(database: Database, clock: FixedClock, outcome: PaymentOutcome) -> AppliedOutcome:
    """Apply one payment outcome in its own unit of work."""
    return await apply_payment_outcome(database.unit_of_work(), clock, outcome)


async def reload(database: Database, campaign_id: int) -> Campaign:
    """The campaign as committed."""
    async with database.unit_of_work() as uow:
        found = await uow.campaigns.get(campaign_id)
    assert found is not None
    return found


async def queued(database: Database, type_: str) -> list[OutboxMessage]:
    """Every queued message of one type."""
    async with database.unit_of_work() as uow:
        messages = await uow.outbox.pending(limit=10_000)
    return [m for m in messages if m.notification.type == type_]


async def test_fifty_callers_racing_for_ten_units_get_exactly_ten(database: Database) -> None:
    clock = FixedClock(NOW)
    campaign = await live_campaign(
        database, clock, 100_000, (TierDraft("Early bird", "", 5_000, quantity_limit=10),)
    )
    tier_id = campaign.tiers[0].id
    results = await asyncio.gather(
        *(
            pledge(database, clock, PledgeRequest(caller(user), campaign.id, tier_id))
            for user in range(50)
        ),
        return_exceptions=True,
    )
    started = [result for result in results if isinstance(result, Pledge)]
    sold_out = [result for result in results if isinstance(result, TierSoldOut)]
    assert (len(started), len(sold_out)) == (10, 40)
    stored = await reload(database, campaign.id)
    assert stored.tiers[0].claimed == 10
    async with database.unit_of_work() as uow:
        assert len(await uow.pledges.of_campaign(campaign.id)) == 10


async def test_one_link_started_five_times_at_once_makes_one_pledge_and_claims_one_unit(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await live_campaign(
        database, clock, 100_000, (TierDraft("Early bird", "", 5_000, quantity_limit=10),)
    )
    request = PledgeRequest(caller(1), campaign.id, campaign.tiers[0].id, link_key="link-1")

    started = await asyncio.gather(*(pledge(database, clock, request) for _ in range(5)))

    assert len({started_pledge.id for started_pledge in started}) == 1
    assert (await reload(database, campaign.id)).tiers[0].claimed == 1
    async with database.unit_of_work() as uow:
        assert len(await uow.pledges.of_campaign(campaign.id)) == 1


async def test_twenty_links_from_one_person_for_one_reward_at_once_hold_one_unit(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await live_campaign(
        database, clock, 100_000, (TierDraft("Early bird", "", 5_000, quantity_limit=10),)
    )
    tier_id = campaign.tiers[0].id
    # Known already, as anyone following a pledge link is.
    await remember(database.unit_of_work, caller(1))

    started = await asyncio.gather(
        *(
            pledge(
                database,
                clock,
                PledgeRequest(caller(1), campaign.id, tier_id, link_key=f"link-{link}"),
            )
            for link in range(20)
        )
    )

    assert len({started_pledge.id for started_pledge in started}) == 1
    assert (await reload(database, campaign.id)).tiers[0].claimed == 1
    async with database.unit_of_work() as uow:
        assert len(await uow.pledges.of_campaign(campaign.id)) == 1
    # Someone else still gets one of the nine units left.
    other = await pledge(database, clock, PledgeRequest(caller(2), campaign.id, tier_id))
    assert other.id != started[0].id
    assert (await reload(database, campaign.id)).tiers[0].claimed == 2


async def test_a_reward_held_by_checkouts_is_told_apart_from_one_sold_out(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await live_campaign(
        database, clock, 100_000, (TierDraft("Early bird", "", 5_000, quantity_limit=2),)
    )
    tier_id = campaign.tiers[0].id
    first = await pledge(database, clock, PledgeRequest(caller(1), campaign.id, tier_id))
    clock.advance(timedelta(minutes=5))
    await pledge(database, clock, PledgeRequest(caller(2), campaign.id, tier_id))
    clock.advance(timedelta(minutes=3))

    held = (await reload(database, campaign.id)).tiers[0]
    assert (held.sold_out, held.checkout_wait(clock.now())) == (True, 22)
    with pytest.raises(TierReserved) as refused:
        await pledge(database, clock, PledgeRequest(caller(3), campaign.id, tier_id))
    assert refused.value.minutes == 22

    await pay(database, clock, PaymentOutcome(first.id, OutcomeKind.PAID))
    assert (await reload(database, campaign.id)).tiers[0].checkout_wait(clock.now()) == 27


async def test_a_hundred_payments_at_once_count_every_pledge_and_announce_each_milestone_once(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await live_campaign(database, clock, goal=10_000)
    for user in (9001, 9002, 9003):
        await follow(database.unit_of_work(), clock, caller(user), campaign.id)
    await set_muted(database.unit_of_work(), caller(9003), campaign.id, True)

    async def add_community(uow: UnitOfWork) -> None:
        community = await uow.communities.save(Community(0, Platform.TELEGRAM, "-100", "Makers"))
        await uow.communities.link(community.id, campaign.id)

    await committed(database, add_community)
    pledges = await asyncio.gather(
        *(
            pledge(
                database, clock, PledgeRequest(caller(user), campaign.id, None, Money(100, "EUR"))
            )
            for user in range(100)
        )
    )

    results = await asyncio.gather(
        *(
            pay(database, clock, PaymentOutcome(p.id, OutcomeKind.PAID, event_id=f"evt_{p.id}"))
            for p in pledges
        )
    )

    assert all(result.changed for result in results)
    stored = await reload(database, campaign.id)
    assert (stored.raised, stored.backers_count) == (10_000, 100)
    async with database.unit_of_work() as uow:
        paid = await uow.pledges.of_campaign(campaign.id, frozenset({PledgeStatus.PAID}))
        reached = await uow.milestones.of_campaign(campaign.id)
    assert sorted(p.backer_number or 0 for p in paid) == list(range(1, 101))
    thresholds = [Milestone(campaign.id, MilestoneKind.PERCENT, pct) for pct in (25, 50, 75, 100)]
    assert sorted(reached, key=lambda m: m.value) == thresholds
    announced = [m for result in results for m in result.milestones]
    assert sorted(announced, key=lambda m: m.value) == thresholds

    messages = await queued(database, "milestone")
    per_recipient = Counter(
        (m.notification.event_key, m.recipient.kind, m.recipient.address) for m in messages
    )
    assert set(per_recipient.values()) == {1}
    by_event: dict[str, set[tuple[RecipientKind, str]]] = {}
    for m in messages:
        by_event.setdefault(m.notification.event_key, set()).add(
            (m.recipient.kind, m.recipient.address)
        )
    assert len(by_event) == 4
    around = {
        (RecipientKind.USER, "9001"),
        (RecipientKind.USER, "9002"),
        (RecipientKind.CHANNEL, "-100"),
    }
    for recipients in by_event.values():
        assert around <= recipients
        assert (RecipientKind.USER, "9003") not in recipients
    # Whoever crossed 100% saw every other payment committed: all 100 backers hear of it.
    assert len(by_event[f"milestone:{campaign.id}:percent:100"]) == 100 + len(around)
    assert len(await queued(database, "receipt")) == 100


async def test_one_payment_event_delivered_ten_times_changes_things_once(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await live_campaign(database, clock, goal=10_000)
    started = await pledge(
        database, clock, PledgeRequest(caller(1), campaign.id, None, Money(2_500, "EUR"))
    )
    outcome = PaymentOutcome(started.id, OutcomeKind.PAID, event_id="evt_once")

    racing = await asyncio.gather(*(pay(database, clock, outcome) for _ in range(5)))
    later = [await pay(database, clock, outcome) for _ in range(5)]

    results = [*racing, *later]
    assert sum(result.changed for result in results) == 1
    assert sum(result.duplicate_event for result in results) == 9
    stored = await reload(database, campaign.id)
    assert (stored.raised, stored.backers_count) == (2_500, 1)
    assert len(await queued(database, "receipt")) == 1


async def test_one_backers_pledges_paid_at_once_count_them_as_one_backer(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await live_campaign(database, clock, goal=1_000_000)
    same_person = caller(7)
    pledges = [
        await pledge(
            database, clock, PledgeRequest(same_person, campaign.id, None, Money(100, "EUR"))
        )
        for _ in range(6)
    ]
    await asyncio.gather(
        *(pay(database, clock, PaymentOutcome(p.id, OutcomeKind.PAID)) for p in pledges)
    )
    stored = await reload(database, campaign.id)
    assert (stored.raised, stored.backers_count) == (600, 1)
    async with database.unit_of_work() as uow:
        numbers = [p.backer_number for p in await uow.pledges.of_campaign(campaign.id)]
    assert sorted(n for n in numbers if n is not None) == [1]


async def test_fifty_callers_racing_an_early_bird_closing_are_counted_only_before_the_close(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    closes_at = NOW + timedelta(hours=1)
    early_bird = TierDraft("Early bird", "", 5_000, quantity_limit=40, closes_at=closes_at)
    campaign = await live_campaign(database, clock, 100_000, (early_bird,))
    tier_id = campaign.tiers[0].id

    async def arriving(user: int) -> Pledge:
        # Callers arrive one loop turn apart, while the earlier ones are still at the database.
        for _ in range(user):
            await asyncio.sleep(0)
        return await pledge(database, clock, PledgeRequest(caller(user), campaign.id, tier_id))

    async def closing() -> None:
        for _ in range(25):
            await asyncio.sleep(0)
        clock.advance(timedelta(hours=1))

    *results, _ = await asyncio.gather(
        *(arriving(user) for user in range(50)), closing(), return_exceptions=True
    )
    started = [result for result in results if isinstance(result, Pledge)]
    closed = [result for result in results if isinstance(result, TierClosed)]
    # Some callers came before the close and some after; every one of them was answered.
    assert started
    assert closed
    assert len(started) + len(closed) == 50
    assert all(started_pledge.created_at < closes_at for started_pledge in started)
    assert (await reload(database, campaign.id)).tiers[0].claimed == len(started)
    async with database.unit_of_work() as uow:
        counted = await uow.pledges.of_campaign(campaign.id)
    assert sorted(p.id for p in counted) == sorted(p.id for p in started)


async def test_operators_approving_at_once_publish_once_and_tell_the_creator_once(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    operators = frozenset(Identity(Platform.DISCORD, str(9000 + n)) for n in range(8))
    draft = await create_campaign(database.unit_of_work(), _draft())
    submissions = await asyncio.gather(
        *(submit(database.unit_of_work, clock, operators, CREATOR, "lamp") for _ in range(5))
    )
    assert sorted(s.already for s in submissions) == [False] + [True] * 4
    # Each operator is asked once, the event read back from storage as it was written.
    asked = await queued(database, "review_requested")
    assert sorted(m.recipient.address for m in asked) == sorted(o.user_id for o in operators)
    assert {m.notification.event for m in asked} == {ReviewRequested(draft.id)}

    decisions = await asyncio.gather(
        *(approve(database.unit_of_work, clock, operators, o, draft.id) for o in operators)
    )
    assert sorted(d.already for d in decisions) == [False] + [True] * 7
    assert (await reload(database, draft.id)).status is CampaignStatus.LIVE
    told = await queued(database, "review_decided")
    assert [(m.recipient.address, m.notification.event) for m in told] == [
        (CREATOR.user_id, ReviewDecided(draft.id, True, CampaignStatus.LIVE))
    ]


async def test_an_approval_and_a_request_for_changes_at_once_decide_once(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    operators = frozenset({Identity(Platform.TELEGRAM, "9000"), Identity(Platform.DISCORD, "9001")})
    first, second = sorted(operators, key=lambda o: o.platform)
    draft = await create_campaign(database.unit_of_work(), _draft())
    await submit(database.unit_of_work, clock, operators, CREATOR, draft.id)
    results = await asyncio.gather(
        approve(database.unit_of_work, clock, operators, first, draft.id),
        request_changes(database.unit_of_work, clock, operators, second, draft.id, "A photo?"),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, NotInReview)]
    assert len(refused) == 1, results
    told = await queued(database, "review_decided")
    assert len(told) == 1
    event = told[0].notification.event
    assert isinstance(event, ReviewDecided)
    stored = await reload(database, draft.id)
    assert stored.status is (CampaignStatus.LIVE if event.approved else CampaignStatus.DRAFT)
    assert event.reason == ("" if event.approved else "A photo?")


def _draft() -> CampaignDraft:
    return CampaignDraft(
        slug="lamp",
        title="The Reading Lamp",
        blurb="A warm lamp for long nights.",
        description="",
        creator_name="Ada",
        creator_identities=(CREATOR,),
        category="design",
        goal=Money(100_000, "EUR"),
        funding_model=FundingModel.FLEXIBLE,
        starts_at=NOW - timedelta(days=1),
        ends_at=NOW + timedelta(days=29),
    )
