"""Telegram wiring: the bot built from the settings, polling or on the web server's webhook."""

from __future__ import annotations

from collections.abc import Callable

from adapters.chat_services import ChatServices
from adapters.stripe.gateway import StripeGateway
from adapters.telegram.application import CONCURRENT_CHATS, build_application
from adapters.telegram.bot import WEBHOOK_PATH, TelegramBot
from adapters.web.services import ChatHome, TelegramCampaignLink
from bots.config import ConfigError, PaymentSecrets, Settings
from core.rate_limits import RateLimiter


def telegram_budget(settings: Settings) -> RateLimiter:
    """The bot token's one sending budget in a process: Telegram counts the bot's answers and
    the dispatcher's notices together. The bot draws on it with a connection per chat it
    serves at once; the dispatcher shares it with connections of its own."""
    return RateLimiter(settings.telegram.send_limits, CONCURRENT_CHATS)


def telegram_bot(
    settings: Settings,
    token: str,
    services: ChatServices,
    payments: tuple[PaymentSecrets, StripeGateway] | None,
    budget: RateLimiter,
) -> TelegramBot:
    """The bot for TELEGRAM_BOT_TOKEN, answering within the token's `budget`, with pledge
    links when payments are configured."""
    webhook = settings.telegram.mode == "webhook"
    secret = settings.secrets.telegram_webhook_secret
    if webhook and (payments is None or secret is None):
        raise ConfigError(
            '[telegram] mode = "webhook" needs the web server (set the payment secrets) and '
            'TELEGRAM_WEBHOOK_SECRET; use mode = "polling" otherwise'
        )
    application = build_application(
        token,
        services,
        base_url=settings.telegram.base_url,
        polling=not webhook,
        limiter=budget,
    )
    return TelegramBot(
        application,
        webhook_url=f"{settings.web.public_url}{WEBHOOK_PATH}" if webhook else None,
        webhook_secret=secret,
        # One bound for the whole process's stop: the bot's answers under way, like the
        # dispatcher's sends, get as long to finish.
        stop_timeout=settings.dispatcher.stop_timeout_seconds,
    )


def campaign_links(bot: TelegramBot, page: Callable[[str], str] | None) -> TelegramCampaignLink:
    """The bot's deep links to campaigns, for web pages; through `page` when one plays
    Telegram's app (the sandbox's chat page)."""

    def link(slug: str, referral_code: str | None) -> str | None:
        url = bot.campaign_link(slug, referral_code)
        return page(url) if url is not None and page is not None else url

    return link


class PageHome:
    """A chat home whose way back goes through the page that plays Telegram's app (the
    sandbox's chat page), as the bot's campaign links do."""

    def __init__(self, bot: ChatHome, page: Callable[[str], str]) -> None:
        self._bot = bot
        self._page = page

    def pledges_url(self) -> str | None:
        """The bot's link to a person's pledges, opened on the page."""
        url = self._bot.pledges_url()
        return self._page(url) if url is not None else None
