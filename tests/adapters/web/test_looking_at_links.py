"""Only a person's GET acts on a link: a HEAD (as a preview does) looks and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import stripe

from core.campaigns import Campaign
from core.pledge_links import RetryLink
from core.pledges import PledgeStatus
from core.usecases.managing import TierDraft
from tests.adapters.web.test_all_or_nothing import funded_with_a_declining_card
from tests.payment_fixtures import RunningBackit, fetch


async def head(browser: aiohttp.ClientSession, url: str) -> int:
    """The status a HEAD request gets, redirects not followed."""
    async with browser.head(url, allow_redirects=False) as answer:
        return answer.status


async def lamp(backit: RunningBackit) -> Campaign:
    """A flexible campaign with a reward limited to 2 units."""
    return await backit.campaign(tiers=(TierDraft("Early bird", "", 5_000, quantity_limit=2),))


async def test_a_head_on_a_pledge_link_starts_no_pledge_and_reserves_nothing(
    backit: RunningBackit, browser: aiohttp.ClientSession, stripe_client: stripe.StripeClient
) -> None:
    campaign = await lamp(backit)
    url = backit.pledge_url(await backit.backer(1), campaign, campaign.tiers[0].id)

    status = await head(browser, url)

    assert status == 200
    assert await backit.pledges(campaign.id) == []
    assert (await backit.reload(campaign.id)).tiers[0].claimed == 0
    assert (await stripe_client.v1.checkout.sessions.list_async()).data == []
    # The same link, followed by a person afterwards, still works.
    assert (await fetch(browser, url)).status == 303


async def test_a_head_on_the_way_back_from_checkout_leaves_the_page_open(
    backit: RunningBackit, browser: aiohttp.ClientSession, stripe_client: stripe.StripeClient
) -> None:
    campaign = await lamp(backit)
    link = await fetch(
        browser, backit.pledge_url(await backit.backer(1), campaign, campaign.tiers[0].id)
    )
    (pledge,) = await backit.pledges(campaign.id)
    assert pledge.checkout_session_id is not None
    session = await stripe_client.v1.checkout.sessions.retrieve_async(pledge.checkout_session_id)
    assert (link.status, session.cancel_url is not None) == (303, True)

    statuses = [
        await head(browser, str(session.cancel_url)),
        await head(browser, f"{backit.url}/pledge/success?session_id={session.id}"),
    ]

    assert statuses == [200, 200]
    assert (await backit.pledge(pledge.id)).status is PledgeStatus.PENDING
    assert (await backit.reload(campaign.id)).tiers[0].claimed == 1
    again = await stripe_client.v1.checkout.sessions.retrieve_async(session.id)
    assert again.status == "open"


async def test_a_head_on_a_retry_link_opens_no_checkout_page(
    backit: RunningBackit, browser: aiohttp.ClientSession, stripe_client: stripe.StripeClient
) -> None:
    _, declined = await funded_with_a_declining_card(backit, browser)
    link = RetryLink(declined.id, backit.clock.now() + timedelta(days=7))
    sessions = len((await stripe_client.v1.checkout.sessions.list_async()).data)

    status = await head(browser, f"{backit.url}/pledge/retry/{backit.signer.sign_retry(link)}")

    assert status == 200
    assert len((await stripe_client.v1.checkout.sessions.list_async()).data) == sessions
    assert await backit.pledge(declined.id) == declined
