"""Late pledges end to end: a creator opens them from the dashboard, a backer pays one on
Stripe's page, and once the late period ends the reward is refused with its closing date.

The bot runs beside Backit's web server and the Stripe stand-in (tests/payment_fixtures.py),
sharing their database, clock and link signer.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from adapters.stripe.gateway import StripeGateway
from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.i18n import use_locale
from core.moments import date_time
from core.pledges import PledgeStatus
from core.ports import Clock, PaymentGateway
from core.usecases.closing import close_now
from core.usecases.managing import TierDraft
from tests.adapters.telegram.people import Person, RunningBot, button, labels, start_command
from tests.payment_fixtures import CREATOR, RunningBackit
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


async def funded_and_closed(backit: RunningBackit, browser: aiohttp.ClientSession) -> Campaign:
    """An all-or-nothing campaign with two rewards, funded by a card saved on Stripe's page,
    and closed at its deadline."""
    tiers = (TierDraft("Lamp", "One lamp", 5_000), TierDraft("Pair", "Two lamps", 9_000))
    lamp = await backit.campaign("lamp", model=FundingModel.ALL_OR_NOTHING, goal=5_000, tiers=tiers)
    bob = await backit.backer(43)
    await backit.back(browser, backit.pledge_url(bob, lamp, lamp.tiers[0].id))
    backit.clock.advance(timedelta(days=20))
    closed = await close_now(backit.services.uows, backit.clock, "lamp")
    assert closed is not None
    assert closed.status is CampaignStatus.SUCCESSFUL
    return closed


async def open_late(creator: Person) -> dict[str, Any]:
    """The creator's dashboard, its "Open late pledges" pressed: the first question."""
    mine = await creator.says("/mycampaigns")
    await creator.presses(mine, "1. The Lamp")
    board = await creator.reads()
    assert "Open late pledges" in labels(board)
    await creator.presses(board, "Open late pledges")
    return await creator.reads()


async def test_a_creator_opens_late_pledges_from_chat_and_a_late_pledge_is_counted_apart(
    telegram_bot: RunningBot, backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    lamp = await funded_and_closed(backit, browser)
    ada = telegram_bot.person(int(CREATOR.user_id), "Ada")
    asked = await open_late(ada)
    assert asked["text"] == (
        "For how many days should “The Lamp” take late pledges? Send a number from 1 to 90. "
        "/cancel to stop."
    )
    refused = await ada.says("a fortnight")
    assert refused["text"] == "Late period: send a whole number of days from 1 to 90"
    with use_locale("en"):
        until = date_time(backit.clock.now() + timedelta(days=18))
    price_asked = await ada.says("18")
    assert price_asked["text"] == (
        "Late price for “Lamp” (it was €50.00)? Send an amount, or /skip to leave it out of "
        "late pledges."
    )
    too_little = await ada.says("0.10")
    assert too_little["text"].startswith("“0.10” is less than")
    await ada.says("60")
    opened = await ada.says("/skip")
    assert opened["text"] == f"“The Lamp” takes late pledges until {until}: Lamp at €60.00."

    milestones = await backit.outbox("milestone")
    carol = telegram_bot.person(44, "Carol")
    card = await carol.says("/campaign lamp")
    # Only the reward offered late, at its late price; the figures apart from the total.
    assert [label for label in labels(card) if "€" in label] == ["Lamp · €60.00"]
    text = card["caption"] if "caption" in card else card["text"]
    assert f"Late pledges: Open until {until}" in text
    assert "Raised after the campaign: €0.00 from 0 backers" in text
    group = telegram_bot.standin.group(-100, "Makers", members=[carol.user])
    shared = await carol.says("/campaign lamp", group)
    offer = await carol.says(start_command(button(shared, "Lamp · €60.00")["url"]))
    assert labels(offer) == ["Pledge: Lamp · €60.00"]
    thanks = await backit.back(browser, button(card, "Lamp · €60.00")["url"])
    assert thanks.status == 200

    funded = await backit.reload(lamp.id)
    assert (funded.raised, funded.backers_count) == (5_000, 1)
    assert (funded.late_raised, funded.late_backers) == (6_000, 1)
    late = [p for p in await backit.pledges(lamp.id) if p.late]
    # Paid at once, though the campaign saved cards to charge at its deadline.
    assert [(p.status, p.amount.amount) for p in late] == [(PledgeStatus.PAID, 6_000)]
    assert await backit.outbox("milestone") == milestones
    again = await carol.says("/campaign lamp")
    again_text = again["caption"] if "caption" in again else again["text"]
    assert "Raised after the campaign: €60.00 from 1 backer" in again_text

    backit.clock.advance(timedelta(days=18))
    refused_late = await carol.says(start_command(button(shared, "Lamp · €60.00")["url"]))
    assert refused_late["text"] == f"Late pledges to “The Lamp” closed on {until}."
    ended = await carol.says("/campaign lamp")
    assert [label for label in labels(ended) if "€" in label] == []


async def test_a_creator_who_cancels_leaves_late_pledges_unopened(
    telegram_bot: RunningBot, backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    lamp = await funded_and_closed(backit, browser)
    ada = telegram_bot.person(int(CREATOR.user_id), "Ada")
    await open_late(ada)
    await ada.says("30")

    cancelled = await ada.says("/cancel")

    assert cancelled["text"] == "Late pledges are unchanged."
    assert (await backit.reload(lamp.id)).late_until is None
    # The conversation is over: a number now is just text.
    assert (await ada.says("30"))["text"] == "Send /discover to find campaigns, or /help."


async def test_only_a_campaign_that_succeeded_offers_late_pledges_from_chat(
    telegram_bot: RunningBot, backit: RunningBackit
) -> None:
    await backit.campaign("lamp")
    ada = telegram_bot.person(int(CREATOR.user_id), "Ada")
    mine = await ada.says("/mycampaigns")
    await ada.presses(mine, "1. The Lamp")
    assert "Open late pledges" not in labels(await ada.reads())
