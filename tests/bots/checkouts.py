"""Pledges paid through the real Stripe gateway and a Stripe stand-in, for the CLI's tests."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from adapters.standins.stripe import Paid, StripeStandin
from adapters.storage import Database
from adapters.stripe.gateway import StripeGateway
from bots.clock import SystemClock
from core.identity import Caller, Identity, Platform
from core.pledge_links import PledgeLinkSigner, link_key
from core.pledges import Pledge
from core.usecases.checkout import ReturnUrls, begin_checkout, confirm_checkout
from core.usecases.pledging import PledgeLimits, offer_pledge

STRIPE_KEY = "sk_test_backit_bots"
WEBHOOK_SECRET = "whsec_backit_bots"
LINK_SECRET = "a link secret of at least 32 bytes, for tests"
PAYMENT_SECRETS = {
    "STRIPE_SECRET_KEY": STRIPE_KEY,
    "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "BACKIT_LINK_SECRET": LINK_SECRET,
}
URLS = ReturnUrls(
    "https://backit.test/ok?session_id={CHECKOUT_SESSION_ID}", lambda _: "https://backit.test/no"
)

CATALOG = """
[[campaigns]]
slug = "tide-lamp"
title = "Tide, a lamp"
blurb = "Stoneware and oak."
creator = "Atelier Lumen"
category = "design"
currency = "EUR"
goal = "100"
funding = "flexible"
starts = "-1d"
ends = "+10d"

[[campaigns.tiers]]
title = "Lamp"
amount = "40"
ships = true
ship_countries = ["FR", "BE"]

[[campaigns.tiers]]
title = "Thanks"
amount = "5"
"""


def standin() -> StripeStandin:
    """A Stripe stand-in that retries webhooks within moments."""
    return StripeStandin(
        api_key=STRIPE_KEY,
        webhook_secret=WEBHOOK_SECRET,
        retry_delays=(0.05, 0.1),
        webhook_timeout=2.0,
    )


def signer() -> PledgeLinkSigner:
    """Signs pledge links as `backit run` does with LINK_SECRET."""
    return PledgeLinkSigner(LINK_SECRET, timedelta(hours=1))


class Checkouts:
    """Starts, pays and confirms pledges of one database through the real Stripe gateway."""

    def __init__(self, db: Database, gateway: StripeGateway, stripe: StripeStandin) -> None:
        self.db = db
        self.gateway = gateway
        self.stripe = stripe
        self.clock = SystemClock()

    async def link(self, slug: str, tier: str, backer: str) -> str:
        """A signed pledge link token for a Telegram user named `backer`."""
        async with self.db.unit_of_work() as uow:
            campaign = await uow.campaigns.by_slug(slug)
        assert campaign is not None
        tier_id = next(t.id for t in campaign.tiers if t.title == tier)
        caller = Caller(Identity(Platform.TELEGRAM, str(zlib.crc32(backer.encode()))), backer, "en")
        offer = await offer_pledge(self.db.unit_of_work, self.clock, caller, campaign.id, tier_id)
        links = signer()
        return links.sign(links.new_link(self.clock.now(), offer.backer.id, campaign.id, tier_id))

    async def start(self, slug: str, tier: str, backer: str) -> Pledge:
        """A pending pledge with its Checkout Session open on the stand-in."""
        token = await self.link(slug, tier, backer)
        start = await begin_checkout(
            self.db.unit_of_work,
            self.clock,
            self.gateway,
            PledgeLimits(),
            signer().verify(token, self.clock.now()),
            link_key(token),
            URLS,
        )
        return await self.reload(start.pledge.id)

    async def reload(self, pledge_id: int) -> Pledge:
        """The pledge as stored now."""
        async with self.db.unit_of_work() as uow:
            pledge = await uow.pledges.get(pledge_id)
        assert pledge is not None
        return pledge

    async def pay(self, pledge: Pledge, **address: str) -> None:
        """The backer pays on the stand-in's page, with a shipping address when one is given."""
        assert pledge.checkout_session_id is not None
        outcome = await self.stripe.pay(pledge.checkout_session_id, **address)
        assert isinstance(outcome, Paid), outcome

    async def confirm(self, pledge: Pledge) -> None:
        """The backer lands on the success page, which applies the session's outcome."""
        assert pledge.checkout_session_id is not None
        await confirm_checkout(
            self.db.unit_of_work, self.clock, self.gateway, pledge.checkout_session_id
        )


@asynccontextmanager
async def checkouts(database_url: str, stripe: StripeStandin) -> AsyncIterator[Checkouts]:
    """Checkouts on a database, closing its pool and the Stripe client afterwards."""
    gateway = StripeGateway(STRIPE_KEY, stripe.base_url)
    try:
        async with Database.connect(database_url) as db:
            yield Checkouts(db, gateway, stripe)
    finally:
        await gateway.close()
