"""Campaigns in SQL: every field round-trips, lookups, atomic changes, settlement queries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from adapters.storage import Database
from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.identity import Identity, Platform
from core.pledges import PledgeStatus
from core.ports import TotalChange, UnitOfWork
from tests.adapters.storage.builders import (
    CO_CREATOR,
    CREATOR,
    NOW,
    a_backer,
    a_campaign,
    a_pledge,
    committed,
)


async def add(database: Database, campaign: Campaign) -> Campaign:
    """A campaign, stored and committed."""
    return await committed(database, lambda uow: uow.campaigns.add(campaign))


def with_ids(campaign: Campaign, stored: Campaign) -> Campaign:
    """The campaign as it should come back: the stored ids, everything else as given."""
    return replace(
        campaign,
        id=stored.id,
        tiers=[
            replace(tier, id=stored_tier.id, campaign_id=stored.id)
            for tier, stored_tier in zip(campaign.tiers, stored.tiers, strict=True)
        ],
    )


async def test_a_campaign_round_trips_with_every_field_and_tier(database: Database) -> None:
    campaign = a_campaign()
    stored = await add(database, campaign)
    assert stored.id > 0
    assert all(tier.id > 0 for tier in stored.tiers)
    assert stored == with_ids(campaign, stored)
    async with database.unit_of_work() as uow:
        assert await uow.campaigns.get(stored.id) == stored
        assert await uow.campaigns.by_slug("lamp") == stored


async def test_optional_fields_round_trip_empty(database: Database) -> None:
    campaign = a_campaign(image_url=None, stretch_goals=(), creator_identities=(), tiers=[])
    stored = await add(database, campaign)
    async with database.unit_of_work() as uow:
        assert await uow.campaigns.get(stored.id) == with_ids(campaign, stored)


async def test_times_come_back_as_aware_utc_whatever_offset_went_in(database: Database) -> None:
    paris = timezone(timedelta(hours=1))
    stored = await add(database, a_campaign(starts_at=NOW.astimezone(paris)))
    async with database.unit_of_work() as uow:
        found = await uow.campaigns.get(stored.id)
    assert found is not None
    for moment in (stored.starts_at, found.starts_at, found.ends_at):
        assert moment.tzinfo is UTC
    assert found.starts_at == NOW


async def test_a_naive_time_is_refused(database: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        await add(database, a_campaign(starts_at=NOW.replace(tzinfo=None)))


async def test_a_tier_in_another_currency_is_refused(database: Database) -> None:
    campaign = a_campaign()
    campaign.tiers[0].amount = replace(campaign.tiers[0].amount, currency="USD")
    with pytest.raises(ValueError, match="USD"):
        await add(database, campaign)


async def test_tiers_come_back_in_their_position_order(database: Database) -> None:
    campaign = a_campaign()
    first, second = campaign.tiers
    stored = await add(
        database, replace(campaign, tiers=[replace(first, position=1), replace(second, position=0)])
    )
    assert [tier.title for tier in stored.tiers] == ["Thanks", "Early bird"]


async def test_unknown_ids_and_slugs_find_nothing(database: Database) -> None:
    async with database.unit_of_work() as uow:
        assert await uow.campaigns.get(12345) is None
        assert await uow.campaigns.by_slug("nothing") is None


async def test_list_all_is_in_slug_order(database: Database) -> None:
    for slug in ("mug", "bike", "lamp"):
        await add(database, a_campaign(slug))
    async with database.unit_of_work() as uow:
        assert [c.slug for c in await uow.campaigns.list_all()] == ["bike", "lamp", "mug"]


async def test_created_by_finds_an_owners_campaigns_newest_first(database: Database) -> None:
    stranger = Identity(Platform.TELEGRAM, "7")
    await add(database, a_campaign("first"))
    await add(database, a_campaign("theirs", creator_identities=(stranger,)))
    await add(database, a_campaign("second", creator_identities=(CO_CREATOR,)))
    async with database.unit_of_work() as uow:
        assert [c.slug for c in await uow.campaigns.created_by(CREATOR)] == ["first"]
        owned = await uow.campaigns.created_by(CO_CREATOR)
        assert [c.slug for c in owned] == ["second", "first"]
        assert owned[1].tiers


async def test_rescheduling_moves_the_run_and_windows_only_from_the_start_and_status_read(
    database: Database,
) -> None:
    campaign = a_campaign(status=CampaignStatus.COMING_SOON)
    campaign.tiers[0].opens_at = campaign.starts_at
    campaign.tiers[0].closes_at = campaign.starts_at + timedelta(days=2)
    stored = await add(database, campaign)
    later = timedelta(days=3)
    moved = replace(
        stored,
        starts_at=stored.starts_at + later,
        ends_at=stored.ends_at + later,
        tiers=[
            replace(
                stored.tiers[0],
                opens_at=campaign.starts_at + later,
                closes_at=campaign.starts_at + timedelta(days=5),
            ),
            stored.tiers[1],
        ],
    )
    coming = {CampaignStatus.COMING_SOON}

    async def reschedule(uow: UnitOfWork) -> tuple[bool, bool, bool]:
        return (
            await uow.campaigns.reschedule(moved, stored.starts_at, {CampaignStatus.LIVE}),
            await uow.campaigns.reschedule(moved, stored.starts_at, coming),
            # Read before the move, a second one finds the start moved and writes nothing.
            await uow.campaigns.reschedule(stored, stored.starts_at, coming),
        )

    assert await committed(database, reschedule) == (False, True, False)
    async with database.unit_of_work() as uow:
        assert await uow.campaigns.get(stored.id) == moved


async def test_going_live_needs_the_start_read_and_happens_once(database: Database) -> None:
    stored = await add(database, a_campaign(status=CampaignStatus.COMING_SOON))
    moved = replace(stored, starts_at=stored.starts_at + timedelta(hours=1))
    coming = {CampaignStatus.COMING_SOON}

    async def launch(uow: UnitOfWork) -> tuple[bool, bool, bool]:
        # Its creator moved the launch after the scheduler read it: the old start launches nothing.
        await uow.campaigns.reschedule(moved, stored.starts_at, coming)
        return (
            await uow.campaigns.go_live(stored.id, stored.starts_at),
            await uow.campaigns.go_live(stored.id, moved.starts_at),
            await uow.campaigns.go_live(stored.id, moved.starts_at),
        )

    assert await committed(database, launch) == (False, True, False)
    async with database.unit_of_work() as uow:
        found = await uow.campaigns.get(stored.id)
    assert found is not None
    assert found.status is CampaignStatus.LIVE


async def test_set_status_only_moves_from_the_expected_status(database: Database) -> None:
    stored = await add(database, a_campaign())

    async def close(uow: UnitOfWork) -> tuple[bool, bool]:
        first = await uow.campaigns.set_status(
            stored.id, CampaignStatus.LIVE, CampaignStatus.SUCCESSFUL
        )
        second = await uow.campaigns.set_status(
            stored.id, CampaignStatus.LIVE, CampaignStatus.FAILED
        )
        return first, second

    assert await committed(database, close) == (True, False)
    async with database.unit_of_work() as uow:
        found = await uow.campaigns.get(stored.id)
    assert found is not None
    assert found.status is CampaignStatus.SUCCESSFUL


async def test_due_to_close_lists_live_campaigns_past_their_end(database: Database) -> None:
    ended = NOW - timedelta(hours=1)
    await add(database, a_campaign("running"))
    await add(database, a_campaign("later", ends_at=NOW, starts_at=ended - timedelta(days=9)))
    await add(database, a_campaign("earlier", ends_at=ended, starts_at=ended - timedelta(days=9)))
    await add(
        database,
        a_campaign("closed", ends_at=ended, status=CampaignStatus.FAILED),
    )
    async with database.unit_of_work() as uow:
        due = await uow.campaigns.due_to_close(NOW)
    assert [c.slug for c in due] == ["earlier", "later"]


async def test_due_to_launch_lists_coming_soon_campaigns_whose_start_has_come(
    database: Database,
) -> None:
    soon = CampaignStatus.COMING_SOON
    await add(database, a_campaign("later", status=soon, starts_at=NOW + timedelta(minutes=1)))
    await add(database, a_campaign("now", status=soon, starts_at=NOW))
    await add(database, a_campaign("earlier", status=soon, starts_at=NOW - timedelta(hours=1)))
    await add(database, a_campaign("live", starts_at=NOW - timedelta(hours=2)))
    async with database.unit_of_work() as uow:
        due = await uow.campaigns.due_to_launch(NOW)
    assert [c.slug for c in due] == ["earlier", "now"]


async def test_change_total_reports_the_figures_before_and_after_and_the_thresholds(
    database: Database,
) -> None:
    stored = await add(database, a_campaign(raised=1_000, backers_count=1))

    async def change(uow: UnitOfWork) -> tuple[TotalChange, TotalChange]:
        up = await uow.campaigns.change_total(stored.id, 2_500, 2)
        down = await uow.campaigns.change_total(stored.id, -500)
        return up, down

    up, down = await committed(database, change)
    stretch_goals = (150_000, 200_000)
    assert up == TotalChange(1_000, 3_500, 1, 3, goal=100_000, stretch_goals=stretch_goals)
    assert down == TotalChange(3_500, 3_000, 3, 3, goal=100_000, stretch_goals=stretch_goals)
    async with database.unit_of_work() as uow:
        found = await uow.campaigns.get(stored.id)
    assert found is not None
    assert (found.raised, found.backers_count) == (3_000, 3)


async def test_a_read_after_an_update_in_the_same_transaction_sees_the_update(
    database: Database,
) -> None:
    stored = await add(database, a_campaign(raised=0))
    async with database.unit_of_work() as uow:
        before = await uow.campaigns.get(stored.id)
        await uow.campaigns.change_total(stored.id, 700)
        await uow.tiers.claim(stored.tiers[0].id, NOW)
        after = await uow.campaigns.get(stored.id)
    assert before is not None
    assert after is not None
    assert (before.raised, after.raised) == (0, 700)
    assert after.tiers[0].claimed == stored.tiers[0].claimed + 1


async def test_needing_settlement_finds_ended_campaigns_still_holding_pledges(
    database: Database,
) -> None:
    aon, flexible = FundingModel.ALL_OR_NOTHING, FundingModel.FLEXIBLE
    cases = [
        ("funded-authorized", aon, CampaignStatus.SUCCESSFUL, PledgeStatus.AUTHORIZED, True),
        ("failed-authorized", aon, CampaignStatus.FAILED, PledgeStatus.AUTHORIZED, True),
        ("cancelled-authorized", aon, CampaignStatus.CANCELLED, PledgeStatus.AUTHORIZED, True),
        ("live-authorized", aon, CampaignStatus.LIVE, PledgeStatus.AUTHORIZED, False),
        ("funded-all-charged", aon, CampaignStatus.SUCCESSFUL, PledgeStatus.PAID, False),
        ("cancelled-paid", flexible, CampaignStatus.CANCELLED, PledgeStatus.PAID, True),
        ("funded-paid", flexible, CampaignStatus.SUCCESSFUL, PledgeStatus.PAID, False),
        ("cancelled-refunded", flexible, CampaignStatus.CANCELLED, PledgeStatus.REFUNDED, False),
    ]

    async def setup(uow: UnitOfWork) -> None:
        backer = await uow.backers.add(a_backer())
        for slug, model, status, pledge_status, _ in cases:
            campaign = await uow.campaigns.add(a_campaign(slug, funding_model=model, status=status))
            await uow.pledges.add(a_pledge(backer.id, campaign.id, status=pledge_status))

    await committed(database, setup)
    async with database.unit_of_work() as uow:
        waiting = await uow.campaigns.needing_settlement()
    assert [c.slug for c in waiting] == [slug for slug, *_, expected in cases if expected]
