"""A running Stripe stand-in, the real stripe library pointed at it, and a plain browser.

A pytest plugin (see tests/conftest.py), so every test layer that pays through Stripe uses
the same stand-in: its own tests, the payment adapters' tests and the chat surfaces' tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
import stripe

from adapters.standins.stripe import StripeStandin

API_KEY = "sk_test_backit"
WEBHOOK_SECRET = "whsec_backit"
CONNECT_WEBHOOK_SECRET = "whsec_backit_connect"


class MovableClock:
    """A clock that only moves when the test moves it: the stand-in calls it, core asks `now()`."""

    def __init__(self) -> None:
        self.current = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.current

    def now(self) -> datetime:
        """The current instant (core.ports.Clock)."""
        return self.current

    def advance(self, delta: timedelta) -> None:
        """Move time forward."""
        self.current += delta


@pytest.fixture
def stripe_clock() -> MovableClock:
    """The stand-in's clock, starting at the wall clock's second."""
    return MovableClock()


@pytest.fixture
def sweep_interval() -> float:
    """How often the stand-in looks for expired sessions; a test may parametrize it."""
    return 0.05


@pytest.fixture
async def stripe_standin(
    stripe_clock: MovableClock, sweep_interval: float
) -> AsyncIterator[StripeStandin]:
    """A running stand-in with fast retries and a fast expiry sweep; its Connect endpoint is
    unset until a test sets `connect_webhook_url`."""
    standin = StripeStandin(
        api_key=API_KEY,
        webhook_secret=WEBHOOK_SECRET,
        connect_webhook_secret=CONNECT_WEBHOOK_SECRET,
        clock=stripe_clock,
        retry_delays=(0.02, 0.04, 0.08),
        webhook_timeout=2.0,
        expiry_sweep_interval=sweep_interval,
    )
    await standin.start()
    yield standin
    await standin.stop()


@contextlib.asynccontextmanager
async def client_of(
    standin: StripeStandin, api_key: str = API_KEY
) -> AsyncIterator[stripe.StripeClient]:
    """The real stripe library, over HTTP to a stand-in."""
    http_client = stripe.AIOHTTPClient()
    try:
        yield stripe.StripeClient(
            api_key,
            base_addresses={"api": standin.base_url},
            http_client=http_client,
            max_network_retries=0,
        )
    finally:
        # StripeClient has no close of its own: the async HTTP client it was given is closed.
        # stripe-python leaves close_async unannotated.
        await http_client.close_async()  # type: ignore[no-untyped-call]


@pytest.fixture
async def stripe_client(stripe_standin: StripeStandin) -> AsyncIterator[stripe.StripeClient]:
    """The real stripe library, over HTTP to the running stand-in."""
    async with client_of(stripe_standin) as client:
        yield client


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain HTTP client, as a backer's browser."""
    async with aiohttp.ClientSession() as session:
        yield session
