"""Fixtures for the stand-in's own tests: a webhook receiver and session parameters.

The running stand-in, the stripe client and the browser come from tests/stripe_standin_fixtures.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any, cast

import pytest
from aiohttp import web
from stripe.params.checkout import SessionCreateParams

from adapters.standins.stripe import StripeStandin
from tests.stripe_standin_fixtures import API_KEY

SUCCESS_URL = "https://backit.test/paid?session={CHECKOUT_SESSION_ID}"
CANCEL_URL = "https://backit.test/cancelled"


class WebhookReceiver:
    """A webhook endpoint that records every POST and fails the first `failures` of them."""

    def __init__(self) -> None:
        self.failures = 0
        self.attempts = 0
        self.received: list[tuple[bytes, str]] = []
        self.url = ""
        self._arrived = asyncio.Event()
        self._called = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        """Answer 500 while failures remain, then 200 and keep the raw body and signature."""
        body = await request.read()
        self.attempts += 1
        self._called.set()
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=500)
        self.received.append((body, request.headers["Stripe-Signature"]))
        self._arrived.set()
        return web.Response(text="ok")

    def types(self) -> list[str]:
        """The types of the events received, in arrival order."""
        return [json.loads(body)["type"] for body, _ in self.received]

    async def wait_for_attempts(self, count: int) -> None:
        """Wait until the stand-in has called `count` times, accepted or not."""
        async with asyncio.timeout(5):
            while self.attempts < count:
                self._called.clear()
                await self._called.wait()

    async def wait_for(self, event_type: str) -> tuple[bytes, str]:
        """The first received event of that type, waiting for it if needed."""
        async with asyncio.timeout(5):
            while True:
                for body, signature in self.received:
                    if json.loads(body)["type"] == event_type:
                        return body, signature
                self._arrived.clear()
                await self._arrived.wait()


@contextlib.asynccontextmanager
async def served_receiver() -> AsyncIterator[WebhookReceiver]:
    """A webhook receiver listening on a free local port."""
    receiver = WebhookReceiver()
    app = web.Application()
    app.router.add_post("/webhooks/stripe", receiver.handle)
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    receiver.url = f"http://127.0.0.1:{runner.addresses[0][1]}/webhooks/stripe"
    try:
        yield receiver
    finally:
        await runner.cleanup()


@pytest.fixture
async def webhook_receiver(stripe_standin: StripeStandin) -> AsyncIterator[WebhookReceiver]:
    """A receiver the stand-in delivers its platform webhooks to."""
    async with served_receiver() as receiver:
        stripe_standin.webhook_url = receiver.url
        yield receiver


@pytest.fixture
async def connect_receiver(stripe_standin: StripeStandin) -> AsyncIterator[WebhookReceiver]:
    """A receiver the stand-in delivers its Connect webhooks (connected accounts' events) to."""
    async with served_receiver() as receiver:
        stripe_standin.connect_webhook_url = receiver.url
        yield receiver


def payment_session(**changes: Any) -> SessionCreateParams:
    """Parameters of a €25 payment-mode session for one reward; changes may make them invalid."""
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 2500,
                    "product_data": {"name": "Reading lamp, early bird"},
                },
                "quantity": 1,
            }
        ],
        "success_url": SUCCESS_URL,
        "cancel_url": CANCEL_URL,
        "metadata": {"pledge_id": "7"},
        "client_reference_id": "pledge-7",
    }
    return cast("SessionCreateParams", {**params, **changes})


def setup_session(**changes: Any) -> SessionCreateParams:
    """Parameters of a setup-mode session that saves a card to charge at the deadline."""
    params: dict[str, Any] = {
        "mode": "setup",
        "currency": "eur",
        "success_url": SUCCESS_URL,
        "cancel_url": CANCEL_URL,
        "customer_creation": "always",
        "metadata": {"pledge_id": "8"},
    }
    return cast("SessionCreateParams", {**params, **changes})


def auth_headers(key: str = API_KEY) -> dict[str, str]:
    """The header the stripe library sends."""
    return {"Authorization": f"Bearer {key}"}
