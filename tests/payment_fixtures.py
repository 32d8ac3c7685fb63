"""Backit's payment path running for real: the web app on a port, the Stripe gateway, the stand-in.

A pytest plugin (see tests/conftest.py). The web app serves pledge links, checkout returns and
the webhook on a real port; the stand-in delivers its webhooks there and sends the backer's
browser back there; both share one movable clock; the database is the `database` fixture, so
every test that pays runs on SQLite and, when configured, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import partial
from html import unescape

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import func, select

from adapters.images.card_images import card_images
from adapters.images.progress_charts import ProgressCharts
from adapters.standins.stripe import StripeStandin
from adapters.storage import Database
from adapters.storage.tables import PaymentEventRow
from adapters.stripe.gateway import StripeGateway
from adapters.web.app import WebServer, create_app
from adapters.web.payout_pages import PayoutPages, PayoutPageSigner
from adapters.web.services import ChatHome, WebLinks, WebServices
from core.backers import Backer
from core.campaigns import Campaign, FundingModel
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.outbox import OutboxMessage
from core.payments import PaymentAnomaly
from core.payouts import NO_PAYOUTS, PayoutTerms
from core.pledge_links import PledgeLinkSigner
from core.pledges import Pledge
from core.usecases.backers import ensure_backer
from core.usecases.cached_reads import CachedReads
from core.usecases.covering import cover_jpeg
from core.usecases.managing import CampaignDraft, TierDraft, create_campaign, publish_campaign
from core.usecases.pledging import PledgeLimits
from tests.stripe_standin_fixtures import (
    API_KEY,
    CONNECT_WEBHOOK_SECRET,
    WEBHOOK_SECRET,
    MovableClock,
)

LINK_SECRET = "backit-test-link-secret-0123456789abcdef"
LINK_LIFETIME = timedelta(hours=1)
CREATOR = Identity(Platform.TELEGRAM, "1000")
GOOD_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"
# Saves fine at checkout, and every later off-session charge on it is declined.
DECLINES_LATER_CARD = "4000 0000 0000 0341"


@contextlib.asynccontextmanager
async def silent_stripe(first_bytes: bytes = b"") -> AsyncIterator[tuple[str, list[int]]]:
    """A server that accepts connections, sends `first_bytes` and then never another byte: its
    address, and how many connections it has taken so far."""
    taken: list[int] = []
    writers: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        taken.append(1)
        writers.append(writer)
        writer.write(first_bytes)
        # Read on (and ignore) whatever comes, until the client gives up.
        while await reader.read(65_536):
            pass

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", taken
    finally:
        for writer in writers:
            writer.close()
        server.close()
        await server.wait_closed()


@dataclass(frozen=True, slots=True)
class Page:
    """What a browser got back from one request, redirects not followed."""

    status: int
    location: str | None
    text: str


async def fetch(
    browser: aiohttp.ClientSession,
    url: str,
    *,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Page:
    """GET (or POST a form, when one is given) without following a redirect."""
    method = "GET" if form is None else "POST"
    async with browser.request(
        method, url, data=form, headers=headers, allow_redirects=False
    ) as answer:
        return Page(answer.status, answer.headers.get("Location"), await answer.text())


async def pay_on_page(
    browser: aiohttp.ClientSession, checkout_url: str, card: str = GOOD_CARD, **address: str
) -> Page:
    """Fill and submit the stand-in's hosted checkout form, as a backer does."""
    form = {
        "email": "backer@example.com",
        "name": "Ada Lovelace",
        "card_number": card,
        "expiry": "12 / 34",
        "cvc": "123",
        **address,
    }
    return await fetch(browser, checkout_url, form=form)


async def leave_page(browser: aiohttp.ClientSession, checkout_url: str) -> Page:
    """Follow the checkout page's Back link, as a backer who changed their mind does."""
    page = await fetch(browser, checkout_url)
    back = re.search(r'<a class="back" href="([^"]*)"', page.text)
    assert back is not None, page.text
    return await fetch(browser, unescape(back[1]))


