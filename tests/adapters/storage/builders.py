"""Test data for the storage tests: complete domain objects and committed setup steps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from adapters.storage import Database
from core.backers import Backer
from core.campaigns import Campaign, CampaignStatus, FundingModel, RewardTier
from core.identity import Identity, Platform
from core.money import Money
from core.pledges import Pledge, PledgeStatus
from core.ports import UnitOfWork

T = TypeVar("T")

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
CREATOR = Identity(Platform.TELEGRAM, "1000")
CO_CREATOR = Identity(Platform.DISCORD, "80351110224678912")


async def committed(database: Database, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run one step in its own unit of work and commit it."""
    async with database.unit_of_work() as uow:
        result = await step(uow)
        await uow.commit()
    return result


def a_campaign(slug: str = "lamp", **changes: Any) -> Campaign:
    """A live campaign with every field set away from its default, and two tiers."""
    campaign = Campaign(
        id=0,
        slug=slug,
        title=f"The {slug.title()}",
        blurb="A warm lamp for long nights.",
        description="Made of oak and brass.\nShips worldwide.",
        creator_name="Ada",
        creator_identities=(CREATOR, CO_CREATOR),
        category="design",
        goal=Money(100_000, "EUR"),
        funding_model=FundingModel.ALL_OR_NOTHING,
        starts_at=NOW - timedelta(days=1),
        ends_at=NOW + timedelta(days=29),
        status=CampaignStatus.LIVE,
        image_url="https://example.com/lamp.png",
        staff_pick=True,
        stretch_goals=(150_000, 200_000),
        raised=12_500,
        backers_count=3,
        tiers=[
            RewardTier(
                id=0,
                campaign_id=0,
                title="Early bird",
                description="One lamp, cheaper",
                amount=Money(5_000, "EUR"),
                quantity_limit=10,
                claimed=2,
                estimated_delivery=date(2027, 3, 1),
                ships=True,
                ship_countries=("FR", "DE"),
                position=0,
            ),
            RewardTier(
                id=0,
                campaign_id=0,
                title="Thanks",
                description="",
                amount=Money(1_000, "EUR"),
                position=1,
            ),
        ],
    )
    return replace(campaign, **changes)


def a_backer(user_id: str = "42", **changes: Any) -> Backer:
    """A reachable Telegram backer with a referral code of their own."""
    backer = Backer(
        id=0,
        identity=Identity(Platform.TELEGRAM, user_id),
        display_name=f"Person {user_id}",
        locale="en",
        referral_code=f"ref-{user_id}",
    )
    return replace(backer, **changes)


def a_pledge(backer_id: int, campaign_id: int, **changes: Any) -> Pledge:
    """A pending €25 pledge without a tier, started at NOW."""
    pledge = Pledge(
        id=0,
        backer_id=backer_id,
        campaign_id=campaign_id,
        tier_id=None,
        amount=Money(2_500, "EUR"),
        status=PledgeStatus.PENDING,
        created_at=NOW,
        updated_at=NOW,
    )
    return replace(pledge, **changes)
