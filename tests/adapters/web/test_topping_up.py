"""A paid pledge raised through the real Stripe library: the difference paid on its own page,
and the pledge changed once however often Stripe's news of it arrives."""

from __future__ import annotations

import asyncio
import json
from html import unescape

import aiohttp

from core.campaigns import Campaign
from core.money import Money
from core.pledges import Pledge, PledgeStatus
from core.usecases.managing import TierDraft
from tests.adapters.web.test_stripe_webhook import deliver, signed
from tests.payment_fixtures import RunningBackit, fetch, pay_on_page


async def paid_early_bird(
    backit: RunningBackit, browser: aiohttp.ClientSession, locale: str = "en"
) -> tuple[Campaign, Pledge]:
    """A flexible lamp (Early bird €20, one Lamp at €50) whose Early bird a backer paid."""
    lamp = await backit.campaign(
        tiers=(TierDraft("Early bird", "", 2_000), TierDraft("Lamp", "", 5_000, quantity_limit=1))
    )
    backer = await backit.backer(1, locale)
    await backit.back(browser, backit.pledge_url(backer, lamp, lamp.tiers[0].id))
    await backit.standin.wait_for_deliveries()
    (paid,) = await backit.pledges(lamp.id)
    return lamp, paid


def top_up_url(
    backit: RunningBackit, pledge: Pledge, tier_id: int | None, amount: int | None
) -> str:
    """A personal top-up link, as a chat surface hands it out."""
    link = backit.signer.new_top_up(backit.clock.now(), pledge.id, tier_id, amount)
    return f"{backit.url}/pledge/top-up/{backit.signer.sign_top_up(link)}"


async def test_a_top_up_link_followed_three_times_at_once_opens_one_page_for_the_difference(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    lamp, paid = await paid_early_bird(backit, browser, "fr")
    url = top_up_url(backit, paid, lamp.tiers[1].id, None)

    pages = await asyncio.gather(*(fetch(browser, url) for _ in range(3)))

    assert [page.status for page in pages] == [303] * 3
    assert len({page.location for page in pages}) == 1
    location = pages[0].location
    assert location is not None
    checkout = await fetch(browser, location)
    shown = unescape(checkout.text)
    # The line names the pledge as it will be, under the campaign, for the difference.
    assert "Contribution portée à 50,00\xa0€ pour «\xa0Lamp\xa0» × 1" in shown
    assert "The Lamp" in shown
    assert "Pay €30.00" in shown
    top_ups = [p for p in await backit.pledges(lamp.id) if p.tops_up == paid.id]
    assert [(p.status, p.amount) for p in top_ups] == [(PledgeStatus.PENDING, Money(3_000, "EUR"))]
    # Nothing moves until the difference is paid; the Lamp is held for the page.
    stored = await backit.reload(lamp.id)
    assert (stored.raised, [tier.claimed for tier in stored.tiers]) == (2_000, [1, 1])


async def test_a_paid_top_up_raises_the_pledge_once_however_often_its_news_arrives(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    lamp, paid = await paid_early_bird(backit, browser)
    page = await fetch(browser, top_up_url(backit, paid, lamp.tiers[1].id, None))
    assert page.location is not None

    finished = await pay_on_page(browser, page.location)
    assert finished.location is not None
    thanks = await fetch(browser, finished.location)
    await backit.standin.wait_for_deliveries()
    events = [
        json.dumps(event)
        for kind in ("checkout.session.completed", "payment_intent.succeeded")
        for event in backit.standin.events(kind)
    ]
    replays = await asyncio.gather(
        *(deliver(browser, backit, body, signed(body)) for body in events for _ in range(3))
    )

    assert set(replays) == {200}
    assert thanks.status == 200
    raised = await backit.pledge(paid.id)
    assert (raised.status, raised.tier_id, raised.amount, raised.topped_up) == (
        PledgeStatus.PAID,
        lamp.tiers[1].id,
        Money(2_000, "EUR"),
        3_000,
    )
    (top_up,) = [p for p in await backit.pledges(lamp.id) if p.tops_up == paid.id]
    assert (top_up.status, top_up.tier_id) == (PledgeStatus.PAID, None)
    assert top_up.payment_intent_id not in (None, raised.payment_intent_id)
    stored = await backit.reload(lamp.id)
    assert (stored.raised, stored.backers_count) == (5_000, 1)
    assert [tier.claimed for tier in stored.tiers] == [0, 1]
    receipts = [m.notification.data for m in await backit.outbox("receipt")]
    assert [(r["amount"], r["tier_id"]) for r in receipts if r.get("raised")] == [
        (5_000, lamp.tiers[1].id)
    ]
    assert await backit.anomalies() == []


async def test_a_top_up_link_followed_after_it_was_paid_changes_nothing_more(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    lamp, paid = await paid_early_bird(backit, browser)
    url = top_up_url(backit, paid, lamp.tiers[0].id, 2_500)
    await backit.back(browser, url)
    await backit.standin.wait_for_deliveries()

    again = await fetch(browser, url)

    assert again.status == 200
    raised = await backit.pledge(paid.id)
    assert (raised.tier_id, raised.topped_up) == (lamp.tiers[0].id, 500)
    assert len([p for p in await backit.pledges(lamp.id) if p.tops_up == paid.id]) == 1
    stored = await backit.reload(lamp.id)
    assert (stored.raised, [tier.claimed for tier in stored.tiers]) == (2_500, [1, 0])
