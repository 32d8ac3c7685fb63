"""What the web server's routes need, passed in by the composition root."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from aiohttp import web

from adapters.chat_services import share_url
from adapters.images.card_images import card_images, picture_path
from adapters.images.drawings import Drawings
from adapters.images.progress_charts import ProgressCharts
from adapters.web.payout_pages import PayoutPages
from core.campaigns import Campaign
from core.identity import Platform
from core.payments import PaymentOutcome
from core.payouts import NO_PAYOUTS, AccountUpdate, PayoutTerms
from core.pledge_links import PledgeLinkSigner, RetryLink
from core.ports import Clock, PaymentGateway, PayoutGateway, UnitOfWorkFactory
from core.usecases.cached_reads import CachedReads
from core.usecases.pledging import PledgeLimits
from core.views.pictures import CardPicture


class WebhookReader(Protocol):
    """Turns a verified provider event into an outcome for a pledge."""

    async def outcome_of_event(self, event: object) -> PaymentOutcome | None:
        """The outcome an event (any JSON value) reports; None for events Backit does not use.

        Raises core.payments.MalformedEvent for a used event it cannot read, and
        core.payments.PaymentUnavailable when reading needs the provider and it is away.
        """
        ...


class AccountEventReader(Protocol):
    """Turns a verified Connect event into news of a creator's account."""

    async def account_update_of_event(self, event: object) -> AccountUpdate | None:
        """What an event (any JSON value) says an account is now; None for events Backit does
        not use.

        Raises core.payments.MalformedEvent for a used event it cannot read, and
        core.payments.PaymentUnavailable when reading needs the provider and it is away.
        """
        ...


@dataclass(frozen=True, slots=True)
class ChatReturn:
    """The way from a browser page back to the chat a backer came from."""

    platform: Platform
    url: str


class ChatHome(Protocol):
    """A running bot, as a place a backer's browser can go back to."""

    def pledges_url(self) -> str | None:
        """Where the bot shows a backer their pledges; None until it knows its own address."""
        ...


class ChatLinks(Protocol):
    """Links from the browser back into the chat surfaces."""

    def back_to_chat(self, platform: Platform) -> ChatReturn | None:
        """The way back to a person's chat with the bot on their platform, if that bot runs."""
        ...

    def share_url(self, campaign: Campaign, referral_code: str) -> str:
        """A link to a campaign that credits the backer who shares it."""
        ...

    def telegram_url(self, campaign: Campaign, referral_code: str | None) -> str | None:
        """The Telegram bot opened on the campaign, crediting `referral_code`; None without it."""
        ...

    def discord_url(self) -> str | None:
        """Where to back campaigns on Discord (a server's invite, the app's install link)."""
        ...


# The bot's deep link to a campaign (slug, referral code); None while the bot is not running.
TelegramCampaignLink = Callable[[str, str | None], str | None]


@dataclass(frozen=True, slots=True)
class WebServices:
    """Everything the routes use, built once by the composition root."""

    uows: UnitOfWorkFactory
    clock: Clock
    # The chat surfaces' own: a campaign shared everywhere at once is read once per change.
    reads: CachedReads
    gateway: PaymentGateway
    webhooks: WebhookReader
    webhook_secret: str
    signer: PledgeLinkSigner
    limits: PledgeLimits
    links: ChatLinks
    public_url: str
    # Campaigns' progress charts, each drawn once per state, day and language; the chats' too.
    progress_charts: ProgressCharts
    # Creators paid through their own accounts ([payments] connect): Backit's terms, the
    # provider's side of the accounts, their Connect webhook and onboarding's pages. Without
    # them, payments stay on the platform's account and the payout routes answer 404.
    terms: PayoutTerms = NO_PAYOUTS
    payouts: PayoutGateway | None = None
    connect_webhook_secret: str | None = None
    connect_webhooks: AccountEventReader | None = None
    payout_pages: PayoutPages | None = None
    # Campaigns' card pictures, each drawn once per state and language.
    card_images: Drawings[CardPicture] = field(default_factory=card_images)


class WebLinks:
    """Links to the web server's pages: a campaign's public page (crediting whoever shared
    it) and the page to pay a declined pledge again."""

    def __init__(
        self,
        public_url: str,
        signer: PledgeLinkSigner,
        chats: Mapping[Platform, ChatHome] | None = None,
        telegram: TelegramCampaignLink | None = None,
        discord: str | None = None,
    ) -> None:
        self._public_url = public_url.rstrip("/")
        self._signer = signer
        self._chats = dict(chats or {})
        self._telegram = telegram
        self._discord = discord

    def back_to_chat(self, platform: Platform) -> ChatReturn | None:
        """Where that platform's bot shows a person their pledges, when it runs here."""
        chat = self._chats.get(platform)
        url = chat.pledges_url() if chat is not None else None
        return ChatReturn(platform, url) if url is not None else None

    def share_url(self, campaign: Campaign, referral_code: str) -> str:
        """The campaign's public page, carrying the referral code."""
        return share_url(self._public_url, campaign.slug, referral_code)

    def telegram_url(self, campaign: Campaign, referral_code: str | None) -> str | None:
        """The Telegram bot's deep link to the campaign, when a bot runs."""
        return self._telegram(campaign.slug, referral_code) if self._telegram else None

    def discord_url(self) -> str | None:
        """The configured Discord invite or install link."""
        return self._discord

    def campaign_url(self, campaign: Campaign, referral_code: str | None = None) -> str:
        """The campaign's public page, crediting `referral_code` when there is one."""
        if referral_code is None:
            return f"{self._public_url}/c/{campaign.slug}"
        return self.share_url(campaign, referral_code)

    def retry_url(self, pledge_id: int, expires_at: datetime) -> str:
        """The page to pay a declined pledge with another card, until `expires_at`."""
        token = self._signer.sign_retry(RetryLink(pledge_id, expires_at))
        return f"{self._public_url}/pledge/retry/{token}"

    def picture_url(self, campaign: Campaign, picture: CardPicture) -> str:
        """Where this web server serves the campaign's picture, in its language and version."""
        return self._public_url + picture_path(campaign.slug, picture)


# Where each route finds them on its application.
SERVICES = web.AppKey("services", WebServices)
