"""Starting a pledge: validation, tier reservation, link reuse and referrals."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Self

import pytest

from core.campaigns import Campaign
from core.errors import (
    CampaignNotFound,
    CampaignNotLive,
    DomainError,
    InvalidAmount,
    TierNotFound,
    TierReserved,
    TierSoldOut,
    WrongCurrency,
)
from core.i18n import use_locale
from core.money import Money
from core.pledges import Pledge, PledgeStatus
from core.usecases.pledging import (
    PledgeLimits,
    PledgeRequest,
    custom_amount,
    my_pledges,
    offer_pledge,
    start_pledge,
)
from tests.core.conftest import caller
from tests.fakes import FakeDatabase, FakePledges, FakeUnitOfWork, FixedClock, State


async def pledge(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, request: PledgeRequest
) -> int:
    """Start a pledge and return its id."""
    return (await start_pledge(db.unit_of_work(), clock, limits, request)).id


async def test_a_tier_pledge_is_pending_at_the_tier_price_and_holds_a_unit(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier = campaign.tiers[0]
    started = await start_pledge(
        db.unit_of_work(), clock, limits, PledgeRequest(caller(1), campaign.id, tier.id)
    )
    assert started.status is PledgeStatus.PENDING
    assert started.amount == Money(5_000, "EUR")
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 1
    assert db.state.campaigns[campaign.id].raised == 0


async def test_a_backer_may_give_more_than_the_tier_price(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    request = PledgeRequest(caller(1), campaign.id, campaign.tiers[1].id, Money(9_000, "EUR"))
    started = await start_pledge(db.unit_of_work(), clock, limits, request)
    assert started.amount == Money(9_000, "EUR")


async def test_a_limited_tier_is_never_oversold(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier = campaign.tiers[0]
    for user in range(10):
        await pledge(db, clock, limits, PledgeRequest(caller(user), campaign.id, tier.id))
    with pytest.raises(TierSoldOut):
        await pledge(db, clock, limits, PledgeRequest(caller(99), campaign.id, tier.id))
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 10
    assert len(db.state.pledges) == 10


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        (Money(0, "EUR"), InvalidAmount),
        (Money(-5, "EUR"), InvalidAmount),
        # Below Stripe's minimum charge: a page for it could never be opened.
        (Money(49, "EUR"), InvalidAmount),
        (Money(1_000_001, "EUR"), InvalidAmount),
        (Money(500, "USD"), WrongCurrency),
        (None, InvalidAmount),
    ],
)
async def test_a_custom_amount_out_of_range_writes_nothing(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    amount: Money | None,
    error: type[DomainError],
) -> None:
    commits = db.commits
    with pytest.raises(error):
        await pledge(db, clock, limits, PledgeRequest(caller(1), campaign.id, None, amount))
    assert db.commits == commits
    assert db.state.pledges == {}
    assert db.state.backers == {}


async def test_less_than_the_tier_price_is_refused_with_the_range(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    request = PledgeRequest(caller(1), campaign.id, campaign.tiers[0].id, Money(100, "EUR"))
    with pytest.raises(InvalidAmount) as refused:
        await pledge(db, clock, limits, request)
    with use_locale("en"):
        assert refused.value.user_message() == "The amount must be between €50.00 and €10,000.00."
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 0


async def test_a_reward_priced_below_the_providers_minimum_charge_is_refused_not_raised(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    db.state.campaigns[campaign.id].tiers[1].amount = Money(20, "EUR")
    request = PledgeRequest(caller(1), campaign.id, campaign.tiers[1].id)
    with pytest.raises(InvalidAmount) as refused:
        await pledge(db, clock, limits, request)
    with use_locale("en"):
        assert refused.value.user_message() == "The amount must be between €0.50 and €10,000.00."
    assert db.state.pledges == {}


async def test_unknown_campaigns_and_tiers_are_refused(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    with pytest.raises(CampaignNotFound):
        await pledge(db, clock, limits, PledgeRequest(caller(1), 424242, None, Money(500, "EUR")))
    with pytest.raises(TierNotFound):
        await pledge(db, clock, limits, PledgeRequest(caller(1), campaign.id, 424242))


async def test_an_ended_campaign_takes_no_pledge(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    clock.advance(timedelta(days=30))
    with pytest.raises(CampaignNotLive):
        await pledge(db, clock, limits, PledgeRequest(caller(1), campaign.id, campaign.tiers[1].id))


async def test_following_the_same_link_twice_reuses_the_pledge(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    request = PledgeRequest(caller(1), campaign.id, campaign.tiers[0].id, link_key="link-1")
    first = await pledge(db, clock, limits, request)
    second = await pledge(db, clock, limits, request)
    assert first == second
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 1


async def test_one_person_following_other_links_for_a_reward_keeps_the_one_pledge_at_checkout(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier = campaign.tiers[0].id
    first = await pledge(
        db, clock, limits, PledgeRequest(caller(1), campaign.id, tier, link_key="a")
    )
    clock.advance(timedelta(minutes=3))
    again = [
        await pledge(db, clock, limits, PledgeRequest(caller(1), campaign.id, tier, link_key=key))
        for key in ("b", "c", "d")
    ]
    assert again == [first, first, first]
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 1
    assert list(db.state.pledges) == [first]
    # Another reward, or the same one once the first pledge is settled, is a pledge of its own.
    other = await pledge(
        db, clock, limits, PledgeRequest(caller(1), campaign.id, campaign.tiers[1].id)
    )
    db.state.pledges[first].status = PledgeStatus.PAID
    second = await pledge(
        db, clock, limits, PledgeRequest(caller(1), campaign.id, tier, link_key="e")
    )
    assert len({first, other, second}) == 3
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 2


async def test_a_reward_held_only_by_others_checkouts_says_when_to_try_again(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier = campaign.tiers[0]
    db.state.campaigns[campaign.id].tiers[0].claimed = 8
    for user in (1, 2):
        await pledge(db, clock, limits, PledgeRequest(caller(user), campaign.id, tier.id))
        clock.advance(timedelta(minutes=10))

    with pytest.raises(TierReserved) as by_link:
        await pledge(db, clock, limits, PledgeRequest(caller(3), campaign.id, tier.id))
    with pytest.raises(TierReserved) as by_tap:
        await offer_pledge(db.unit_of_work, clock, caller(3), campaign.id, tier.id)

    # The first hold started 20 minutes ago: its unit may come back in 10.
    assert (by_link.value.minutes, by_tap.value.minutes) == (10, 10)
    with use_locale("en"):
        assert by_link.value.user_message() == (
            "“Early bird” is being checked out by others. Try again in 10 minutes."
        )
    with use_locale("fr"):
        assert by_tap.value.user_message() == (
            "«\u00a0Early bird\u00a0» est en cours de paiement par d’autres personnes. "
            "Réessayez dans 10\u00a0minutes."
        )
    # The person holding a unit may still tap the reward: their link leads back to their pledge.
    offer = await offer_pledge(db.unit_of_work, clock, caller(1), campaign.id, tier.id)
    assert offer.tier is not None
    assert offer.tier.id == tier.id


async def test_a_reward_whose_units_are_all_paid_for_is_sold_out(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier = campaign.tiers[0]
    db.state.campaigns[campaign.id].tiers[0].claimed = 9
    held = await pledge(db, clock, limits, PledgeRequest(caller(1), campaign.id, tier.id))
    db.state.pledges[held].status = PledgeStatus.PAID

    with pytest.raises(TierSoldOut) as refused:
        await pledge(db, clock, limits, PledgeRequest(caller(2), campaign.id, tier.id))
    assert type(refused.value) is TierSoldOut


class LinkTakenMeanwhile(FakePledges):
    """Pledges while another request commits the same link's pledge: missing, taken, found."""

    def __init__(self, state: State, rival: Pledge) -> None:
        super().__init__(state)
        self.rival = rival
        self.looks = 0

    async def by_link_key(self, link_key: str) -> Pledge | None:
        """Missing at the first look only."""
        self.looks += 1
        return None if self.looks == 1 else replace(self.rival)

    async def add(self, pledge: Pledge) -> Pledge | None:
        """The link key is taken."""
        return None


