"""Fixtures for core's unit tests: a fake database, a fixed clock and a live campaign."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.campaigns import Campaign, FundingModel
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.payments import OutcomeKind, PaymentOutcome
from core.usecases.managing import CampaignDraft, TierDraft, create_campaign, publish_campaign
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from tests.fakes import FakeDatabase, FakeGateway, FixedClock

CREATOR = Identity(Platform.TELEGRAM, "1000")


def caller(user_id: int, platform: Platform = Platform.TELEGRAM, locale: str = "en") -> Caller:
    """A person on a platform."""
    return Caller(Identity(platform, str(user_id)), f"Person {user_id}", locale)


def draft(clock: FixedClock, **changes: object) -> CampaignDraft:
    """A valid campaign draft: €1,000 goal, two tiers (one limited to 10), 30 days."""
    values: dict[str, object] = {
        "slug": "lamp",
        "title": "The Reading Lamp",
        "blurb": "A warm lamp for long nights.",
        "description": "Made of oak and brass.",
        "creator_name": "Ada",
        "creator_identities": (CREATOR,),
        "category": "design",
        "goal": Money(100_000, "EUR"),
        "funding_model": FundingModel.FLEXIBLE,
        "starts_at": clock.now() - timedelta(days=1),
        "ends_at": clock.now() + timedelta(days=29),
        "stretch_goals": (150_000,),
        "tiers": (
            TierDraft("Early bird", "One lamp, cheaper", 5_000, quantity_limit=10),
            TierDraft("Lamp", "One lamp", 7_500),
        ),
    }
    values.update(changes)
    return CampaignDraft(**values)  # type: ignore[arg-type]


async def pledged(
    db: FakeDatabase,
    clock: FixedClock,
    campaign: Campaign,
    user: int,
    amount: int,
    referral: str | None = None,
) -> int:
    """A pending custom-amount pledge's id."""
    request = PledgeRequest(caller(user), campaign.id, None, Money(amount, "EUR"), referral)
    return (await start_pledge(db.unit_of_work(), clock, PledgeLimits(), request)).id


async def apply(
    db: FakeDatabase, clock: FixedClock, pledge_id: int, kind: OutcomeKind, **extra: object
) -> None:
    """Apply one payment outcome to a pledge."""
    await apply_payment_outcome(
        db.unit_of_work(),
        clock,
        PaymentOutcome(pledge_id, kind, **extra),  # type: ignore[arg-type]
    )


@pytest.fixture
def db() -> FakeDatabase:
    """An empty fake database."""
    return FakeDatabase()


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at 2026-11-01 12:00 UTC."""
    return FixedClock()


@pytest.fixture
def limits() -> PledgeLimits:
    """At most €10,000 (or ¥1,500,000) per pledge."""
    return PledgeLimits(10_000, {"JPY": 1_500_000})


@pytest.fixture
def gateway() -> FakeGateway:
    """A payment provider that records what it is asked."""
    return FakeGateway()


@pytest.fixture
async def aon_campaign(db: FakeDatabase, clock: FixedClock) -> Campaign:
    """A live all-or-nothing campaign with the same tiers and goal."""
    await create_campaign(
        db.unit_of_work(), draft(clock, slug="aon", funding_model=FundingModel.ALL_OR_NOTHING)
    )
    return await publish_campaign(db.unit_of_work(), clock, "aon")


@pytest.fixture
async def campaign(db: FakeDatabase, clock: FixedClock) -> Campaign:
    """A live flexible campaign."""
    await create_campaign(db.unit_of_work(), draft(clock))
    return await publish_campaign(db.unit_of_work(), clock, "lamp")
