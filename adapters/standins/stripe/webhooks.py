"""Webhook delivery: every event POSTed signed as Stripe signs it, retried until answered 2xx."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import aiohttp

from adapters.standins.stripe.state import StripeObject

logger = logging.getLogger(__name__)

DeliveryStatus = Literal["pending", "delivered", "failed", "dropped"]


@dataclass
class Delivery:
    """How one event's delivery went: its attempts and the last HTTP status (None: no answer)."""

    event_id: str
    event_type: str
    status: DeliveryStatus = "pending"
    attempts: int = 0
    last_response: int | None = None


def signature_header(payload: str, secret: str, timestamp: int) -> str:
    """Stripe's `Stripe-Signature` header: `t=<unix>,v1=<HMAC-SHA256 of "t.payload">`."""
    signed = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={signed.hexdigest()}"


class WebhookSender:
    """Sends each event once in creation order, then retries failures after `retry_delays`."""

    def __init__(
        self,
        *,
        secret: str,
        retry_delays: Sequence[float],
        timeout: float,
        drop_rate: float,
        seed: int,
    ) -> None:
        self.url: str | None = None
        self.secret = secret
        self.retry_delays = tuple(retry_delays)
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.drop_rate = drop_rate
        self.deliveries: list[Delivery] = []
        self.drop: Callable[[StripeObject], bool] | None = None
        # Seeded, so a test losing "10% of webhooks" loses the same ones on every run.
        self._random = random.Random(seed)  # noqa: S311
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._previous_first_attempt: asyncio.Event | None = None

    def open(self) -> None:
        """Start sending; events emitted before this stay pending."""
        self._session = aiohttp.ClientSession()

    async def close(self) -> None:
        """Cancel every delivery in flight and close the HTTP session."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def wait_idle(self) -> None:
        """Wait until every delivery has succeeded, failed for good or been cancelled."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))

    def send(self, event: StripeObject) -> None:
        """Schedule the delivery of a new event, unless no endpoint is set or it is lost."""
        if self.url is None:
            return
        event["pending_webhooks"] = 1
        delivery = Delivery(event["id"], event["type"])
        self.deliveries.append(delivery)
        if self._is_lost(event):
            delivery.status = "dropped"
            return
        if self._session is None:
            return
        payload = json.dumps(event, indent=2)
        previous, first_attempt = self._previous_first_attempt, asyncio.Event()
        self._previous_first_attempt = first_attempt
        task = asyncio.get_running_loop().create_task(
            self._deliver(event, payload, self.url, delivery, previous, first_attempt)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _is_lost(self, event: StripeObject) -> bool:
        if self.drop is not None and self.drop(event):
            return True
        return self.drop_rate > 0 and self._random.random() < self.drop_rate

    async def _deliver(
        self,
        event: StripeObject,
        payload: str,
        url: str,
        delivery: Delivery,
        previous: asyncio.Event | None,
        first_attempt: asyncio.Event,
    ) -> None:
        try:
            if previous is not None:
                await previous.wait()
            delivered = await self._attempt(url, payload, delivery)
        finally:
            first_attempt.set()
        for delay in self.retry_delays:
            if delivered:
                break
            await asyncio.sleep(delay)
            delivered = await self._attempt(url, payload, delivery)
        if delivered:
            event["pending_webhooks"] = 0
            delivery.status = "delivered"
        else:
            delivery.status = "failed"
            logger.warning("webhook %s gave up after %d attempts", event["id"], delivery.attempts)

    async def _attempt(self, url: str, payload: str, delivery: Delivery) -> bool:
        assert self._session is not None
        delivery.attempts += 1
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            # The wall clock, not the stand-in's: receivers check it against their own.
            "Stripe-Signature": signature_header(payload, self.secret, int(time.time())),
        }
        try:
            async with self._session.post(
                url, data=payload.encode(), headers=headers, timeout=self.timeout
            ) as response:
                delivery.last_response = response.status
                return 200 <= response.status < 300
        except (aiohttp.ClientError, TimeoutError) as error:
            delivery.last_response = None
            # Retried later, as Stripe does; only giving up is worth a line. At the sandbox's
            # start the first attempts come before the web server listens.
            logger.debug("webhook %s to %s failed: %r", delivery.event_id, url, error)
            return False