class RacedUnitOfWork(FakeUnitOfWork):
    """A unit of work racing another request that follows the same link."""

    def __init__(self, database: FakeDatabase, rival: Pledge) -> None:
        super().__init__(database)
        self.rival = rival

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.pledges = LinkTakenMeanwhile(self.working, self.rival)
        return self


async def test_a_link_followed_twice_at_once_takes_the_pledge_that_won_and_claims_nothing(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    request = PledgeRequest(caller(1), campaign.id, campaign.tiers[0].id, link_key="link-1")
    rival = await start_pledge(db.unit_of_work(), clock, limits, request)
    commits = db.commits

    raced = await start_pledge(RacedUnitOfWork(db, rival), clock, limits, request)

    assert raced == rival
    assert db.commits == commits
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 1


async def test_a_known_referral_code_is_kept_and_a_self_referral_dropped(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier = campaign.tiers[1].id
    await pledge(db, clock, limits, PledgeRequest(caller(1), campaign.id, tier))
    ambassador = next(iter(db.state.backers.values()))
    code = ambassador.referral_code
    referred = await pledge(
        db, clock, limits, PledgeRequest(caller(2), campaign.id, tier, None, code)
    )
    own = await pledge(db, clock, limits, PledgeRequest(caller(1), campaign.id, tier, None, code))
    unknown = await pledge(
        db, clock, limits, PledgeRequest(caller(3), campaign.id, tier, None, "nope")
    )
    assert db.state.pledges[referred].referral_code == code
    assert db.state.pledges[own].referral_code is None
    assert db.state.pledges[unknown].referral_code is None


async def test_my_pledges_lists_newest_first_with_campaigns(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    first = await pledge(
        db, clock, limits, PledgeRequest(caller(1), campaign.id, campaign.tiers[0].id)
    )
    second = await pledge(
        db, clock, limits, PledgeRequest(caller(1), campaign.id, campaign.tiers[1].id)
    )
    mine = await my_pledges(db.unit_of_work(), caller(1))
    assert [(p.id, c.slug) for p, c in mine] == [(second, "lamp"), (first, "lamp")]
    assert await my_pledges(db.unit_of_work(), caller(2)) == []


async def test_an_offer_checks_the_tap_and_knows_the_backer(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    offer = await offer_pledge(db.unit_of_work, clock, caller(1), campaign.id, campaign.tiers[0].id)
    assert (offer.campaign.slug, offer.tier and offer.tier.title) == ("lamp", "Early bird")
    assert offer.backer.identity == caller(1).identity
    db.state.campaigns[campaign.id].tiers[0].claimed = 10
    with pytest.raises(TierSoldOut):
        await offer_pledge(db.unit_of_work, clock, caller(1), campaign.id, campaign.tiers[0].id)
    clock.advance(timedelta(days=40))
    with pytest.raises(CampaignNotLive):
        await offer_pledge(db.unit_of_work, clock, caller(1), campaign.id, None)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("25", 2_500), ("12,5", 1_250), (" 7.05 ", 705), ("1\u202f000,50 €", 100_050), ("€60", 6_000)],
)
def test_a_typed_amount_is_read_exactly(
    campaign: Campaign, limits: PledgeLimits, text: str, amount: int
) -> None:
    assert custom_amount(text, campaign, limits) == Money(amount, "EUR")


@pytest.mark.parametrize("text", ["", "abc", "0", "-5", "0.49", "12.345", "10001", "NaN", "1e400"])
def test_a_typed_amount_out_of_range_is_refused(
    campaign: Campaign, limits: PledgeLimits, text: str
) -> None:
    with pytest.raises(InvalidAmount):
        custom_amount(text, campaign, limits)


def test_a_typed_amount_below_the_providers_minimum_gives_the_real_range(
    campaign: Campaign, limits: PledgeLimits
) -> None:
    pounds = replace(campaign, goal=Money(100_000, "GBP"))
    with pytest.raises(InvalidAmount) as refused:
        custom_amount("0.29", pounds, limits)
    with use_locale("en"):
        assert refused.value.user_message() == (
            "“0.29” is less than £0.30, the smallest amount accepted."
        )
    assert custom_amount("0.30", pounds, limits) == Money(30, "GBP")
