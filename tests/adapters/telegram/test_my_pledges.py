"""/mypledges end to end with real payments: tap a reward, pay on Stripe's page, see it, cancel it.

The bot runs beside Backit's web server and the Stripe stand-in (tests/payment_fixtures.py),
sharing their database, clock and link signer, so its pledge links are the ones the web
server honours.
"""

from __future__ import annotations

import aiohttp
import pytest

from adapters.stripe.gateway import StripeGateway
from core.pledges import PledgeStatus
from core.ports import Clock, PaymentGateway
from tests.adapters.telegram.people import RunningBot, button, labels
from tests.payment_fixtures import RunningBackit
from tests.stripe_standin_fixtures import MovableClock


@pytest.fixture
def clock(stripe_clock: MovableClock) -> Clock:
    """The clock the web server and the Stripe stand-in share."""
    return stripe_clock


@pytest.fixture
def public_url(backit: RunningBackit) -> str:
    """Backit's running web server, where pledge links lead."""
    return backit.url


@pytest.fixture
def payment_gateway(stripe_gateway: StripeGateway) -> PaymentGateway:
    """Backit's Stripe gateway, on the stand-in."""
    return stripe_gateway


async def test_a_pledge_paid_from_the_chat_is_listed_and_cancelled_with_a_refund(
    telegram_bot: RunningBot, backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    lamp = await backit.campaign("lamp")
    ada = telegram_bot.person(42, "Ada")
    empty = await ada.says("/mypledges")
    assert empty["text"] == "Your pledges\n\nYou have not backed any campaign yet."
    assert labels(empty) == ["Discover campaigns"]
    card = await ada.says("/campaign lamp")
    await ada.presses(card, "Pledge without a reward")
    await ada.reads()
    offer = await ada.says("25")
    thanks = await backit.back(browser, button(offer, "Pledge €25.00")["url"])
    assert thanks.status == 200

    listing = await ada.says("/mypledges")
    assert listing["text"] == "Your pledges\n\n1. The Lamp\n€25.00 · Paid · backer #1"
    assert labels(listing) == ["1. The Lamp", "Cancel: The Lamp (€25.00)"]
    await ada.presses(listing, "Cancel: The Lamp (€25.00)")
    asked = await ada.reads()
    assert asked["text"] == "Cancel your €25.00 pledge to “The Lamp”?"
    assert labels(asked) == ["Cancel pledge", "Keep it"]
    await ada.presses(asked, "Keep it")
    kept = await ada.reads()
    assert (kept["message_id"], kept["text"]) == (
        asked["message_id"],
        "Your pledge stays as it is.",
    )
    assert labels(kept) == []
    assert [p.status for p in await backit.pledges(lamp.id)] == [PledgeStatus.PAID]

    await ada.presses(listing, "Cancel: The Lamp (€25.00)")
    confirm = await ada.reads()
    answer = await ada.presses(confirm, "Cancel pledge")
    assert answer.text == "Your pledge is cancelled."
    updated = await ada.reads()
    assert updated["message_id"] == confirm["message_id"]
    assert updated["text"] == "Your pledges\n\n1. The Lamp\n€25.00 · Refunded · backer #1"
    assert labels(updated) == ["1. The Lamp"]

    (pledge,) = await backit.pledges(lamp.id)
    assert (pledge.status, pledge.refunded_amount) == (PledgeStatus.REFUNDED, 2_500)
    assert (await backit.reload(lamp.id)).raised == 0
