"""Starting, serving and stopping the stand-in."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web

from adapters.standins.stripe import StripeStandin
from tests.adapters.standins.conftest import WebhookReceiver, auth_headers, payment_session
from tests.stripe_standin_fixtures import API_KEY, WEBHOOK_SECRET, client_of


async def test_page_links_use_the_public_url_when_one_is_set() -> None:
    standin = StripeStandin(
        api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, public_url="https://pay.backit.test/"
    )
    async with standin, client_of(standin) as client:
        session = await client.v1.checkout.sessions.create_async(payment_session())

    assert session.url == f"https://pay.backit.test/checkout/{session.id}"


async def test_the_app_can_be_served_by_another_runner(browser: aiohttp.ClientSession) -> None:
    standin = StripeStandin(
        api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, public_url="http://sandbox.test"
    )
    runner = web.AppRunner(standin.app(), shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with browser.get(f"{base_url}/v1/events", headers=auth_headers()) as answer:
            assert answer.status == 200
    finally:
        await runner.cleanup()


async def test_starting_twice_is_a_mistake(stripe_standin: StripeStandin) -> None:
    with pytest.raises(RuntimeError, match="already started"):
        await stripe_standin.start()


def test_only_test_mode_keys_and_webhook_secrets_are_accepted() -> None:
    with pytest.raises(ValueError, match="sk_test_"):
        StripeStandin(api_key="sk_live_x", webhook_secret=WEBHOOK_SECRET)
    with pytest.raises(ValueError, match="whsec_"):
        StripeStandin(api_key=API_KEY, webhook_secret="secret")


async def test_stopping_cancels_the_retries_still_waiting(
    webhook_receiver: WebhookReceiver,
) -> None:
    webhook_receiver.failures = 100
    standin = StripeStandin(
        api_key=API_KEY,
        webhook_secret=WEBHOOK_SECRET,
        webhook_url=webhook_receiver.url,
        retry_delays=(60.0,),
    )
    await standin.start()
    async with client_of(standin) as client:
        await client.v1.customers.create_async({"email": "ada@example.com"})
    await webhook_receiver.wait_for_attempts(1)

    async with asyncio.timeout(2):
        await standin.stop()

    [delivery] = standin.deliveries
    assert (delivery.status, delivery.attempts) == ("pending", 1)
