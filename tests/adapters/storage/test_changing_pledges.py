"""Pledge changes racing on a real database: each applies once, and no reward is oversold."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from adapters.storage import Database
from core.campaigns import Campaign, FundingModel
from core.errors import TierSoldOut
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.payments import OutcomeKind, PaymentOutcome
from core.pledges import Pledge, PledgeStatus
from core.usecases.changing import ChangeRequest, PledgeChange, change_pledge
from core.usecases.managing import CampaignDraft, TierDraft, create_campaign, publish_campaign
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from tests.adapters.storage.builders import CREATOR, NOW
from tests.fakes import FixedClock

LIMITS = PledgeLimits()


def caller(user_id: int) -> Caller:
    """A distinct person on Telegram."""
    return Caller(Identity(Platform.TELEGRAM, str(user_id)), f"Person {user_id}", "en")


async def all_or_nothing(
    database: Database, clock: FixedClock, funding_model: FundingModel = FundingModel.ALL_OR_NOTHING
) -> Campaign:
    """A live campaign (all-or-nothing unless told): an open reward at €50, one unit of another
    at €75."""
    draft = CampaignDraft(
        slug="lamp",
        title="The Reading Lamp",
        blurb="A warm lamp for long nights.",
        description="",
        creator_name="Ada",
        creator_identities=(CREATOR,),
        category="design",
        goal=Money(100_000, "EUR"),
        funding_model=funding_model,
        starts_at=NOW - timedelta(days=1),
        ends_at=NOW + timedelta(days=29),
        tiers=(
            TierDraft("Early bird", "", 5_000),
            TierDraft("Lamp", "", 7_500, quantity_limit=1),
        ),
    )
    await create_campaign(database.unit_of_work(), draft)
    return await publish_campaign(database.unit_of_work(), clock, "lamp")


async def card_saved(
    database: Database, clock: FixedClock, campaign: Campaign, user: int
) -> Pledge:
    """A pledge for the first reward whose card is saved."""
    request = PledgeRequest(caller(user), campaign.id, campaign.tiers[0].id)
    started = await start_pledge(database.unit_of_work(), clock, LIMITS, request)
    outcome = PaymentOutcome(started.id, OutcomeKind.AUTHORIZED)
    await apply_payment_outcome(database.unit_of_work(), clock, outcome)
    return started


async def reload(database: Database, campaign_id: int) -> Campaign:
    """The campaign as committed."""
    async with database.unit_of_work() as uow:
        found = await uow.campaigns.get(campaign_id)
    assert found is not None
    return found


async def test_the_same_change_asked_ten_times_at_once_applies_once(database: Database) -> None:
    clock = FixedClock(NOW)
    campaign = await all_or_nothing(database, clock)
    pledge = await card_saved(database, clock, campaign, 1)
    request = ChangeRequest(caller(1), pledge.id, campaign.tiers[1].id)

    results = await asyncio.gather(
        *(change_pledge(database.unit_of_work, clock, None, LIMITS, request) for _ in range(10))
    )

    assert sum(result.changed for result in results) == 1
    stored = await reload(database, campaign.id)
    assert [tier.claimed for tier in stored.tiers] == [0, 1]
    assert (stored.raised, stored.backers_count) == (7_500, 1)
    async with database.unit_of_work() as uow:
        changed = await uow.pledges.get(pledge.id)
    assert changed is not None
    assert (changed.tier_id, changed.amount) == (campaign.tiers[1].id, Money(7_500, "EUR"))
    assert changed.status is PledgeStatus.AUTHORIZED


async def test_two_backers_changing_to_the_last_unit_at_once_one_gets_it(
    database: Database,
) -> None:
    clock = FixedClock(NOW)
    campaign = await all_or_nothing(database, clock)
    first = await card_saved(database, clock, campaign, 1)
    second = await card_saved(database, clock, campaign, 2)

    results = await asyncio.gather(
        *(
            change_pledge(
                database.unit_of_work,
                clock,
                None,
                LIMITS,
                ChangeRequest(caller(user), pledge.id, campaign.tiers[1].id),
            )
            for user, pledge in ((1, first), (2, second))
        ),
        return_exceptions=True,
    )

    assert sorted(type(result).__name__ for result in results) == sorted(
        [PledgeChange.__name__, TierSoldOut.__name__]
    )
    stored = await reload(database, campaign.id)
    assert [tier.claimed for tier in stored.tiers] == [1, 1]
    assert (stored.raised, stored.backers_count) == (12_500, 2)
