"""A catalog at scale, seeded set-wise for benchmarks.

100,000 backers, 1,000 live campaigns (a few tiers and a creator each), 500,000 pledges of a
realistic mix of statuses and 200,000 follows, written by Core INSERTs executed for BATCH rows
at a time rather than one by one through the repositories. Rows are generated batch by batch, so the
seeding process never holds the whole catalog; campaign totals, backer numbers and claimed
tier units are counted while generating, so they agree with the pledges exactly as Backit's
own bookkeeping would have left them.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.storage import Database, upgrade
from adapters.storage.tables import (
    BackerRow,
    CampaignCreatorRow,
    CampaignRow,
    FollowRow,
    PledgeRow,
    RewardTierRow,
    core_table,
)
from core.campaigns import CampaignStatus, FundingModel
from core.categories import CATEGORIES
from core.identity import Platform
from core.money import minor_digits
from core.pledges import COUNTED, PledgeStatus
from core.usecases.reminding import REMINDER_WINDOW
from tests.storage_fixtures import POSTGRES_URL_ENV, blank_postgres_database

BACKERS = 100_000
CAMPAIGNS = 1_000
TIERS_PER_CAMPAIGN = 3
PLEDGES_PER_BACKER = 5
FOLLOWS_PER_BACKER = 2
BATCH = 5_000
CURRENCIES = ("EUR", "USD", "GBP", "JPY")
# Tier prices in major units; a pledge without a reward is one of these or a round sum.
TIER_PRICES = (10, 25, 60)
# Pledges span these last days, oldest first, so backer numbers follow the order of payment.
HISTORY = timedelta(days=60)
# A tier's unit stays claimed while its pledge may still be (or was) paid for.
CLAIMING = frozenset({PledgeStatus.PENDING, PledgeStatus.AUTHORIZED, PledgeStatus.PAID})
# Flexible campaigns charge at once; all-or-nothing ones hold saved cards until the deadline.
STATUS_MIX: dict[FundingModel, tuple[tuple[PledgeStatus, ...], tuple[int, ...]]] = {
    FundingModel.FLEXIBLE: (
        (
            PledgeStatus.PAID,
            PledgeStatus.PENDING,
            PledgeStatus.REFUNDED,
            PledgeStatus.EXPIRED,
            PledgeStatus.FAILED,
        ),
        (85, 4, 5, 4, 2),
    ),
    FundingModel.ALL_OR_NOTHING: (
        (
            PledgeStatus.AUTHORIZED,
            PledgeStatus.PENDING,
            PledgeStatus.CANCELLED,
            PledgeStatus.EXPIRED,
            PledgeStatus.FAILED,
        ),
        (85, 5, 3, 4, 3),
    ),
}
# Seeded identities sit far above the ids benchmark users take, so none is mistaken for one.
TELEGRAM_IDS = 7_000_000_000
DISCORD_IDS = 1_100_000_000_000_000_000


@dataclass
class Seeded:
    """How many rows of each kind were written, and how long it took."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self, backend: str) -> str:
        """One line for the benchmark's report."""
        counts = ", ".join(f"{count:,} {table}" for table, count in self.rows.items())
        return f"Seeded {counts} on {backend} in {self.seconds:.1f} s"


@dataclass
class _Campaign:
    """What pledges need of a campaign, and the totals they add up to."""

    id: int
    currency: str
    funding: FundingModel
    tier_ids: tuple[int, ...]
    tier_amounts: tuple[int, ...]
    raised: int = 0
    backers: int = 0
    numbered: int = 0


async def seed_at_scale(database: Database, now: datetime, *, seed: int = 2026) -> Seeded:
    """Write the whole catalog into a migrated, empty database, in one transaction."""
    rng = random.Random(seed)
    started = time.perf_counter()
    seeded = Seeded()
    campaigns = _campaigns(rng, now)
    claimed: dict[int, int] = dict.fromkeys(
        (tier for campaign in campaigns for tier in campaign.tier_ids), 0
    )
    async with database.engine.begin() as connection:
        seeded.rows["campaigns"] = await _insert(
            connection, CampaignRow, (_campaign_row(rng, c, now) for c in campaigns)
        )
        seeded.rows["campaign creators"] = await _insert(
            connection, CampaignCreatorRow, (_creator_row(c) for c in campaigns)
        )
        seeded.rows["tiers"] = await _insert(
            connection, RewardTierRow, (row for c in campaigns for row in _tier_rows(c))
        )
        seeded.rows["backers"] = await _insert(
            connection, BackerRow, (_backer_row(number) for number in range(1, BACKERS + 1))
        )
        seeded.rows["pledges"] = await _insert(
            connection, PledgeRow, _pledge_rows(rng, campaigns, claimed, now)
        )
        seeded.rows["follows"] = await _insert(
            connection, FollowRow, _follow_rows(rng, campaigns, now)
        )
        await _write_totals(connection, campaigns, claimed)
        await _after_bulk_load(connection)
    seeded.seconds = time.perf_counter() - started
    return seeded


