"""Payments wiring: the Stripe client and the web server, built from the settings."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from aiohttp import web

from adapters.images.drawings import Drawings
from adapters.images.progress_charts import ProgressCharts
from adapters.stripe.gateway import StripeGateway
from adapters.web.app import WebServer, create_app
from adapters.web.payout_pages import PayoutPages, PayoutPageSigner
from adapters.web.services import ChatHome, TelegramCampaignLink, WebLinks, WebServices
from bots.config import PaymentSecrets, Settings
from core.identity import Platform
from core.pledge_links import PledgeLinkSigner
from core.ports import Clock, UnitOfWorkFactory
from core.usecases.cached_reads import CachedReads
from core.views.pictures import CardPicture


class StripeConnection:
    """The Stripe client as a component: it connects on first use, and closes on stop."""

    name = "stripe client"

    def __init__(self, gateway: StripeGateway) -> None:
        self._gateway = gateway

    async def start(self) -> None:
        """Nothing to open ahead of the first request."""

    async def stop(self) -> None:
        """Close the client's HTTP session."""
        await self._gateway.close()


def web_server(
    settings: Settings,
    secrets: PaymentSecrets,
    uows: UnitOfWorkFactory,
    reads: CachedReads,
    clock: Clock,
    gateway: StripeGateway,
    *extra_routes: web.RouteTableDef,
    card_images: Drawings[CardPicture],
    progress_charts: ProgressCharts,
    chats: Mapping[Platform, ChatHome] | None = None,
    telegram: TelegramCampaignLink | None = None,
    discord: str | None = None,
    connect_secret: str | None = None,
) -> WebServer:
    """The web server on [web] host and port, serving pledge links and Stripe's webhooks
    (and any other surface's routes, such as Telegram's webhook); its pages lead back to
    `chats`, the bots that run, and its campaign pages send backers to the `telegram` bot's
    deep links and the `discord` invite. With `connect_secret` ([payments] connect), it also
    takes Connect's webhook and serves the pages of creators' onboarding. `card_images` are
    the chat surfaces' card pictures, so that each is drawn once for all of them."""
    signer = link_signer(settings, secrets)
    connect = connect_secret is not None
    services = WebServices(
        uows=uows,
        clock=clock,
        reads=reads,
        gateway=gateway,
        webhooks=gateway,
        webhook_secret=secrets.stripe_webhook_secret,
        signer=signer,
        limits=settings.pledges.limits,
        links=WebLinks(settings.web.public_url, signer, chats, telegram, discord),
        public_url=settings.web.public_url,
        progress_charts=progress_charts,
        terms=settings.payments.terms,
        payouts=gateway if connect else None,
        connect_webhook_secret=connect_secret,
        connect_webhooks=gateway if connect else None,
        payout_pages=payout_pages(settings, secrets, clock) if connect else None,
        card_images=card_images,
    )
    app = create_app(services)
    for routes in extra_routes:
        app.add_routes(routes)
    return WebServer(app, settings.web.host, settings.web.port)


def link_signer(settings: Settings, secrets: PaymentSecrets) -> PledgeLinkSigner:
    """The signer of pledge and retry links, from BACKIT_LINK_SECRET."""
    return PledgeLinkSigner(secrets.link_secret, settings.web.pledge_link_lifetime)


def payout_pages(settings: Settings, secrets: PaymentSecrets, clock: Clock) -> PayoutPages:
    """The pages Stripe's onboarding returns creators to, signed with BACKIT_LINK_SECRET."""
    return PayoutPages(settings.web.public_url, PayoutPageSigner(secrets.link_secret), clock)


@asynccontextmanager
async def stripe_gateway(settings: Settings, command: str) -> AsyncIterator[StripeGateway]:
    """A Stripe client for one operator command, closed when it is done."""
    gateway = StripeGateway(settings.secrets.stripe_key(command), settings.stripe.api_base)
    try:
        yield gateway
    finally:
        await gateway.close()
