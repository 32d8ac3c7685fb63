"""The way back from Stripe's page carries Backit's own signed reference to the pledge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import aiohttp
import pytest
import stripe

from core.pledge_links import PledgeLinkSigner, RetryLink
from core.pledges import Pledge, PledgeStatus
from core.usecases.managing import TierDraft
from tests.payment_fixtures import LINK_LIFETIME, RunningBackit, fetch

# Each makes, from a started pledge, a cancel address that must not act on it.
Reference = Callable[[RunningBackit, Pledge], str]


def forged(backit: RunningBackit, pledge: Pledge) -> str:
    """The pledge's reference with its signature altered."""
    payload, signature = backit.signer.sign_cancel(pledge.id).split(".")
    return f"pledge={payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


def another_deployments(backit: RunningBackit, pledge: Pledge) -> str:
    """A reference to the same pledge id, signed with another key."""
    other = PledgeLinkSigner("another deployment's secret, 32 bytes+", LINK_LIFETIME)
    return f"pledge={other.sign_cancel(pledge.id)}"


def a_retry_link(backit: RunningBackit, pledge: Pledge) -> str:
    """An authentic token of another kind, naming the same pledge."""
    link = RetryLink(pledge.id, backit.clock.now() + timedelta(days=1))
    return f"pledge={backit.signer.sign_retry(link)}"


def someone_elses(backit: RunningBackit, pledge: Pledge) -> str:
    """An authentic reference to a pledge that never opened a page here."""
    return f"pledge={backit.signer.sign_cancel(pledge.id + 1)}"


def stripes_placeholder(backit: RunningBackit, pledge: Pledge) -> str:
    """What the old cancel address carried: Stripe leaves it as it is."""
    return "session_id={CHECKOUT_SESSION_ID}"


def garbled(backit: RunningBackit, pledge: Pledge) -> str:
    """Not a reference at all."""
    return "pledge=%F0%9F%92%A5..%00"


@pytest.mark.parametrize(
    ("reference", "status"),
    [
        (forged, 400),
        (another_deployments, 400),
        (a_retry_link, 400),
        (someone_elses, 404),
        (stripes_placeholder, 400),
        (garbled, 400),
    ],
)
async def test_a_way_back_that_is_not_the_pledges_own_changes_nothing(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    stripe_client: stripe.StripeClient,
    reference: Reference,
    status: int,
) -> None:
    campaign = await backit.campaign(tiers=(TierDraft("Early bird", "", 5_000, quantity_limit=2),))
    url = backit.pledge_url(await backit.backer(1), campaign, campaign.tiers[0].id)
    assert (await fetch(browser, url)).status == 303
    (pledge,) = await backit.pledges(campaign.id)
    assert pledge.checkout_session_id is not None

    page = await fetch(browser, f"{backit.url}/pledge/cancel?{reference(backit, pledge)}")
    await backit.standin.wait_for_deliveries()

    assert page.status == status
    assert "<h1>Something went wrong</h1>" in page.text
    assert await backit.pledge(pledge.id) == pledge
    assert (await backit.reload(campaign.id)).tiers[0].claimed == 1
    session = await stripe_client.v1.checkout.sessions.retrieve_async(pledge.checkout_session_id)
    assert session.status == "open"


async def test_the_way_back_frees_the_reward_and_says_so_each_time_in_the_readers_language(
    backit: RunningBackit, browser: aiohttp.ClientSession, stripe_client: stripe.StripeClient
) -> None:
    campaign = await backit.campaign(tiers=(TierDraft("Early bird", "", 5_000, quantity_limit=2),))
    url = backit.pledge_url(await backit.backer(1), campaign, campaign.tiers[0].id)
    link = await fetch(browser, url)
    assert link.location is not None
    (pledge,) = await backit.pledges(campaign.id)
    assert pledge.checkout_session_id is not None
    session = await stripe_client.v1.checkout.sessions.retrieve_async(pledge.checkout_session_id)

    back = await fetch(browser, f"{session.cancel_url}&lang=fr")
    again = await fetch(browser, str(session.cancel_url))
    await backit.standin.wait_for_deliveries()

    assert str(session.cancel_url).startswith(f"{backit.url}/pledge/cancel?pledge=")
    assert (back.status, again.status) == (200, 200)
    assert "<h1>Contribution annulée</h1>" in back.text
    assert "the reward is available again" in again.text
    assert (await backit.pledge(pledge.id)).status is PledgeStatus.EXPIRED
    assert (await backit.reload(campaign.id)).tiers[0].claimed == 0
