"""The sandbox: Backit with no accounts, its real adapters talking to local stand-ins of
Telegram, Discord and Stripe, and a chat page to drive them from a browser."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import quote

from aiohttp import web

from adapters.standins.discord import DiscordStandin
from adapters.standins.sandbox import (
    Closed,
    NotClosed,
    NotPublished,
    Published,
    sandbox_routes,
)
from adapters.standins.sandbox.world import SandboxWorld, build_world
from adapters.standins.stripe import StripeStandin
from adapters.standins.telegram import BotApiStandin, BotProfile
from adapters.stripe.demo_cards import StripeDemoCards
from adapters.stripe.gateway import StripeGateway
from bots.config import PaymentSettings, Settings
from core.campaigns import Campaign, CampaignStatus
from core.errors import DomainError
from core.i18n import use_locale
from core.payouts import PayoutTerms
from core.ports import Clock, UnitOfWorkFactory
from core.usecases.closing import close_now
from core.usecases.managing import publish_campaign
from core.usecases.reviewing import approve
from core.usecases.seeding import creators_without_accounts, save_demo_cards

# The stand-ins' own credentials: they open nothing outside this process, so they are no
# secrets, and the real adapters present them exactly as they would real ones.
TELEGRAM_TOKEN = "7000000001:backit-sandbox-bot"  # noqa: S105
DISCORD_TOKEN = "c2FuZGJveA.backit.sandbox-bot"  # noqa: S105
STRIPE_KEY = "sk_test_backit_sandbox"
STRIPE_WEBHOOK_SECRET = "whsec_backit_sandbox"  # noqa: S105
STRIPE_CONNECT_WEBHOOK_SECRET = "whsec_backit_sandbox_connect"  # noqa: S105
BOT = BotProfile(TELEGRAM_TOKEN, username="backit_sandbox_bot", first_name="Backit")
# Backit's fee in the sandbox unless the operator set one: 5 % plus a fixed part per currency
# (in its minor unit), as the shipped config's example.
DEMO_FEE_BASIS_POINTS = 500
DEMO_FEE_FIXED = {"EUR": 30, "USD": 30, "GBP": 20, "JPY": 40}

log = logging.getLogger(__name__)


def wanted(settings: Settings) -> bool:
    """Whether `backit run` should open the sandbox: no chat token nor Stripe key is set."""
    given = settings.secrets
    return not (given.telegram_bot_token or given.discord_bot_token or given.stripe_secret_key)


class Sandbox:
    """The three stand-ins, served on free local ports for as long as the process runs."""

    def __init__(self, settings: Settings) -> None:
        self.telegram = BotApiStandin(BOT)
        self.discord = DiscordStandin(token=DISCORD_TOKEN)
        public_url = settings.web.public_url.rstrip("/")
        self.stripe = StripeStandin(
            api_key=STRIPE_KEY,
            webhook_secret=STRIPE_WEBHOOK_SECRET,
            # Stripe's events reach the web server the way Stripe's would.
            webhook_url=f"{public_url}/stripe/webhook",
            connect_webhook_url=f"{public_url}/stripe/connect-webhook",
            connect_webhook_secret=STRIPE_CONNECT_WEBHOOK_SECRET,
        )
        # You, your chats and the community places, on both platforms.
        self.world = build_world(self.telegram, self.discord)

    async def start(self) -> None:
        """Serve the stand-ins."""
        for standin in (self.telegram, self.discord, self.stripe):
            await standin.start()

    async def stop(self) -> None:
        """Stop serving them."""
        for standin in (self.stripe, self.discord, self.telegram):
            await standin.stop()

    def settings(self, settings: Settings) -> Settings:
        """The settings with every surface pointed at its stand-in and its credentials set, and
        creators paid through their own accounts (with a demo fee unless one is set)."""
        return replace(
            settings,
            payments=_paying_creators(settings.payments),
            telegram=replace(settings.telegram, mode="polling", base_url=self.telegram.base_url),
            discord=replace(
                settings.discord,
                api_base=self.discord.api_base,
                gateway_url=self.discord.gateway_url,
                # The chat page's Discord side plays the server an invite would open.
                invite_url=f"{_page(settings)}?discord",
            ),
            stripe=replace(settings.stripe, api_base=self.stripe.base_url),
            secrets=replace(
                settings.secrets,
                telegram_bot_token=TELEGRAM_TOKEN,
                discord_bot_token=DISCORD_TOKEN,
                stripe_secret_key=STRIPE_KEY,
                stripe_webhook_secret=STRIPE_WEBHOOK_SECRET,
                stripe_connect_webhook_secret=STRIPE_CONNECT_WEBHOOK_SECRET,
                # A new one each run: links from an earlier sandbox run simply stop working.
                link_secret=secrets.token_hex(32),
            ),
        )

    async def save_demo_cards(self, uows: UnitOfWorkFactory, clock: Clock) -> int:
        """Save a test card in this run's Stripe stand-in for each demo backer waiting to be
        charged, so closing a funded campaign charges them as it charges anyone; the stand-in
        starts empty every run, so every run saves them anew."""
        cards = StripeDemoCards(STRIPE_KEY, self.stripe.base_url)
        try:
            saved = await save_demo_cards(uows, clock, cards)
        finally:
            await cards.close()
        log.info("saved a test card for %d demo pledges", saved)
        return saved

    async def open_payout_accounts(
        self, uows: UnitOfWorkFactory, clock: Clock, terms: PayoutTerms
    ) -> tuple[int, int]:
        """Have this run's Stripe stand-in, which starts empty, hold every payout account
        stored on earlier runs, as it was; then open an account, onboarded, for each campaign
        creator who has none (the demo's). Returns how many were had again, and opened."""
        async with uows() as uow:
            stored = await uow.payout_accounts.list_all()
        for account in stored:
            await self.stripe.adopt_account(
                account.account_id, account.state.country, onboarded=account.can_take_pledges
            )
        gateway = StripeGateway(STRIPE_KEY, self.stripe.base_url, clock=clock)
        try:
            missing = await creators_without_accounts(uows)
            for identities in missing:
                opened = await gateway.create_account(
                    terms.platform_country, f"backit-account-{identities[0]}"
                )
                # As the creator would on the hosted page.
                await self.stripe.complete_onboarding(opened.account_id)
                state = await gateway.account_state(opened.account_id)
                async with uows() as uow:
                    await uow.payout_accounts.add(state, identities, clock.now())
                    await uow.commit()
        finally:
            await gateway.close()
        log.info("payout accounts: %d had again, %d opened", len(stored), len(missing))
        return len(stored), len(missing)

    @staticmethod
    def telegram_page(settings: Settings) -> Callable[[str], str]:
        """A t.me link as the chat page that follows it, as Telegram's app would."""
        return lambda url: f"{_page(settings)}?telegram={quote(url, safe='')}"

    def routes(
        self, uows: UnitOfWorkFactory, clock: Clock, terms: PayoutTerms
    ) -> web.RouteTableDef:
        """The chat page and what it drives, for the web server; drafts are published under
        `terms`, the sandbox's."""

        async def listed(*statuses: CampaignStatus) -> list[tuple[str, str]]:
            async with uows() as uow:
                campaigns = await uow.campaigns.list_all()
            return [(c.slug, c.title) for c in campaigns if c.status in statuses]

        async def live() -> list[tuple[str, str]]:
            return await listed(CampaignStatus.LIVE)

        async def drafts() -> list[tuple[str, str]]:
            # Those sent for review too: the page publishes them as an operator approves one.
            return await listed(CampaignStatus.DRAFT, CampaignStatus.IN_REVIEW)

        async def close(slug: str) -> Closed | NotClosed:
            try:
                closed = await close_now(uows, clock, slug)
            except DomainError as error:
                # Core's reason, in the language the page is using.
                with use_locale(self.world.language):
                    return NotClosed(slug, error.user_message())
            if closed is None:
                return NotClosed(slug)
            return Closed(closed.title, closed.status.value, closed.percent)

        async def publish(slug: str) -> Published | NotPublished:
            try:
                published = await _publish(uows, clock, slug, terms)
            except DomainError as error:
                # Core's reason, such as a creator yet to set up payouts, in the page's language.
                with use_locale(self.world.language):
                    return NotPublished(slug, error.user_message())
            return Published(published.title, published.status is CampaignStatus.COMING_SOON)

        return sandbox_routes(
            self.world, close, live, publish_campaign=publish, draft_campaigns=drafts
        )


class PageStreams:
    """The chat pages' live streams as a component: listed last, it is stopped first, and
    ending them lets the web server stop at once instead of waiting on open pages."""

    name = "sandbox page"

    def __init__(self, world: SandboxWorld) -> None:
        self._world = world

    async def start(self) -> None:
        """Nothing to start: pages open their streams themselves."""

    async def stop(self) -> None:
        """End every open stream."""
        self._world.close()


def _paying_creators(payments: PaymentSettings) -> PaymentSettings:
    """Payment settings with Connect on, and the demo fee unless the operator set a fee."""
    fee_set = payments.platform_fee_percent or any(payments.platform_fee_fixed.values())
    if fee_set:
        return replace(payments, connect=True)
    return replace(
        payments,
        connect=True,
        platform_fee_percent=DEMO_FEE_BASIS_POINTS,
        platform_fee_fixed=DEMO_FEE_FIXED,
    )


def _page(settings: Settings) -> str:
    """The chat page's address."""
    return settings.web.public_url.rstrip("/") + "/"


def banner(settings: Settings) -> str:
    """What to tell the person who just ran `backit run` with no accounts."""
    page = _page(settings)
    return "\n".join(
        (
            "",
            f"  Backit sandbox: open {page}",
            "  Telegram, Discord and Stripe are local stand-ins driven by the real bots;",
            "  payments are simulated: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined.",
            "  To go live, set TELEGRAM_BOT_TOKEN and/or DISCORD_BOT_TOKEN and the Stripe",
            '  variables (README, "Going live"). Ctrl-C stops.',
            "",
        )
    )


async def _publish(
    uows: UnitOfWorkFactory, clock: Clock, slug: str, terms: PayoutTerms
) -> Campaign:
    """Publish a draft; one in review is approved, as an operator would, and its creator told."""
    async with uows() as uow:
        found = await uow.campaigns.by_slug(slug)
    if found is not None and found.status is CampaignStatus.IN_REVIEW:
        return (await approve(uows, clock, (), None, found.id, terms)).campaign
    return await publish_campaign(uows(), clock, slug, terms)
