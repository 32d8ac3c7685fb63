"""Demo backers' cards, saved in Stripe's test mode with Stripe's own test payment method."""

from __future__ import annotations

import aiohttp
import stripe

from adapters.stripe.http_client import AnswerReadingClient
from core.backers import Backer
from core.payments import PaymentRefs

# Stripe's test Visa: attached to a customer in test mode, it becomes a saved card that pays.
TEST_VISA = "pm_card_visa"
TEST_MODE_KEYS = ("sk_test_", "rk_test_")
REQUEST_TIMEOUT = 5.0


class StripeDemoCards:
    """A customer with a saved test card for each demo backer; test-mode keys only."""

    def __init__(self, secret_key: str, api_base: str | None = None) -> None:
        if not secret_key.startswith(TEST_MODE_KEYS):
            # Demo backers must never reach real cards, nor a live account's customers.
            raise ValueError("demo cards are saved with a test-mode key only")
        self._http = AnswerReadingClient(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT))
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else None,
            http_client=self._http,
            max_network_retries=2,
        )

    async def close(self) -> None:
        """Close the HTTP session the client opened."""
        await self._http.close_async()  # type: ignore[no-untyped-call]

    async def save_card(self, backer: Backer) -> PaymentRefs:
        """A new customer for the backer, with Stripe's test Visa attached to it."""
        customer = await self._client.v1.customers.create_async(
            {"name": backer.display_name, "metadata": {"backer_id": str(backer.id)}}
        )
        method = await self._client.v1.payment_methods.attach_async(
            TEST_VISA, {"customer": customer.id}
        )
        return PaymentRefs(customer_id=customer.id, payment_method_id=method.id)