async def _insert(
    connection: AsyncConnection, model: type[Any], rows: Iterator[dict[str, Any]] | list[Any]
) -> int:
    """One INSERT executed for BATCH rows at a time (executemany); how many rows were written."""
    table, written, source = core_table(model), 0, iter(rows)
    while batch := list(islice(source, BATCH)):
        await connection.execute(insert(table), batch)
        written += len(batch)
    return written


def _campaigns(rng: random.Random, now: datetime) -> list[_Campaign]:
    campaigns = []
    for number in range(1, CAMPAIGNS + 1):
        currency = CURRENCIES[number % len(CURRENCIES)]
        unit = 10 ** minor_digits(currency) * (100 if currency == "JPY" else 1)
        first_tier = (number - 1) * TIERS_PER_CAMPAIGN + 1
        campaigns.append(
            _Campaign(
                id=number,
                currency=currency,
                funding=rng.choice(tuple(FundingModel)),
                tier_ids=tuple(range(first_tier, first_tier + TIERS_PER_CAMPAIGN)),
                tier_amounts=tuple(price * unit for price in TIER_PRICES),
            )
        )
    return campaigns


def _campaign_row(rng: random.Random, campaign: _Campaign, now: datetime) -> dict[str, Any]:
    number = campaign.id
    goal = campaign.tier_amounts[-1] * rng.randint(200, 2_000)
    starts_at = now - HISTORY - timedelta(days=rng.randint(1, 30))
    ends_at = now + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 23))
    return {
        "id": number,
        "slug": f"scale-{number}",
        "title": f"Campaign at scale {number}",
        "blurb": "One of a thousand campaigns, each with hundreds of pledges.",
        "description": "Seeded for the benchmarks at scale.\n" * 5,
        "creator_name": f"Creator {number}",
        "category": list(CATEGORIES)[number % len(CATEGORIES)],
        "image_url": None,
        "goal_amount": goal,
        "currency": campaign.currency,
        "funding_model": campaign.funding,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "status": CampaignStatus.LIVE,
        "staff_pick": number % 25 == 0,
        "stretch_goals": [],
        # Written once every pledge is counted.
        "raised": 0,
        "backers_count": 0,
        # As a running deployment would have: those ending soon had their reminders already.
        # Else the benchmark's `backit run` would first send them, thousands of DMs, while it
        # is measured.
        "reminded_at": now if ends_at - now <= REMINDER_WINDOW else None,
    }


def _creator_row(campaign: _Campaign) -> dict[str, Any]:
    return {
        "campaign_id": campaign.id,
        "platform": Platform.TELEGRAM,
        "user_id": str(TELEGRAM_IDS + BACKERS + campaign.id),
        "position": 0,
    }


def _tier_rows(campaign: _Campaign) -> Iterator[dict[str, Any]]:
    for position, (tier_id, amount) in enumerate(
        zip(campaign.tier_ids, campaign.tier_amounts, strict=True)
    ):
        yield {
            "id": tier_id,
            "campaign_id": campaign.id,
            "title": f"Reward {position + 1}",
            "description": "A thank-you, then the thing itself.",
            "amount": amount,
            "quantity_limit": None,
            # Written once every pledge is counted.
            "claimed": 0,
            "estimated_delivery": None,
            "ships": False,
            "ship_countries": [],
            "position": position,
        }


def _backer_row(number: int) -> dict[str, Any]:
    on_discord = number % 3 == 0
    return {
        "id": number,
        "platform": Platform.DISCORD if on_discord else Platform.TELEGRAM,
        "user_id": str((DISCORD_IDS if on_discord else TELEGRAM_IDS) + number),
        "display_name": f"Backer {number}",
        "locale": "fr" if number % 4 == 0 else "en",
        "chosen_locale": None,
        "referral_code": f"scale{number:08d}",
        "reachable": number % 50 != 0,
    }


def _pledge_rows(
    rng: random.Random,
    campaigns: Sequence[_Campaign],
    claimed: dict[int, int],
    now: datetime,
) -> Iterator[dict[str, Any]]:
    """Every backer's pledges, to distinct campaigns, oldest first."""
    step = HISTORY / (BACKERS * PLEDGES_PER_BACKER)
    pledge_id = 0
    for backer in range(1, BACKERS + 1):
        for campaign in _distinct_picks(rng, campaigns, PLEDGES_PER_BACKER):
            pledge_id += 1
            created = now - HISTORY + step * pledge_id
            yield _pledge_row(rng, pledge_id, backer, campaign, claimed, created)


def _follow_rows(
    rng: random.Random, campaigns: Sequence[_Campaign], now: datetime
) -> Iterator[dict[str, Any]]:
    """Every backer following a few campaigns."""
    for backer in range(1, BACKERS + 1):
        for campaign in _distinct_picks(rng, campaigns, FOLLOWS_PER_BACKER):
            yield {
                "backer_id": backer,
                "campaign_id": campaign.id,
                "muted": False,
                "created_at": now,
            }


def _distinct_picks(
    rng: random.Random, campaigns: Sequence[_Campaign], count: int
) -> list[_Campaign]:
    """`count` different campaigns, popular ones (a long tail: the first) more often."""
    chosen: list[_Campaign] = []
    while len(chosen) < count:
        campaign = rng.choices(campaigns, cum_weights=_POPULARITY)[0]
        if campaign not in chosen:
            chosen.append(campaign)
    return chosen