@dataclass(frozen=True, slots=True)
class RunningBackit:
    """Backit's web server on a real port, with what it runs on and helpers to drive it."""

    url: str
    services: WebServices
    database: Database
    standin: StripeStandin
    clock: MovableClock
    signer: PledgeLinkSigner

    async def campaign(
        self,
        slug: str = "lamp",
        *,
        model: FundingModel = FundingModel.FLEXIBLE,
        goal: int = 10_000,
        stretch_goals: tuple[int, ...] = (),
        tiers: tuple[TierDraft, ...] = (),
        ends_in: timedelta = timedelta(days=20),
        currency: str = "EUR",
        creator: Identity = CREATOR,
    ) -> Campaign:
        """A live campaign (in euros unless told), created and published through core under
        the web server's payout terms."""
        draft = CampaignDraft(
            slug=slug,
            title=f"The {slug.title()}",
            blurb="A warm lamp for long nights.",
            description="",
            creator_name="Ada",
            creator_identities=(creator,),
            category="design",
            goal=Money(goal, currency),
            funding_model=model,
            starts_at=self.clock.now() - timedelta(days=1),
            ends_at=self.clock.now() + ends_in,
            stretch_goals=stretch_goals,
            tiers=tiers,
        )
        await create_campaign(self.database.unit_of_work(), draft)
        return await publish_campaign(
            self.database.unit_of_work(), self.clock, slug, self.services.terms
        )

    async def backer(
        self, user_id: int, locale: str = "en", platform: Platform = Platform.TELEGRAM
    ) -> Backer:
        """A person known to Backit (on Telegram unless told), as a chat surface would have
        recorded them."""
        caller = Caller(Identity(platform, str(user_id)), f"Person {user_id}", locale)
        async with self.database.unit_of_work() as uow:
            backer = await ensure_backer(uow, caller)
            await uow.commit()
        return backer

    def pledge_url(
        self,
        backer: Backer,
        campaign: Campaign,
        tier_id: int | None = None,
        amount: int | None = None,
        referral_code: str | None = None,
    ) -> str:
        """A personal, signed pledge link, as a chat surface hands it out."""
        link = self.signer.new_link(
            self.clock.now(), backer.id, campaign.id, tier_id, amount, referral_code
        )
        return f"{self.url}/pledge/{self.signer.sign(link)}"

    async def reload(self, campaign_id: int) -> Campaign:
        """A campaign as committed, with its tiers."""
        async with self.database.unit_of_work() as uow:
            campaign = await uow.campaigns.get(campaign_id)
        assert campaign is not None
        return campaign

    async def pledges(self, campaign_id: int) -> list[Pledge]:
        """A campaign's pledges as committed, oldest first."""
        async with self.database.unit_of_work() as uow:
            return list(await uow.pledges.of_campaign(campaign_id))

    async def pledge(self, pledge_id: int) -> Pledge:
        """One pledge as committed."""
        async with self.database.unit_of_work() as uow:
            pledge = await uow.pledges.get(pledge_id)
        assert pledge is not None
        return pledge

    async def outbox(self, notification_type: str) -> list[OutboxMessage]:
        """Every queued message of one type (milestone, receipt, referral...)."""
        async with self.database.unit_of_work() as uow:
            messages = await uow.outbox.pending(limit=10_000)
        return [m for m in messages if m.notification.type == notification_type]

    async def payment_events(self) -> int:
        """How many provider events were recorded as applied."""
        async with self.database.engine.connect() as connection:
            count = await connection.scalar(select(func.count()).select_from(PaymentEventRow))
        return int(count or 0)

    async def anomalies(self) -> list[PaymentAnomaly]:
        """The provider reports recorded instead of applied, oldest first."""
        async with self.database.unit_of_work() as uow:
            return list(await uow.payment_events.unresolved_anomalies())

    async def back(
        self, browser: aiohttp.ClientSession, pledge_url: str, card: str = GOOD_CARD, **address: str
    ) -> Page:
        """Follow a pledge link, pay on the checkout page and land on the thank-you page."""
        link = await fetch(browser, pledge_url)
        assert link.status == 303, link.text
        assert link.location is not None
        paid = await pay_on_page(browser, link.location, card, **address)
        assert paid.status == 303, paid.text
        assert paid.location is not None
        return await fetch(browser, paid.location)


