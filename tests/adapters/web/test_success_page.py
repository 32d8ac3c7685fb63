"""The success page asks Stripe only about pages Backit opened, and only so often per client."""

from __future__ import annotations

import aiohttp
import pytest

from core.pledges import PledgeStatus
from tests.payment_fixtures import RunningBackit, backit_on_silent_stripe, fetch


@pytest.mark.parametrize("session_id", ["cs_test_made_up", "", "cs_test_%00", "x" * 300])
async def test_a_session_backit_never_opened_is_not_found_without_asking_stripe(
    backit: RunningBackit, browser: aiohttp.ClientSession, session_id: str
) -> None:
    async with backit_on_silent_stripe(backit) as (url, taken):
        page = await fetch(browser, f"{url}/pledge/success?session_id={session_id}")

    assert page.status == 404
    assert "<h1>Something went wrong</h1>" in page.text
    assert taken == []


async def test_a_session_backit_opened_is_asked_about_and_stripe_being_down_says_so(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    campaign = await backit.campaign()
    link = await fetch(browser, backit.pledge_url(await backit.backer(1), campaign, amount=1_000))
    assert link.location is not None
    session_id = link.location.rsplit("/", 1)[-1]

    async with backit_on_silent_stripe(backit) as (url, taken):
        page = await fetch(browser, f"{url}/pledge/success?session_id={session_id}")

    assert page.status == 503
    assert "Payments are unavailable right now." in page.text
    assert taken != []


async def test_a_client_asking_too_often_waits_and_others_are_not_held_up(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    campaign = await backit.campaign()
    link = await fetch(browser, backit.pledge_url(await backit.backer(1), campaign, amount=1_000))
    assert link.location is not None
    success = f"{backit.url}/pledge/success?session_id={link.location.rsplit('/', 1)[-1]}"

    burst = [(await fetch(browser, success)).status for _ in range(10)]
    refused = await fetch(browser, success, headers={"Accept-Language": "fr"})
    # Behind a reverse proxy on this machine, each client is told apart by the address it adds.
    other = await fetch(browser, success, headers={"X-Forwarded-For": "203.0.113.7"})

    assert burst == [200] * 10
    assert refused.status == 429
    assert "Trop de requêtes." in refused.text
    # The page that checks a settling payment every 3 s ends up here, and goes back by itself.
    assert '<meta http-equiv="refresh" content="60">' in refused.text
    assert other.status == 200
    (pledge,) = await backit.pledges(campaign.id)
    assert pledge.status is PledgeStatus.PENDING
