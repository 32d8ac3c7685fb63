"""Changing a pledge before the deadline: rewards, amounts, stock, totals, refusals."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.campaigns import Campaign, CampaignStatus
from core.errors import CannotChange, PledgeNotFound, TierClosed, TierSoldOut
from core.i18n import use_locale
from core.milestones import Milestone, MilestoneKind
from core.money import Money
from core.payments import OutcomeKind, PaymentUnavailable
from core.pledges import Pledge, PledgeStatus
from core.usecases.cached_reads import CachedReads
from core.usecases.changing import ChangeRequest, change_pledge, pledge_to_change, with_amount
from core.usecases.pledging import PledgeLimits, PledgeRequest, offer_pledge, start_pledge
from tests.core.conftest import apply, caller
from tests.fakes import FakeDatabase, FakeGateway, FixedClock


async def backed(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    user: int,
    tier: int | None = 0,
    amount: int | None = None,
    outcome: OutcomeKind = OutcomeKind.AUTHORIZED,
) -> Pledge:
    """A pledge whose card was saved (all-or-nothing) or paid (flexible)."""
    tier_id = campaign.tiers[tier].id if tier is not None else None
    money = Money(amount, "EUR") if amount is not None else None
    request = PledgeRequest(caller(user), campaign.id, tier_id, money)
    started = await start_pledge(db.unit_of_work(), clock, limits, request)
    await apply(db, clock, started.id, outcome)
    return db.state.pledges[started.id]


def figures(db: FakeDatabase, campaign: Campaign) -> tuple[int, int, list[int]]:
    """The campaign's total, its backers and each tier's units claimed."""
    stored = db.state.campaigns[campaign.id]
    return stored.raised, stored.backers_count, [tier.claimed for tier in stored.tiers]


async def change(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    pledge: Pledge,
    tier_id: int | None,
    amount: int | None = None,
    user: int = 1,
    gateway: FakeGateway | None = None,
) -> bool:
    """Ask for a change; whether it changed anything."""
    money = Money(amount, "EUR") if amount is not None else None
    request = ChangeRequest(caller(user), pledge.id, tier_id, money)
    return (await change_pledge(db.unit_of_work, clock, gateway, limits, request)).changed


async def test_moving_to_another_reward_moves_one_unit_and_the_total_once(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=0)
    assert figures(db, aon_campaign) == (5_000, 1, [1, 0])
    assert await change(db, clock, limits, pledge, aon_campaign.tiers[1].id)
    stored = db.state.pledges[pledge.id]
    assert (stored.tier_id, stored.amount) == (aon_campaign.tiers[1].id, Money(7_500, "EUR"))
    assert stored.status is PledgeStatus.AUTHORIZED
    assert figures(db, aon_campaign) == (7_500, 1, [0, 1])


async def test_the_same_change_asked_again_changes_nothing_more(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=0)
    target = aon_campaign.tiers[1].id
    assert await change(db, clock, limits, pledge, target)
    assert not await change(db, clock, limits, pledge, target)
    assert figures(db, aon_campaign) == (7_500, 1, [0, 1])


async def test_moving_down_to_an_amount_without_a_reward_gives_the_unit_back(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=1)
    assert await change(db, clock, limits, pledge, None, 2_500)
    stored = db.state.pledges[pledge.id]
    assert (stored.tier_id, stored.amount) == (None, Money(2_500, "EUR"))
    assert figures(db, aon_campaign) == (2_500, 1, [0, 0])


async def test_a_reward_with_no_unit_left_is_refused_and_nothing_moves(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    for user in range(10, 20):
        await backed(db, clock, limits, aon_campaign, user, tier=0)
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=1)
    before = figures(db, aon_campaign)
    with pytest.raises(TierSoldOut):
        await change(db, clock, limits, pledge, aon_campaign.tiers[0].id)
    assert figures(db, aon_campaign) == before
    assert db.state.pledges[pledge.id].tier_id == aon_campaign.tiers[1].id


async def test_a_closed_reward_is_refused_to_a_change_while_one_holding_it_keeps_it(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    db.state.campaigns[aon_campaign.id].tiers[0].closes_at = clock.now() + timedelta(hours=1)
    early = await backed(db, clock, limits, aon_campaign, 2, tier=0)
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=1)
    clock.advance(timedelta(hours=1))
    before = figures(db, aon_campaign)
    with pytest.raises(TierClosed):
        await change(db, clock, limits, pledge, aon_campaign.tiers[0].id)
    assert figures(db, aon_campaign) == before
    # A pledge that holds the early bird already may still give more for it.
    assert await change(db, clock, limits, early, aon_campaign.tiers[0].id, 6_000, user=2)
    assert db.state.pledges[early.id].amount == Money(6_000, "EUR")


async def test_raising_a_pledge_past_half_the_goal_announces_the_milestone(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=None, amount=45_000)
    before = set(db.state.milestones)
    assert await change(db, clock, limits, pledge, None, 60_000)
    crossed = Milestone(aon_campaign.id, MilestoneKind.PERCENT, 50)
    assert set(db.state.milestones) - before == {crossed}


@pytest.mark.parametrize(
    "ended",
    [
        lambda c: replace(c, status=CampaignStatus.CANCELLED),
        lambda c: replace(c, ends_at=c.starts_at + timedelta(hours=1)),
    ],
    ids=["cancelled", "past its deadline"],
)
async def test_an_old_button_after_the_campaign_closed_says_so(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    aon_campaign: Campaign,
    ended: object,
) -> None:
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=0)
    db.state.campaigns[aon_campaign.id] = ended(db.state.campaigns[aon_campaign.id])  # type: ignore[operator]
    with pytest.raises(CannotChange) as refused, use_locale("en"):
        await change(db, clock, limits, pledge, aon_campaign.tiers[1].id)
    with use_locale("en"):
        assert refused.value.user_message() == (
            "Your pledge can no longer be changed: the campaign has ended."
        )
    with use_locale("fr"):
        assert refused.value.user_message() == (
            "Votre contribution n’est plus modifiable\u00a0: la campagne est terminée."
        )
    assert figures(db, aon_campaign)[2] == [1, 0]


async def test_a_paid_pledge_comes_down_once_with_the_difference_refunded(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await backed(db, clock, limits, campaign, 1, tier=1, outcome=OutcomeKind.PAID)
    target = campaign.tiers[0].id
    request = ChangeRequest(caller(1), pledge.id, target)

    done = await change_pledge(db.unit_of_work, clock, gateway, limits, request)
    again = await change_pledge(db.unit_of_work, clock, gateway, limits, request)

    assert (done.changed, done.refunded, again.changed) == (True, Money(2_500, "EUR"), False)
    assert list(gateway.partial_refunds.values()) == [(pledge.id, Money(2_500, "EUR"))]
    stored = db.state.pledges[pledge.id]
    # What was charged stays; what was refunded says how much of it is left.
    assert (stored.tier_id, stored.amount, stored.refunded_amount) == (
        target,
        Money(7_500, "EUR"),
        2_500,
    )
    assert figures(db, campaign) == (5_000, 1, [1, 0])
    # The provider's news of the same refund comes later and changes nothing.
    await apply(db, clock, pledge.id, OutcomeKind.REFUNDED, refunded_total=2_500, event_id="e1")
    assert figures(db, campaign) == (5_000, 1, [1, 0])


class NewsFirst(FakeGateway):
    """A provider whose news of a refund arrives before its answer to the request."""

    def __init__(self, db: FakeDatabase, clock: FixedClock) -> None:
        super().__init__()
        self.db, self.clock = db, clock

    async def refund(
        self, pledge: Pledge, idempotency_key: str, amount: Money | None = None
    ) -> None:
        """Refund, and let the webhook be applied at once."""
        await super().refund(pledge, idempotency_key, amount)
        assert amount is not None
        total = pledge.refunded_amount + amount.amount
        await apply(self.db, self.clock, pledge.id, OutcomeKind.REFUNDED, refunded_total=total)


async def test_a_refund_whose_news_came_first_is_counted_once_and_the_reward_still_moves(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    pledge = await backed(db, clock, limits, campaign, 1, tier=1, outcome=OutcomeKind.PAID)
    gateway = NewsFirst(db, clock)
    assert await change(db, clock, limits, pledge, campaign.tiers[0].id, gateway=gateway)
    assert figures(db, campaign) == (5_000, 1, [1, 0])
    assert db.state.pledges[pledge.id].refunded_amount == 2_500


async def test_more_on_a_paid_pledge_asks_for_the_difference_and_refunds_nothing(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await backed(db, clock, limits, campaign, 1, tier=0, outcome=OutcomeKind.PAID)
    request = ChangeRequest(caller(1), pledge.id, campaign.tiers[1].id)
    change = await change_pledge(db.unit_of_work, clock, gateway, limits, request)
    assert change.changed is False
    assert change.top_up is not None
    assert change.top_up.difference == Money(2_500, "EUR")
    assert gateway.partial_refunds == {}
    assert figures(db, campaign) == (5_000, 1, [1, 0])


async def test_without_the_provider_a_paid_pledge_does_not_change(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await backed(db, clock, limits, campaign, 1, tier=1, outcome=OutcomeKind.PAID)
    gateway.unavailable = True
    with pytest.raises(PaymentUnavailable):
        await change(db, clock, limits, pledge, campaign.tiers[0].id, gateway=gateway)
    assert figures(db, campaign) == (7_500, 1, [0, 1])


async def test_nobody_changes_another_persons_pledge(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=0)
    await backed(db, clock, limits, aon_campaign, 2, tier=0)
    with pytest.raises(PledgeNotFound):
        await change(db, clock, limits, pledge, aon_campaign.tiers[1].id, user=2)
    assert db.state.pledges[pledge.id].tier_id == aon_campaign.tiers[0].id


async def test_in_the_last_day_a_change_may_not_pull_the_campaign_under_its_goal(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=None, amount=100_000)
    clock.advance(timedelta(days=28, hours=12))
    with pytest.raises(CannotChange):
        await change(db, clock, limits, pledge, aon_campaign.tiers[0].id)
    assert db.state.campaigns[aon_campaign.id].raised == 100_000


async def test_a_reward_that_ships_needs_a_pledge_with_an_address(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=0)
    db.state.campaigns[aon_campaign.id].tiers[1].ships = True
    with pytest.raises(CannotChange):
        await change(db, clock, limits, pledge, aon_campaign.tiers[1].id)
    assert figures(db, aon_campaign) == (5_000, 1, [1, 0])


async def test_the_card_and_the_offer_know_the_viewers_current_pledge(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    # Through the chats' cache, which must show each change as it is committed.
    reads = CachedReads(db.unit_of_work, db.counters, clock)
    pending = PledgeRequest(caller(1), aon_campaign.id, aon_campaign.tiers[1].id)
    await start_pledge(db.unit_of_work(), clock, limits, pending)
    detail = await reads.campaign_detail("aon", caller(1).identity, ())
    assert detail.backed is None  # still at checkout: not backed yet
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=0)
    detail = await reads.campaign_detail("aon", caller(1).identity, ())
    assert detail.backed is not None
    assert detail.backed.id == pledge.id
    offer = await offer_pledge(db.unit_of_work, clock, caller(1), aon_campaign.id, None)
    assert offer.backed is not None
    assert offer.backed.id == pledge.id
    await apply(db, clock, pledge.id, OutcomeKind.CANCELLED)
    detail = await reads.campaign_detail("aon", caller(1).identity, ())
    assert detail.backed is None


async def test_another_amount_keeps_the_reward_while_it_covers_its_price(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    pledge = await backed(db, clock, limits, aon_campaign, 1, tier=1)
    found = await pledge_to_change(db.unit_of_work, clock, caller(1), pledge.id)
    more = with_amount(caller(1), found.pledge, found.campaign, Money(10_000, "EUR"))
    assert (await change_pledge(db.unit_of_work, clock, None, limits, more)).changed
    stored = db.state.pledges[pledge.id]
    assert (stored.tier_id, stored.amount) == (aon_campaign.tiers[1].id, Money(10_000, "EUR"))
    assert figures(db, aon_campaign) == (10_000, 1, [0, 1])

    found = await pledge_to_change(db.unit_of_work, clock, caller(1), pledge.id)
    less = with_amount(caller(1), found.pledge, found.campaign, Money(3_000, "EUR"))
    assert (await change_pledge(db.unit_of_work, clock, None, limits, less)).changed
    stored = db.state.pledges[pledge.id]
    assert (stored.tier_id, stored.amount) == (None, Money(3_000, "EUR"))
    assert figures(db, aon_campaign) == (3_000, 1, [0, 0])


async def test_more_for_the_last_unit_of_a_reward_keeps_it(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, aon_campaign: Campaign
) -> None:
    for user in range(1, 11):
        last = await backed(db, clock, limits, aon_campaign, user, tier=0)
    assert db.state.campaigns[aon_campaign.id].tiers[0].sold_out
    assert await change(db, clock, limits, last, aon_campaign.tiers[0].id, 6_000, user=10)
    assert figures(db, aon_campaign) == (51_000, 10, [10, 0])
