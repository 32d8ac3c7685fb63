"""Reconciling against Stripe's events repairs what lost webhooks left undone, and only that."""

from __future__ import annotations

from datetime import timedelta

import aiohttp

from core.pledges import PledgeStatus
from core.usecases.reconciling import reconcile
from tests.payment_fixtures import RunningBackit, fetch

PLEDGES = 40
# Every webhook of these two payments (5 % of them) is lost on the way.
LOST = {7, 23}


async def test_reconcile_repairs_exactly_the_pledges_whose_webhooks_were_lost(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    campaign = await backit.campaign(goal=40_000, stretch_goals=(80_000,))
    since = backit.clock.now() - timedelta(minutes=1)
    for number in range(PLEDGES):
        url = backit.pledge_url(await backit.backer(number), campaign, amount=1_000)
        link = await fetch(browser, url)
        assert link.location is not None
        backit.standin.drop_webhooks((lambda event: True) if number in LOST else None)
        await backit.standin.pay(link.location.rsplit("/", 1)[-1])
    backit.standin.drop_webhooks(None)
    await backit.standin.wait_for_deliveries()
    pledges = await backit.pledges(campaign.id)
    lost = {pledges[number].id for number in LOST}
    assert {p.id for p in pledges if p.status is PledgeStatus.PENDING} == lost
    assert (await backit.reload(campaign.id)).raised == (PLEDGES - len(LOST)) * 1_000

    report = await reconcile(
        backit.database.unit_of_work, backit.clock, backit.services.gateway, since
    )
    again = await reconcile(
        backit.database.unit_of_work, backit.clock, backit.services.gateway, since
    )

    assert {outcome.pledge_id for outcome in report.repaired} == lost
    assert len(report.repaired) == len(LOST)
    assert again.repaired == []
    assert again.examined == report.examined
    assert {p.status for p in await backit.pledges(campaign.id)} == {PledgeStatus.PAID}
    stored = await backit.reload(campaign.id)
    assert (stored.raised, stored.backers_count) == (40_000, 40)
    async with backit.database.unit_of_work() as uow:
        reached = await uow.milestones.of_campaign(campaign.id)
    assert sorted(milestone.value for milestone in reached) == [25, 50, 75, 100]
    announced = [
        (m.notification.event_key, m.recipient.address) for m in await backit.outbox("milestone")
    ]
    assert len(announced) == len(set(announced))
