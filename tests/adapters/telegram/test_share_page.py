"""A share link end to end: the campaign's page sends a friend to the bot, the friend backs,
and the backer who shared the link is credited.

The bot runs beside Backit's web server and the Stripe stand-in (tests/payment_fixtures.py),
sharing their database, clock and link signer; the page's Telegram button is the running bot's
own deep link.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from html import unescape

import aiohttp
import pytest

from adapters.stripe.gateway import StripeGateway
from adapters.telegram.bot import TelegramBot
from adapters.web.app import WebServer, create_app
from adapters.web.services import WebLinks
from core.identity import Caller
from core.pledges import PledgeStatus
from core.ports import Clock, PaymentGateway
from core.usecases.ambassadors import ambassadors
from core.usecases.managing import TierDraft
from tests.adapters.telegram.people import RunningBot, button, start_command
from tests.payment_fixtures import CREATOR, RunningBackit, fetch
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


@pytest.fixture
async def pages(backit: RunningBackit, telegram_bot: RunningBot) -> AsyncIterator[str]:
    """The web server whose campaign pages send people to the running bot."""
    bot = TelegramBot(telegram_bot.application)
    links = WebLinks(backit.url, backit.signer, telegram=bot.campaign_link)
    server = WebServer(create_app(replace(backit.services, links=links)), "127.0.0.1", 0)
    await server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        await server.stop()


async def test_backing_through_a_shared_page_credits_the_person_who_shared_it(
    telegram_bot: RunningBot, backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    lamp = await backit.campaign("lamp", tiers=(TierDraft("Early bird", "", 5_000),))
    ada = telegram_bot.person(42, "Ada")
    await ada.says("/campaign lamp")
    sharer = await telegram_bot.backer(ada)
    share_url = backit.services.links.share_url(lamp, sharer.referral_code)
    bob = telegram_bot.person(43, "Bob")

    page = await fetch(browser, share_url.replace(backit.url, pages))
    found = re.search(r'<a class="button" href="([^"]*)">Back it on Telegram</a>', page.text)
    assert found is not None, page.text
    card = await bob.says(start_command(unescape(found[1])))
    thanks = await backit.back(browser, button(card, "Early bird · €50.00")["url"])

    assert thanks.status == 200
    (pledge,) = await backit.pledges(lamp.id)
    assert (pledge.status, pledge.referral_code) == (PledgeStatus.PAID, sharer.referral_code)
    (referral,) = await backit.outbox("referral")
    assert referral.recipient.backer_id == sharer.id
    report = await ambassadors(backit.services.uows, (), Caller(CREATOR, "Ada", "en"), "lamp")
    assert [(row.name, row.backers, row.amount.amount) for row in report.rows] == [
        ("Ada", 1, 5_000)
    ]
