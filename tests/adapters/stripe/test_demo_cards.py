"""Demo backers' cards saved with Stripe's test Visa, in test mode only."""

from __future__ import annotations

import pytest

from adapters.standins.stripe import StripeStandin
from adapters.stripe.demo_cards import StripeDemoCards
from core.backers import Backer
from core.identity import Identity, Platform
from tests.stripe_standin_fixtures import API_KEY

DEMO = Backer(7, Identity(Platform.TELEGRAM, "demo-lamp-1"), "Demo backer 1", "en", "r3f")


async def test_each_demo_backer_gets_a_customer_with_a_saved_card(
    stripe_standin: StripeStandin,
) -> None:
    cards = StripeDemoCards(API_KEY, stripe_standin.base_url)
    try:
        first, second = await cards.save_card(DEMO), await cards.save_card(DEMO)
    finally:
        await cards.close()

    assert str(first.customer_id).startswith("cus_")
    assert str(first.payment_method_id).startswith("pm_")
    assert first.customer_id != second.customer_id
    attached = stripe_standin.events("payment_method.attached")
    assert [
        (event["data"]["object"]["id"], event["data"]["object"]["customer"]) for event in attached
    ] == [
        (first.payment_method_id, first.customer_id),
        (second.payment_method_id, second.customer_id),
    ]


def test_a_live_key_never_saves_demo_cards() -> None:
    with pytest.raises(ValueError, match="test-mode key only"):
        StripeDemoCards("sk_live_real_account")