@contextlib.asynccontextmanager
async def backit_on_silent_stripe(backit: RunningBackit) -> AsyncIterator[tuple[str, list[int]]]:
    """A second Backit web server on the same database, whose Stripe accepts connections and
    never answers (each request gives up after 0.2 s): its address, and how many connections
    its Stripe has taken so far."""
    async with silent_stripe() as (stripe_url, taken):
        gateway = StripeGateway(API_KEY, stripe_url, timeout=0.2)
        server = WebServer(create_app(replace(backit.services, gateway=gateway)), "127.0.0.1", 0)
        await server.start()
        try:
            yield f"http://127.0.0.1:{server.port}", taken
        finally:
            await server.stop()
            await gateway.close()


@pytest.fixture
def link_signer() -> PledgeLinkSigner:
    """The signer of pledge and retry links, with the test secret."""
    return PledgeLinkSigner(LINK_SECRET, LINK_LIFETIME)


@pytest.fixture
async def stripe_gateway(
    stripe_standin: StripeStandin, stripe_clock: MovableClock
) -> AsyncIterator[StripeGateway]:
    """Backit's Stripe gateway, pointed at the stand-in and closed after the test."""
    gateway = StripeGateway(API_KEY, stripe_standin.base_url, clock=stripe_clock)
    yield gateway
    await gateway.close()


@pytest.fixture
def chat_homes() -> dict[Platform, ChatHome]:
    """The bots the web pages lead back to: none unless a test says."""
    return {}


@pytest.fixture
def payout_terms() -> PayoutTerms:
    """How creators are paid: every payment on the platform's account unless a test says."""
    return NO_PAYOUTS


@pytest.fixture
async def backit(
    database: Database,
    stripe_standin: StripeStandin,
    stripe_gateway: StripeGateway,
    stripe_clock: MovableClock,
    link_signer: PledgeLinkSigner,
    chat_homes: dict[Platform, ChatHome],
    payout_terms: PayoutTerms,
) -> AsyncIterator[RunningBackit]:
    """Backit's web app serving on a free port, receiving the stand-in's webhooks (its
    Connect events too, when creators are paid through their own accounts)."""
    # Bound first, so the app knows its own public address before it starts serving.
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listening.getsockname()[1]}"
    connect = payout_terms.connect
    reads = CachedReads(database.unit_of_work, database.counters, stripe_clock)
    services = WebServices(
        uows=database.unit_of_work,
        clock=stripe_clock,
        reads=reads,
        gateway=stripe_gateway,
        webhooks=stripe_gateway,
        webhook_secret=WEBHOOK_SECRET,
        signer=link_signer,
        limits=PledgeLimits(),
        links=WebLinks(url, link_signer, chat_homes),
        public_url=url,
        progress_charts=ProgressCharts(reads, stripe_clock),
        terms=payout_terms,
        payouts=stripe_gateway if connect else None,
        connect_webhook_secret=CONNECT_WEBHOOK_SECRET if connect else None,
        connect_webhooks=stripe_gateway if connect else None,
        payout_pages=PayoutPages(url, PayoutPageSigner(LINK_SECRET), stripe_clock)
        if connect
        else None,
        card_images=card_images(covers=partial(cover_jpeg, database.unit_of_work)),
    )
    runner = web.AppRunner(create_app(services), shutdown_timeout=2.0)
    await runner.setup()
    await web.SockSite(runner, listening).start()
    stripe_standin.webhook_url = f"{url}/stripe/webhook"
    if connect:
        stripe_standin.connect_webhook_url = f"{url}/stripe/connect-webhook"
    yield RunningBackit(url, services, database, stripe_standin, stripe_clock, link_signer)
    # Webhooks still on their way would find the door closed; let them land first.
    await stripe_standin.wait_for_deliveries()
    await runner.cleanup()
    # A webhook Backit kept refusing is a failure of the test, even if nothing asserted on it.
    refused = [
        d
        for d in (*stripe_standin.deliveries, *stripe_standin.connect_deliveries)
        if d.status not in ("delivered", "dropped")
    ]
    assert refused == []
