"""Applying payment outcomes: totals, backer numbers, milestones and notifications, once."""

from __future__ import annotations

import pytest

from core.campaigns import Campaign
from core.communities import Community
from core.identity import Platform
from core.milestones import Milestone, MilestoneKind
from core.outbox import MilestoneReached, RecipientKind
from core.payments import OutcomeKind, PaymentOutcome, PaymentRefs
from core.pledges import PledgeStatus
from core.usecases.following import follow, set_muted
from core.usecases.payments import AppliedOutcome, apply_payment_outcome, apply_payment_outcomes
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from tests.core.conftest import apply, caller, pledged
from tests.fakes import FakeDatabase, FixedClock


def messages(db: FakeDatabase, type_: str) -> list[tuple[RecipientKind, str]]:
    """Who was queued a message of a type."""
    return sorted(
        (m.recipient.kind, m.recipient.address)
        for m in db.state.outbox
        if m.notification.type == type_
    )


async def test_a_paid_pledge_moves_the_total_and_numbers_the_backer(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    first = await pledged(db, clock, campaign, 1, 10_000)
    second = await pledged(db, clock, campaign, 2, 5_000)
    await apply(db, clock, first, OutcomeKind.PAID)
    await apply(db, clock, second, OutcomeKind.PAID)
    stored = db.state.campaigns[campaign.id]
    assert (stored.raised, stored.backers_count) == (15_000, 2)
    assert db.state.pledges[first].backer_number == 1
    assert db.state.pledges[second].backer_number == 2
    assert messages(db, "receipt") == [(RecipientKind.USER, "1"), (RecipientKind.USER, "2")]


async def test_the_same_event_applied_twice_changes_nothing_the_second_time(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 10_000)
    await apply(db, clock, pledge, OutcomeKind.PAID, event_id="evt_1")
    result = await apply_payment_outcome(
        db.unit_of_work(), clock, PaymentOutcome(pledge, OutcomeKind.PAID, event_id="evt_1")
    )
    assert result.duplicate_event
    assert db.state.campaigns[campaign.id].raised == 10_000
    assert len(db.state.outbox) == 1


async def test_a_repeated_confirmation_from_another_source_counts_once(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 10_000)
    await apply(db, clock, pledge, OutcomeKind.PAID, event_id="evt_1")
    await apply(db, clock, pledge, OutcomeKind.PAID)  # the success page, after the webhook
    assert db.state.campaigns[campaign.id].raised == 10_000


async def test_crossing_half_the_goal_is_announced_once_to_each_person_and_community(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    first = await pledged(db, clock, campaign, 8, 45_000)
    second = await pledged(db, clock, campaign, 9, 10_000)
    for user in (7, 8, 9):
        await follow(db.unit_of_work(), clock, caller(user), campaign.id)
    await set_muted(db.unit_of_work(), caller(9), campaign.id, True)
    async with db.unit_of_work() as uow:
        community = await uow.communities.save(
            Community(0, Platform.DISCORD, "guild", "Guild", "chan")
        )
        await uow.communities.link(community.id, campaign.id)
        await uow.commit()
    await apply(db, clock, first, OutcomeKind.PAID)
    await apply(db, clock, second, OutcomeKind.PAID)
    assert db.state.milestones == {
        Milestone(campaign.id, MilestoneKind.PERCENT, 25),
        Milestone(campaign.id, MilestoneKind.PERCENT, 50),
    }
    # 7 follows; 8 follows and backed (one message each time); 9 backed but muted it.
    expected = [
        (RecipientKind.CHANNEL, "chan"),
        (RecipientKind.USER, "7"),
        (RecipientKind.USER, "8"),
    ]
    assert messages(db, "milestone") == sorted(expected * 2)
    keys = {m.notification.event_key for m in db.state.outbox if m.notification.type == "milestone"}
    assert keys == {f"milestone:{campaign.id}:percent:25", f"milestone:{campaign.id}:percent:50"}
    # Muting silences announcements, never receipts.
    assert (RecipientKind.USER, "9") in messages(db, "receipt")


async def test_a_milestone_already_recorded_is_not_announced_again(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await follow(db.unit_of_work(), clock, caller(7), campaign.id)
    first = await pledged(db, clock, campaign, 1, 30_000)
    await apply(db, clock, first, OutcomeKind.AUTHORIZED)
    await apply(db, clock, first, OutcomeKind.FAILED)  # charge declined: total drops below 25 %
    assert db.state.campaigns[campaign.id].raised == 0
    await apply(db, clock, first, OutcomeKind.PAID)  # retried and paid: crosses 25 % again
    assert db.state.campaigns[campaign.id].raised == 30_000
    assert messages(db, "milestone") == [(RecipientKind.USER, "1"), (RecipientKind.USER, "7")]


async def test_an_expired_checkout_releases_the_reward_and_moves_nothing(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier = campaign.tiers[0]
    request = PledgeRequest(caller(1), campaign.id, tier.id)
    pledge = (await start_pledge(db.unit_of_work(), clock, limits, request)).id
    await apply(db, clock, pledge, OutcomeKind.EXPIRED)
    assert db.state.pledges[pledge].status is PledgeStatus.EXPIRED
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 0
    assert db.state.campaigns[campaign.id].raised == 0
    assert db.state.outbox == []


async def test_news_older_than_what_is_known_is_ignored(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 10_000)
    await apply(db, clock, pledge, OutcomeKind.PAID)
    await apply(db, clock, pledge, OutcomeKind.EXPIRED)
    assert db.state.pledges[pledge].status is PledgeStatus.PAID
    assert db.state.campaigns[campaign.id].raised == 10_000


async def test_an_authorized_pledge_counts_once_and_again_nothing_when_charged(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 10_000)
    await apply(db, clock, pledge, OutcomeKind.AUTHORIZED)
    await apply(db, clock, pledge, OutcomeKind.PAID)
    stored = db.state.campaigns[campaign.id]
    assert (stored.raised, stored.backers_count) == (10_000, 1)


async def test_a_second_pledge_by_the_same_person_adds_money_not_a_backer(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    for amount in (1_000, 2_000):
        await apply(db, clock, await pledged(db, clock, campaign, 1, amount), OutcomeKind.PAID)
    stored = db.state.campaigns[campaign.id]
    assert (stored.raised, stored.backers_count) == (3_000, 1)


async def test_refunds_lower_the_total_once_partial_then_full(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 10_000)
    await apply(db, clock, pledge, OutcomeKind.PAID)
    await apply(db, clock, pledge, OutcomeKind.REFUNDED, refunded_total=4_000, event_id="r1")
    await apply(db, clock, pledge, OutcomeKind.REFUNDED, refunded_total=4_000, event_id="r2")
    assert db.state.campaigns[campaign.id].raised == 6_000
    assert db.state.pledges[pledge].status is PledgeStatus.PAID
    await apply(db, clock, pledge, OutcomeKind.REFUNDED, refunded_total=10_000)
    stored = db.state.campaigns[campaign.id]
    assert (stored.raised, stored.backers_count) == (0, 0)
    assert db.state.pledges[pledge].status is PledgeStatus.REFUNDED


async def test_an_ambassador_hears_that_someone_backed_through_their_link(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await apply(db, clock, await pledged(db, clock, campaign, 1, 1_000), OutcomeKind.PAID)
    code = next(iter(db.state.backers.values())).referral_code
    for user in (2, 3):
        await apply(
            db, clock, await pledged(db, clock, campaign, user, 1_000, code), OutcomeKind.PAID
        )
    referrals = [m for m in db.state.outbox if m.notification.type == "referral"]
    assert [m.recipient.address for m in referrals] == ["1", "1"]
    assert [m.notification.data["referrals"] for m in referrals] == [1, 2]
    assert "name" not in str(referrals[0].notification.data)


async def test_payment_references_are_kept_with_the_pledge(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 1_000)
    refs = PaymentRefs(checkout_session_id="cs_1", customer_id="cus_1")
    await apply(db, clock, pledge, OutcomeKind.AUTHORIZED, refs=refs)
    stored = db.state.pledges[pledge]
    assert (stored.checkout_session_id, stored.customer_id) == ("cs_1", "cus_1")


async def test_an_event_for_an_unknown_pledge_is_recorded_and_ignored(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await apply(db, clock, 424242, OutcomeKind.PAID, event_id="evt_x")
    assert db.state.payment_events == {"evt_x"}
    assert db.state.campaigns[campaign.id].raised == 0


async def test_crossing_a_stretch_goal_is_announced(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await pledged(db, clock, campaign, 1, 10_000)
    big = await pledged(db, clock, campaign, 2, 145_000)
    await apply(db, clock, big, OutcomeKind.PAID)
    applied = await apply_payment_outcome(
        db.unit_of_work(), clock, PaymentOutcome(pledge, OutcomeKind.PAID)
    )
    assert applied.milestones == (Milestone(campaign.id, MilestoneKind.STRETCH, 150_000),)


async def test_outcomes_applied_together_commit_once_in_order(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    first = await pledged(db, clock, campaign, 1, 10_000)
    second = await pledged(db, clock, campaign, 2, 5_000)
    commits = db.commits

    results = await apply_payment_outcomes(
        db.unit_of_work,
        clock,
        [
            PaymentOutcome(first, OutcomeKind.PAID, event_id="evt_1"),
            PaymentOutcome(second, OutcomeKind.PAID, event_id="evt_2"),
            PaymentOutcome(first, OutcomeKind.PAID, event_id="evt_1"),
        ],
    )

    assert [(r.changed, r.duplicate_event) for r in results if isinstance(r, AppliedOutcome)] == [
        (True, False),
        (True, False),
        (False, True),
    ]
    assert db.commits == commits + 1
    assert [db.state.pledges[p].backer_number for p in (first, second)] == [1, 2]
    stored = db.state.campaigns[campaign.id]
    assert (stored.raised, stored.backers_count) == (15_000, 2)
    assert db.state.payment_events == {"evt_1", "evt_2"}


async def test_one_persons_pledges_paid_together_count_one_backer(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    first, second = [await pledged(db, clock, campaign, 1, amount) for amount in (1_000, 2_000)]
    other = await pledged(db, clock, campaign, 2, 4_000)

    await apply_payment_outcomes(
        db.unit_of_work,
        clock,
        [PaymentOutcome(p, OutcomeKind.PAID, event_id=f"evt_{p}") for p in (first, second, other)],
    )

    stored = db.state.campaigns[campaign.id]
    assert (stored.raised, stored.backers_count) == (7_000, 2)
    assert [db.state.pledges[p].backer_number for p in (first, second, other)] == [1, None, 2]


async def test_an_outcome_that_fails_among_others_is_undone_alone(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    before = await pledged(db, clock, campaign, 1, 10_000)
    broken = await pledged(db, clock, campaign, 2, 5_000)
    after = await pledged(db, clock, campaign, 3, 2_000)
    # Its reward tier is gone: giving the unit back fails after the pledge already moved.
    db.state.pledges[broken].tier_id = 999

    results = await apply_payment_outcomes(
        db.unit_of_work,
        clock,
        [
            PaymentOutcome(before, OutcomeKind.PAID, event_id="evt_before"),
            PaymentOutcome(broken, OutcomeKind.EXPIRED, event_id="evt_broken"),
            PaymentOutcome(after, OutcomeKind.PAID, event_id="evt_after"),
        ],
    )

    assert [type(result) for result in results] == [AppliedOutcome, KeyError, AppliedOutcome]
    assert [db.state.pledges[p].status for p in (before, broken, after)] == [
        PledgeStatus.PAID,
        PledgeStatus.PENDING,
        PledgeStatus.PAID,
    ]
    stored = db.state.campaigns[campaign.id]
    assert (stored.raised, stored.backers_count) == (12_000, 2)
    assert db.state.payment_events == {"evt_before", "evt_after"}
    assert len([m for m in db.state.outbox if m.notification.type == "receipt"]) == 2


async def test_a_lone_outcome_that_fails_raises_and_writes_nothing(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    broken = await pledged(db, clock, campaign, 1, 5_000)
    db.state.pledges[broken].tier_id = 999
    commits = db.commits

    with pytest.raises(KeyError):
        await apply_payment_outcome(
            db.unit_of_work(), clock, PaymentOutcome(broken, OutcomeKind.EXPIRED, event_id="e")
        )

    assert db.commits == commits
    assert db.state.payment_events == set()


async def test_a_full_refund_gives_the_reward_back_and_tells_the_backer(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier = campaign.tiers[0]
    request = PledgeRequest(caller(1), campaign.id, tier.id)
    pledge = (await start_pledge(db.unit_of_work(), clock, limits, request)).id
    await apply(db, clock, pledge, OutcomeKind.PAID)
    await apply(db, clock, pledge, OutcomeKind.REFUNDED, refunded_total=tier.amount.amount)
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 0
    receipts = [
        m.notification.data["status"] for m in db.state.outbox if m.recipient.address == "1"
    ]
    assert receipts == ["paid", "refunded"]


async def test_a_pledge_crossing_several_thresholds_announces_the_highest_of_each_kind(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    # €1,600 of a €1,000 goal with a €1,500 stretch goal: 25 % to 100 % and the stretch at once.
    await follow(db.unit_of_work(), clock, caller(7), campaign.id)
    await apply(db, clock, await pledged(db, clock, campaign, 1, 160_000), OutcomeKind.PAID)
    announced = [
        (m.notification.event.kind, m.notification.event.value)
        for m in db.state.outbox
        if isinstance(m.notification.event, MilestoneReached) and m.recipient.address == "7"
    ]
    assert announced == [(MilestoneKind.PERCENT, 100), (MilestoneKind.STRETCH, 150_000)]
    # Every threshold crossed is reached: none is announced later by another pledge.
    assert {m.value for m in db.state.milestones} == {25, 50, 75, 100, 150_000}
