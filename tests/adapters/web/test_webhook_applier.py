"""Group commit: outcomes waiting together share one transaction, each in a savepoint."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from sqlalchemy.exc import DBAPIError

from adapters.storage import Database
from adapters.web.webhook_applier import WebhookApplier
from core.payments import OutcomeKind, PaymentOutcome
from core.pledges import PledgeStatus
from core.ports import UnitOfWork
from core.usecases.payments import AppliedOutcome
from tests.adapters.storage.builders import NOW, a_backer, a_campaign, a_pledge, committed
from tests.fakes import FixedClock
from tests.storage_fixtures import refused_changes_to

AMOUNT = 2_500


async def pending_pledges(database: Database, count: int) -> tuple[int, list[int]]:
    """A campaign with nobody counted yet, and pending pledges by as many backers."""

    async def setup(uow: UnitOfWork) -> tuple[int, list[int]]:
        campaign = await uow.campaigns.add(a_campaign(raised=0, backers_count=0))
        ids = []
        for number in range(count):
            backer = await uow.backers.add(a_backer(str(number)))
            pledge = await uow.pledges.add(
                a_pledge(backer.id, campaign.id, link_key=f"link-{number}")
            )
            assert pledge is not None
            ids.append(pledge.id)
        return campaign.id, ids

    return await committed(database, setup)


class CountedUnitsOfWork:
    """The database's units of work, counted as they are made."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.made = 0

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """One more unit of work."""
        self.made += 1
        return self.database.unit_of_work(read_only=read_only)


@asynccontextmanager
async def running(applier: WebhookApplier) -> AsyncIterator[WebhookApplier]:
    """The applier at work, as while its web application runs."""
    async with asynccontextmanager(applier.running)(web.Application()):
        yield applier


def paid(pledge_id: int) -> PaymentOutcome:
    """The webhook outcome that pays a pledge."""
    return PaymentOutcome(pledge_id, OutcomeKind.PAID, event_id=f"evt_{pledge_id}")


async def figures(database: Database, campaign_id: int) -> tuple[int, int]:
    """A campaign's total and backer count, as committed."""
    async with database.unit_of_work() as uow:
        campaign = await uow.campaigns.get(campaign_id)
    assert campaign is not None
    return campaign.raised, campaign.backers_count


async def test_outcomes_waiting_together_share_one_transaction(database: Database) -> None:
    campaign_id, pledges = await pending_pledges(database, 5)
    uows = CountedUnitsOfWork(database)

    async with running(WebhookApplier(uows, FixedClock(NOW))) as applier:
        results = await asyncio.gather(*(applier.apply(paid(p)) for p in pledges))

    assert [result.changed for result in results] == [True] * 5
    assert uows.made == 1
    assert await figures(database, campaign_id) == (5 * AMOUNT, 5)


async def test_each_group_is_logged_once_with_what_it_came_to(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    _, (first, second) = await pending_pledges(database, 2)

    with caplog.at_level(logging.INFO, logger="adapters.web.webhook_applier"):
        async with running(WebhookApplier(database.unit_of_work, FixedClock(NOW))) as applier:
            await asyncio.gather(*(applier.apply(paid(p)) for p in (first, second, first)))

    assert [r.getMessage() for r in caplog.records] == [
        "webhooks applied together: 2 changed, 1 duplicate"
    ]


async def test_a_group_is_no_larger_than_its_limit(database: Database) -> None:
    _, pledges = await pending_pledges(database, 5)
    uows = CountedUnitsOfWork(database)

    async with running(WebhookApplier(uows, FixedClock(NOW), limit=2)) as applier:
        await asyncio.gather(*(applier.apply(paid(p)) for p in pledges))

    assert uows.made == 3


async def test_senders_answered_together_share_the_next_transaction_though_they_come_apart(
    database: Database,
) -> None:
    _, pledges = await pending_pledges(database, 8)
    uows = CountedUnitsOfWork(database)

    async with running(WebhookApplier(uows, FixedClock(NOW), linger=5.0)) as applier:
        await asyncio.gather(*(applier.apply(paid(p)) for p in pledges[:4]))

        async def send_later(pledge: int, delay: float) -> AppliedOutcome:
            await asyncio.sleep(delay)
            return await applier.apply(paid(pledge))

        # As many as the last group held, one by one: the first waits for the others.
        results = await asyncio.gather(
            *(send_later(p, 0.05 * n) for n, p in enumerate(pledges[4:]))
        )

    assert [result.changed for result in results] == [True] * 4
    assert uows.made == 2


async def test_a_group_waits_no_longer_than_its_linger(database: Database) -> None:
    _, pledges = await pending_pledges(database, 4)
    uows = CountedUnitsOfWork(database)

    async with running(WebhookApplier(uows, FixedClock(NOW), linger=0.2)) as applier:
        await asyncio.gather(*(applier.apply(paid(p)) for p in pledges[:3]))
        started = asyncio.get_running_loop().time()
        alone = await applier.apply(paid(pledges[3]))
        waited = asyncio.get_running_loop().time() - started

    assert alone.changed
    assert 0.2 <= waited < 5
    assert uows.made == 2


async def test_a_lone_outcome_after_another_is_applied_without_waiting(
    database: Database,
) -> None:
    _, pledges = await pending_pledges(database, 2)

    async with running(
        WebhookApplier(database.unit_of_work, FixedClock(NOW), linger=60)
    ) as applier:
        async with asyncio.timeout(10):
            for pledge in pledges:
                assert (await applier.apply(paid(pledge))).changed


async def test_one_outcome_the_database_refuses_is_undone_alone_and_raised_to_its_waiter(
    database: Database,
) -> None:
    campaign_id, (first, refused, last) = await pending_pledges(database, 3)

    async with (
        refused_changes_to(database, refused),
        running(WebhookApplier(database.unit_of_work, FixedClock(NOW))) as applier,
    ):
        results = await asyncio.gather(
            *(applier.apply(paid(p)) for p in (first, refused, last)), return_exceptions=True
        )

    assert isinstance(results[0], AppliedOutcome)
    assert isinstance(results[1], DBAPIError)
    assert isinstance(results[2], AppliedOutcome)
    # The refused pledge's share of the total, counted before its own write failed, is undone.
    assert await figures(database, campaign_id) == (2 * AMOUNT, 2)
    async with database.unit_of_work() as uow:
        statuses = [(await uow.pledges.get(p)) for p in (first, refused, last)]
        # Its event is not recorded either: Stripe's retry will apply it.
        retried = await uow.payment_events.record(f"evt_{refused}", NOW)
    assert [pledge.status if pledge else None for pledge in statuses] == [
        PledgeStatus.PAID,
        PledgeStatus.PENDING,
        PledgeStatus.PAID,
    ]
    assert retried


async def test_one_event_delivered_twice_in_one_group_is_applied_once(database: Database) -> None:
    campaign_id, (pledge,) = await pending_pledges(database, 1)

    async with running(WebhookApplier(database.unit_of_work, FixedClock(NOW))) as applier:
        first, again = await asyncio.gather(
            applier.apply(paid(pledge)), applier.apply(paid(pledge))
        )

    assert (first.changed, first.duplicate_event) == (True, False)
    assert (again.changed, again.duplicate_event) == (False, True)
    assert await figures(database, campaign_id) == (AMOUNT, 1)


async def test_an_applier_that_is_not_running_refuses_at_once(database: Database) -> None:
    applier = WebhookApplier(database.unit_of_work, FixedClock(NOW))
    with pytest.raises(RuntimeError, match="not running"):
        await applier.apply(paid(1))
