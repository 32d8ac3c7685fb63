"""The Stripe stand-in: API, hosted checkout page and webhooks in one aiohttp application."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime

from aiohttp import web

from adapters.standins.serving import ServedStandin
from adapters.standins.stripe import checkout_completion, connect, disputes
from adapters.standins.stripe.app import StripeApi
from adapters.standins.stripe.checkout_completion import SHIPPING_FIELDS, CheckoutOutcome, Payer
from adapters.standins.stripe.checkout_page import CheckoutPage
from adapters.standins.stripe.checkout_sessions import expire_due_sessions
from adapters.standins.stripe.connect_pages import ConnectPages
from adapters.standins.stripe.idempotency import IdempotencyKeys
from adapters.standins.stripe.state import StripeObject, StripeState
from adapters.standins.stripe.webhooks import Delivery, WebhookSender

# The API version of stripe-python 16.1, which events are rendered for.
API_VERSION = "2026-10-28.endive"
# Stripe retries for three days; the stand-in retries within minutes, and tests within moments.
DEFAULT_RETRY_DELAYS = (1.0, 5.0, 30.0, 120.0, 600.0)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StripeStandin(ServedStandin):
    """A stateful, in-memory Stripe that the real stripe library talks to over HTTP."""

    service = "Stripe"

    def __init__(
        self,
        *,
        api_key: str,
        webhook_secret: str,
        webhook_url: str | None = None,
        connect_webhook_url: str | None = None,
        connect_webhook_secret: str | None = None,
        public_url: str | None = None,
        clock: Callable[[], datetime] = _utc_now,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        webhook_timeout: float = 10.0,
        webhook_drop_rate: float = 0.0,
        seed: int = 0,
        expiry_sweep_interval: float = 1.0,
        merchant_name: str = "Backit",
        api_version: str = API_VERSION,
    ) -> None:
        super().__init__()
        if not api_key.startswith("sk_test_"):
            raise ValueError("the stand-in only accepts test-mode secret keys (sk_test_...)")
        for secret in (webhook_secret, connect_webhook_secret):
            if secret is not None and not secret.startswith("whsec_"):
                raise ValueError("webhook secrets start with whsec_")
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.connect_webhook_secret = connect_webhook_secret
        self._sweep_interval = expiry_sweep_interval
        self._state = StripeState(clock, api_version=api_version, merchant_name=merchant_name)
        self._webhooks, self._connect_webhooks = (
            WebhookSender(
                secret=secret or "",
                retry_delays=retry_delays,
                timeout=webhook_timeout,
                drop_rate=webhook_drop_rate,
                # Each endpoint loses its own share of events, the same ones on every run.
                seed=seed + offset,
            )
            for offset, secret in enumerate((webhook_secret, connect_webhook_secret))
        )
        self._webhooks.url = webhook_url
        self.connect_webhook_url = connect_webhook_url
        self._state.event_listeners.append(self._send)
        self._public_url = public_url.rstrip("/") if public_url else None
        self._keys = IdempotencyKeys()

    @property
    def public_url(self) -> str:
        """The address the checkout page links are built on; the base URL unless set."""
        return self._public_url or self.base_url

    @property
    def webhook_url(self) -> str | None:
        """Where events are POSTed; None sends nothing (events then need no delivery)."""
        return self._webhooks.url

    @webhook_url.setter
    def webhook_url(self, url: str | None) -> None:
        self._webhooks.url = url

    @property
    def connect_webhook_url(self) -> str | None:
        """Where events about connected accounts are POSTed, signed with the Connect secret;
        None sends them nowhere."""
        return self._connect_webhooks.url

    @connect_webhook_url.setter
    def connect_webhook_url(self, url: str | None) -> None:
        if url is not None and self.connect_webhook_secret is None:
            raise ValueError("a Connect webhook endpoint needs connect_webhook_secret")
        self._connect_webhooks.url = url

    @property
    def deliveries(self) -> list[Delivery]:
        """Every webhook delivery to the platform endpoint so far, in event order."""
        return self._webhooks.deliveries

    @property
    def connect_deliveries(self) -> list[Delivery]:
        """Every webhook delivery to the Connect endpoint so far, in event order."""
        return self._connect_webhooks.deliveries

    def _send(self, event: StripeObject) -> None:
        # As on Stripe, what happens on a connected account goes to the Connect endpoint.
        sender = self._connect_webhooks if "account" in event else self._webhooks
        sender.send(event)

    def app(self) -> web.Application:
        """The aiohttp application: `/v1` API, `/checkout` and `/connect` pages, background work.

        Served by another runner than `start()`, it needs `public_url` for its page links.
        """
        api = StripeApi(self._state, self._keys, self.api_key, lambda: self.public_url)
        app = web.Application(middlewares=[api.middleware])
        pages = CheckoutPage(self._state).routes() + ConnectPages(self._state).routes()
        app.add_routes(api.routes() + pages)
        app.cleanup_ctx.append(self._background)
        return app

    async def pay(
        self,
        session_id: str,
        card_number: str = "4242 4242 4242 4242",
        *,
        email: str = "backer@example.com",
        name: str = "Test Backer",
        expiry: str = "12 / 34",
        cvc: str = "123",
        shipping_name: str | None = None,
        **address: str,
    ) -> CheckoutOutcome:
        """Submit the checkout form as a backer would; the address as `line1=`, `country=`..."""
        shipping = _shipping(address, shipping_name or name)
        payer = Payer(email, name, card_number, expiry, cvc, shipping)
        expire_due_sessions(self._state)
        return checkout_completion.pay_by_card(self._state, session_id, payer)

    async def pay_by_sepa_debit(
        self,
        session_id: str,
        *,
        email: str = "backer@example.com",
        name: str = "Test Backer",
        shipping_name: str | None = None,
        **address: str,
    ) -> CheckoutOutcome:
        """Complete a payment-mode session with a debit that settles later: `unpaid` until then."""
        payer = Payer(email, name, shipping=_shipping(address, shipping_name or name))
        expire_due_sessions(self._state)
        return checkout_completion.pay_by_sepa_debit(self._state, session_id, payer)

    async def settle_sepa_debit(self, session_id: str, *, succeeded: bool = True) -> None:
        """Settle a session's pending debit, emitting `checkout.session.async_payment_*`."""
        checkout_completion.settle_sepa_debit(self._state, session_id, succeeded=succeeded)

    async def complete_onboarding(self, account_id: str) -> None:
        """Complete an account's onboarding as its creator would on the hosted page: it takes
        charges and is paid out, and `account.updated` goes to the Connect endpoint."""
        connect.complete_onboarding(self._state, account_id)

    async def adopt_account(self, account_id: str, country: str, *, onboarded: bool) -> None:
        """Have again an Express account opened on an earlier run of this in-memory stand-in,
        under the same id: onboarded (it takes charges and is paid out) or still waiting for
        its creator's details. Raises ValueError for an id taken or a country Stripe refuses."""
        connect.adopt_account(self._state, account_id, country, onboarded=onboarded)

    async def restrict_account(
        self, account_id: str, requirement: str = connect.VERIFICATION_DOCUMENT
    ) -> None:
        """Stripe wants `requirement` of the creator: the account stops taking charges, and
        `account.updated` goes to the Connect endpoint."""
        connect.restrict_account(self._state, account_id, requirement)

    async def close_dispute(self, dispute_id: str, *, won: bool) -> None:
        """The card network decides an open dispute: `charge.dispute.closed`, won or lost."""
        disputes.close_dispute(self._state, dispute_id, won=won)

    def expire_due_sessions(self) -> None:
        """Expire the sessions whose time has come now, without waiting for the sweep."""
        expire_due_sessions(self._state)

    def events(self, event_type: str | None = None) -> list[StripeObject]:
        """Every event so far, oldest first, optionally of one type."""
        return [e for e in self._state.events.values() if event_type in (None, e["type"])]

    def drop_webhooks(self, predicate: Callable[[StripeObject], bool] | None) -> None:
        """Lose the webhooks of the events `predicate` picks (None: none); they stay pending."""
        self._webhooks.drop = self._connect_webhooks.drop = predicate

    async def wait_for_deliveries(self) -> None:
        """Wait until no webhook delivery or retry is in flight, to either endpoint."""
        await self._webhooks.wait_idle()
        await self._connect_webhooks.wait_idle()

    async def _background(self, _app: web.Application) -> AsyncIterator[None]:
        self._webhooks.open()
        self._connect_webhooks.open()
        sweep = asyncio.get_running_loop().create_task(self._sweep_expired_sessions())
        yield
        sweep.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweep
        await self._webhooks.close()
        await self._connect_webhooks.close()

    async def _sweep_expired_sessions(self) -> None:
        # Stripe expires sessions on its own; the sweep emits those events without any request.
        while True:
            await asyncio.sleep(self._sweep_interval)
            expire_due_sessions(self._state)


def _shipping(address: dict[str, str], name: str) -> dict[str, str]:
    unknown = set(address) - set(SHIPPING_FIELDS)
    if unknown:
        raise TypeError(f"unknown address fields: {', '.join(sorted(unknown))}")
    return {**address, "name": name} if address else {}
