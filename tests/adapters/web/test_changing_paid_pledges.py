"""A paid pledge brought down through the real Stripe library: the difference is refunded on
its payment once, and Stripe's news of the refund changes nothing more."""

from __future__ import annotations

import asyncio
import json

import aiohttp

from core.identity import Caller
from core.money import Money
from core.pledges import PledgeStatus
from core.usecases.changing import ChangeRequest, change_pledge
from core.usecases.managing import TierDraft
from core.usecases.pledging import PledgeLimits
from tests.adapters.web.test_stripe_webhook import deliver, signed
from tests.payment_fixtures import RunningBackit


async def test_a_paid_pledge_brought_down_three_times_at_once_is_refunded_once(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    lamp = await backit.campaign(
        tiers=(TierDraft("Early bird", "", 2_000), TierDraft("Lamp", "", 5_000))
    )
    backer = await backit.backer(1)
    await backit.back(browser, backit.pledge_url(backer, lamp, lamp.tiers[1].id))
    await backit.standin.wait_for_deliveries()
    (paid,) = await backit.pledges(lamp.id)
    request = ChangeRequest(Caller(backer.identity, "Person 1", "en"), paid.id, lamp.tiers[0].id)
    gateway = backit.services.gateway
    assert gateway is not None

    results = await asyncio.gather(
        *(
            change_pledge(
                backit.database.unit_of_work, backit.clock, gateway, PledgeLimits(), request
            )
            for _ in range(3)
        )
    )
    await backit.standin.wait_for_deliveries()
    replays = [
        await deliver(browser, backit, json.dumps(event), signed(json.dumps(event)))
        for event in backit.standin.events("charge.refunded")
    ]

    assert sum(result.changed for result in results) == 1
    assert {result.refunded for result in results if result.changed} == {Money(3_000, "EUR")}
    refunds = [event["data"]["object"] for event in backit.standin.events("refund.created")]
    assert [(refund["amount"], refund["payment_intent"]) for refund in refunds] == [
        (3_000, paid.payment_intent_id)
    ]
    assert replays == [200]
    changed = await backit.pledge(paid.id)
    assert (changed.status, changed.tier_id, changed.amount, changed.refunded_amount) == (
        PledgeStatus.PAID,
        lamp.tiers[0].id,
        Money(5_000, "EUR"),
        3_000,
    )
    stored = await backit.reload(lamp.id)
    assert (stored.raised, stored.backers_count) == (2_000, 1)
    assert [tier.claimed for tier in stored.tiers] == [1, 0]
    assert await backit.anomalies() == []
