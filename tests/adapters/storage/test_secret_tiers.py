"""Secret rewards in SQL: each code is stored with its tier, unique, and finds its campaign."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.exc import IntegrityError

from adapters.storage import Database
from core.campaigns import Campaign
from tests.adapters.storage.builders import a_campaign, committed


def with_secret(slug: str, code: str) -> Campaign:
    """A campaign whose second tier is secret under `code`."""
    campaign = a_campaign(slug)
    listed, secret = campaign.tiers
    return replace(campaign, tiers=[listed, replace(secret, secret_code=code)])


async def test_a_secret_code_is_stored_with_its_tier_and_finds_its_campaign(
    database: Database,
) -> None:
    await committed(database, lambda uow: uow.campaigns.add(a_campaign("other")))
    stored = await committed(
        database, lambda uow: uow.campaigns.add(with_secret("lamp", "Ab3dE6gH9k"))
    )
    assert [tier.secret_code for tier in stored.tiers] == [None, "Ab3dE6gH9k"]
    async with database.unit_of_work(read_only=True) as uow:
        found = await uow.campaigns.by_secret_code("Ab3dE6gH9k")
        # Codes are compared exactly: another case is another code.
        assert await uow.campaigns.by_secret_code("ab3de6gh9k") is None
        assert await uow.campaigns.by_secret_code("Zz9yY8xX7w") is None
    assert found == stored


async def test_two_rewards_never_share_a_code(database: Database) -> None:
    await committed(database, lambda uow: uow.campaigns.add(with_secret("lamp", "Ab3dE6gH9k")))
    with pytest.raises(IntegrityError):
        await committed(database, lambda uow: uow.campaigns.add(with_secret("desk", "Ab3dE6gH9k")))
