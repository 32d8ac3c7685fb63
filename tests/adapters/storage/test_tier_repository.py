"""Tier stock in SQL: claims stop at the limit, releases stop at zero."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta, timezone

from adapters.storage import Database
from core.campaigns import RewardTier
from tests.adapters.storage.builders import NOW, a_campaign, committed


async def stock(database: Database, tier_id: int) -> int:
    """How many units of a tier are claimed."""
    async with database.unit_of_work() as uow:
        campaign = await uow.campaigns.by_slug("lamp")
    assert campaign is not None
    tier = campaign.tier(tier_id)
    assert tier is not None
    return tier.claimed


async def tiers(database: Database) -> tuple[RewardTier, RewardTier]:
    """A limited tier (10 units, 2 claimed) and an unlimited one, stored."""
    campaign = await committed(database, lambda uow: uow.campaigns.add(a_campaign()))
    limited, unlimited = campaign.tiers
    return limited, unlimited


async def test_a_limited_tier_is_claimed_until_none_is_left(database: Database) -> None:
    limited, _ = await tiers(database)
    async with database.unit_of_work() as uow:
        claims = [await uow.tiers.claim(limited.id, NOW) for _ in range(10)]
        await uow.commit()
    assert claims == [True] * 8 + [False] * 2
    assert await stock(database, limited.id) == 10


async def test_an_unlimited_tier_is_always_claimed(database: Database) -> None:
    _, unlimited = await tiers(database)
    async with database.unit_of_work() as uow:
        assert all([await uow.tiers.claim(unlimited.id, NOW) for _ in range(25)])
        await uow.commit()
    assert await stock(database, unlimited.id) == 25


async def test_release_gives_a_unit_back_but_never_goes_below_zero(database: Database) -> None:
    limited, unlimited = await tiers(database)
    async with database.unit_of_work() as uow:
        await uow.tiers.release(limited.id)
        await uow.tiers.release(unlimited.id)
        await uow.commit()
    assert await stock(database, limited.id) == 1
    assert await stock(database, unlimited.id) == 0


async def test_an_unknown_tier_cannot_be_claimed(database: Database) -> None:
    async with database.unit_of_work() as uow:
        assert not await uow.tiers.claim(999, NOW)


async def early_bird(database: Database) -> RewardTier:
    """The limited tier, stored with a window from NOW to two days later given in Paris time."""
    paris = timezone(timedelta(hours=1))
    limited = replace(
        a_campaign().tiers[0],
        opens_at=NOW.astimezone(paris),
        closes_at=(NOW + timedelta(days=2)).astimezone(paris),
    )
    campaign = await committed(database, lambda uow: uow.campaigns.add(a_campaign(tiers=[limited])))
    return campaign.tiers[0]


async def test_a_window_is_stored_and_read_back_in_utc(database: Database) -> None:
    stored = await early_bird(database)
    async with database.unit_of_work() as uow:
        found = await uow.campaigns.get(stored.campaign_id)
    assert found is not None
    tier = found.tiers[0]
    assert (tier.opens_at, tier.closes_at) == (NOW, NOW + timedelta(days=2))
    assert tier.opens_at is not None
    assert tier.opens_at.utcoffset() == timedelta(0)


async def test_a_unit_is_claimed_only_while_the_window_is_open(database: Database) -> None:
    tier = await early_bird(database)
    closing = NOW + timedelta(days=2)
    async with database.unit_of_work() as uow:
        moments = (NOW - timedelta(seconds=1), NOW, closing - timedelta(seconds=1), closing)
        claims = [await uow.tiers.claim(tier.id, moment) for moment in moments]
        await uow.commit()
    assert claims == [False, True, True, False]
    assert await stock(database, tier.id) == 4