_POPULARITY = list(accumulate(1 / (rank + 10) for rank in range(CAMPAIGNS)))


def _pledge_row(
    rng: random.Random,
    pledge_id: int,
    backer: int,
    campaign: _Campaign,
    claimed: dict[int, int],
    created: datetime,
) -> dict[str, Any]:
    """One pledge, counted into its campaign's totals as Backit counts payments."""
    statuses, weights = STATUS_MIX[campaign.funding]
    status = rng.choices(statuses, weights)[0]
    tier = rng.randrange(TIERS_PER_CAMPAIGN + 1)
    rewarded = tier < TIERS_PER_CAMPAIGN
    amount = campaign.tier_amounts[tier if rewarded else 0] * rng.randint(1, 3)
    tier_id = campaign.tier_ids[tier] if rewarded else None
    if tier_id is not None and status in CLAIMING:
        claimed[tier_id] += 1
    number = None
    if status in COUNTED or status is PledgeStatus.REFUNDED:
        # A refunded pledge was paid first, and kept the number it was given then.
        campaign.numbered += 1
        number = campaign.numbered
    if status in COUNTED:
        campaign.raised += amount
        campaign.backers += 1
    charged = status in COUNTED or status is PledgeStatus.REFUNDED
    return {
        "id": pledge_id,
        "backer_id": backer,
        "campaign_id": campaign.id,
        "tier_id": tier_id,
        "amount": amount,
        "currency": campaign.currency,
        "status": status,
        "referral_code": None,
        "link_key": None,
        "backer_number": number,
        "refunded_amount": amount if status is PledgeStatus.REFUNDED else 0,
        "checkout_session_id": f"cs_scale_{pledge_id}",
        "payment_intent_id": f"pi_scale_{pledge_id}" if charged else None,
        "customer_id": None,
        "payment_method_id": None,
        "shipping_address": None,
        "tops_up": None,
        "topped_up": 0,
        "payout_account": None,
        "fee": 0,
        "transfer_id": None,
        "dispute": None,
        "disputed_amount": 0,
        "created_at": created,
        "updated_at": created,
    }


async def _write_totals(
    connection: AsyncConnection, campaigns: Sequence[_Campaign], claimed: dict[int, int]
) -> None:
    """Each campaign's total and backer count, and each tier's claimed units."""
    campaign_table, tier_table = core_table(CampaignRow), core_table(RewardTierRow)
    await connection.execute(
        update(campaign_table)
        .where(campaign_table.c.id == bindparam("campaign_id"))
        .values(raised=bindparam("raised"), backers_count=bindparam("backers")),
        [{"campaign_id": c.id, "raised": c.raised, "backers": c.backers} for c in campaigns],
    )
    await connection.execute(
        update(tier_table)
        .where(tier_table.c.id == bindparam("tier_id"))
        .values(claimed=bindparam("units")),
        [{"tier_id": tier, "units": units} for tier, units in claimed.items()],
    )


async def _after_bulk_load(connection: AsyncConnection) -> None:
    """On PostgreSQL: sequences past the ids written, and the planner's statistics taken, as
    inserting row by row and autovacuum would have left them."""
    if connection.dialect.name != "postgresql":
        return
    for model in (CampaignRow, RewardTierRow, BackerRow, PledgeRow):
        table = model.__tablename__
        await connection.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence(table, "id"),
                    select(func.max(core_table(model).c.id)).scalar_subquery(),
                )
            )
        )
    await connection.execute(text("ANALYZE"))


async def catalog_agrees(database: Database) -> None:
    """Assert the stored totals are what the stored pledges add up to."""
    pledges, campaigns = core_table(PledgeRow), core_table(CampaignRow)
    counted = pledges.c.status.in_(sorted(COUNTED))
    sums = (
        select(
            pledges.c.campaign_id,
            func.sum(pledges.c.amount - pledges.c.refunded_amount).label("raised"),
            func.count(func.distinct(pledges.c.backer_id)).label("backers"),
        )
        .where(counted)
        .group_by(pledges.c.campaign_id)
        .subquery()
    )
    disagreeing = (
        select(func.count())
        .select_from(campaigns.outerjoin(sums, sums.c.campaign_id == campaigns.c.id))
        .where(
            (func.coalesce(sums.c.raised, 0) != campaigns.c.raised)
            | (func.coalesce(sums.c.backers, 0) != campaigns.c.backers_count)
        )
    )
    async with database.engine.connect() as connection:
        assert await connection.scalar(disagreeing) == 0, "campaign totals disagree with pledges"


@asynccontextmanager
async def migrated_database(backend: str, directory: Path) -> AsyncIterator[str]:
    """A new database of the backend (SQLite: in `directory`), migrated, dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{directory / 'backit.db'}"
        await upgrade(url)
        yield url
    else:
        async with blank_postgres_database(os.environ[POSTGRES_URL_ENV]) as url:
            await upgrade(url)
            yield url
