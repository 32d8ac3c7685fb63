"""A pledge in a currency Stripe counts differently from ISO is charged its price, exactly."""

from __future__ import annotations

import aiohttp
import stripe

from core.pledges import PledgeStatus
from core.usecases.managing import TierDraft
from tests.payment_fixtures import RunningBackit, fetch, pay_on_page


async def test_a_forint_pledge_is_charged_its_price_and_counted_once(
    backit: RunningBackit, browser: aiohttp.ClientSession, stripe_client: stripe.StripeClient
) -> None:
    # 5,000 Ft: whole forints to Backit (ISO 4217), 500000 hundredths to Stripe's API.
    poster = await backit.campaign(
        "poster", currency="HUF", goal=1_000_000, tiers=(TierDraft("Poster", "", 5_000),)
    )
    link = await fetch(
        browser, backit.pledge_url(await backit.backer(1), poster, poster.tiers[0].id)
    )
    assert link.status == 303
    assert link.location is not None
    session_id = link.location.rsplit("/", 1)[-1]
    session = await stripe_client.v1.checkout.sessions.retrieve_async(session_id)
    assert (session.amount_total, session.currency) == (500_000, "huf")

    paid = await pay_on_page(browser, link.location)
    assert paid.location is not None
    thanks = await fetch(browser, paid.location)

    assert thanks.status == 200
    (pledge,) = await backit.pledges(poster.id)
    assert pledge.status is PledgeStatus.PAID
    assert (await backit.reload(poster.id)).raised == 5_000
    assert await backit.anomalies() == []
