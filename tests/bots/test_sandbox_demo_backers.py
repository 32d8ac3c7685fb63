"""In the sandbox, demo backers have saved test cards: a funded all-or-nothing campaign
closed there charges them as it charges anyone, and its figures stay as they were."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.storage import Database
from adapters.stripe.gateway import StripeGateway
from bots.catalog import parse_catalog
from bots.clock import SystemClock
from bots.config import load_settings
from bots.sandbox import STRIPE_KEY, Sandbox
from bots.scheduler import DeadlineScheduler
from bots.seeding import seed_catalog
from core.campaigns import CampaignStatus
from core.pledges import PledgeStatus
from core.usecases.closing import close_now
from core.usecases.pledging import PledgeLimits
from core.usecases.seeding import demo_pledge_times
from tests.bots.conftest import write_config

CATALOG = """
[[campaigns]]
slug = "night-synth"
title = "Night Synth"
blurb = "A pocket synth."
creator = "Drift Circuits"
category = "technology"
currency = "USD"
goal = "100"
funding = "all_or_nothing"
starts = "-3d"
ends = "+2d"

[[campaigns.backing]]
count = 3
amount = "50"

[[campaigns]]
slug = "river-book"
title = "River Book"
blurb = "A book about rivers."
creator = "Ada"
category = "publishing"
currency = "USD"
goal = "100"
funding = "flexible"
starts = "-3d"
ends = "+2d"

[[campaigns.backing]]
count = 2
amount = "10"
"""


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    """The sandbox's stand-ins, running."""
    running = Sandbox(load_settings(write_config(tmp_path)))
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


async def test_closing_a_funded_demo_campaign_in_the_sandbox_charges_its_demo_backers(
    database: Database, sandbox: Sandbox
) -> None:
    clock, limits = SystemClock(), PledgeLimits()
    entries = parse_catalog(CATALOG, "demo.toml", datetime.now(UTC), limits)
    await seed_catalog(database.unit_of_work, clock, limits, entries)

    # Only the all-or-nothing campaign's backers wait, card saved, for its end.
    assert await sandbox.save_demo_cards(database.unit_of_work, clock) == 3
    await close_now(database.unit_of_work, clock, "night-synth")
    gateway = StripeGateway(STRIPE_KEY, sandbox.stripe.base_url)
    try:
        tick = await DeadlineScheduler(database.unit_of_work, clock, 30, gateway).tick()
    finally:
        await gateway.close()

    [settled] = [s for s in tick.settled if s.campaign.slug == "night-synth"]
    assert (settled.charged, settled.declined) == (3, 0)
    async with database.unit_of_work() as uow:
        campaign = await uow.campaigns.by_slug("night-synth")
        assert campaign is not None
        pledges = await uow.pledges.of_campaign(campaign.id)
    assert campaign.status is CampaignStatus.SUCCESSFUL
    assert (campaign.raised, campaign.backers_count) == (15_000, 3)
    assert [pledge.status for pledge in pledges] == [PledgeStatus.PAID] * 3
    # Each was charged on the stand-in, on a card of its own.
    paid = [event["data"]["object"] for event in sandbox.stripe.events("payment_intent.succeeded")]
    assert len({intent["customer"] for intent in paid}) == 3


async def test_a_new_sandbox_run_saves_the_demo_cards_again_in_its_empty_stand_in(
    database: Database, tmp_path: Path
) -> None:
    clock, limits = SystemClock(), PledgeLimits()
    entries = parse_catalog(CATALOG, "demo.toml", datetime.now(UTC), limits)
    await seed_catalog(database.unit_of_work, clock, limits, entries)
    for _ in range(2):
        run = Sandbox(load_settings(write_config(tmp_path)))
        await run.start()
        try:
            assert await run.save_demo_cards(database.unit_of_work, clock) == 3
            attached = run.stripe.events("payment_method.attached")
            known = {event["data"]["object"]["id"] for event in attached}
        finally:
            await run.stop()
        async with database.unit_of_work() as uow:
            campaign = await uow.campaigns.by_slug("night-synth")
            assert campaign is not None
            pledges = await uow.pledges.of_campaign(campaign.id)
        assert {pledge.payment_method_id for pledge in pledges} == known


async def test_demo_backers_pledged_over_the_campaigns_life_most_of_them_early(
    database: Database,
) -> None:
    clock, limits = SystemClock(), PledgeLimits()
    seeded_at = clock.now()
    entries = parse_catalog(CATALOG, "demo.toml", seeded_at, limits)
    await seed_catalog(database.unit_of_work, clock, limits, entries)

    async with database.unit_of_work() as uow:
        campaign = await uow.campaigns.by_slug("night-synth")
        assert campaign is not None
        pledges = await uow.pledges.of_campaign(campaign.id)
        days = await uow.pledges.funding_days(campaign.id)
    times = sorted(pledge.created_at for pledge in pledges)
    assert campaign.starts_at < times[0] < times[1] < times[2] < seeded_at
    # Front-loaded: the first two in the first half of the time it has been live.
    assert times[1] - campaign.starts_at < (seeded_at - campaign.starts_at) / 2
    # So its progress chart has a history: more than one day with pledges.
    assert len(days) > 1
    assert sum(day.raised for day in days) == campaign.raised == 15_000


def test_demo_pledge_times_run_from_the_start_towards_the_end_densest_at_first() -> None:
    start = datetime(2026, 12, 1, tzinfo=UTC)
    times = demo_pledge_times(start, start + timedelta(days=10), 10)

    assert times == sorted(times)
    assert start < times[0]
    assert times[-1] < start + timedelta(days=10)
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert gaps == sorted(gaps)
