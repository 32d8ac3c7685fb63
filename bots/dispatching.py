"""Dispatcher wiring: a sender per configured platform, and the dispatcher over them."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from datetime import datetime

from adapters.discord.bot import point_at
from adapters.discord.notices import discord_sender
from adapters.images.drawings import Drawings
from adapters.telegram.notices import telegram_sender
from adapters.web.services import WebLinks
from bots.config import Settings
from bots.payments import link_signer
from core.campaigns import Campaign
from core.delivery import MessageSender
from core.ports import Clock, UnitOfWorkFactory
from core.rate_limits import RateLimiter
from core.usecases.dispatching import Dispatcher
from core.views.notices import NoticeLinks
from core.views.pictures import CardPicture

logger = logging.getLogger(__name__)


class NoWebLinks:
    """Notice links when the web server does not run: notices go without buttons."""

    def campaign_url(self, campaign: Campaign, referral_code: str | None = None) -> None:
        """No public page to link to."""

    def retry_url(self, pledge_id: int, expires_at: datetime) -> None:
        """No payments to retry."""

    def picture_url(self, campaign: Campaign, picture: CardPicture) -> None:
        """No web server to serve pictures."""


def notice_links(settings: Settings) -> NoticeLinks:
    """The web server's pages when payments (and so the web server) are configured."""
    payments = settings.secrets.payments()
    if payments is None:
        return NoWebLinks()
    return WebLinks(settings.web.public_url, link_signer(settings, payments))


def delivers(settings: Settings) -> bool:
    """Whether any platform is configured to deliver notifications on."""
    secrets = settings.secrets
    return bool(secrets.telegram_bot_token or secrets.discord_bot_token)


class DispatcherComponent:
    """The dispatcher as a component: opens a sender per configured platform, delivers in
    the background, and on stop lets sends in flight finish before closing the senders.
    Given the Telegram token's budget (the bot runs in the same process), its Telegram sender
    shares it; alone, it keeps one of its own."""

    name = "dispatcher"

    def __init__(
        self,
        settings: Settings,
        uows: UnitOfWorkFactory,
        clock: Clock,
        telegram_budget: RateLimiter | None = None,
        card_images: Drawings[CardPicture] | None = None,
    ) -> None:
        self._settings = settings
        self._uows = uows
        self._clock = clock
        self._telegram_budget = telegram_budget
        self._card_images = card_images
        self._senders = AsyncExitStack()
        self._dispatcher: Dispatcher | None = None

    async def start(self) -> None:
        """Connect the senders and start delivering."""
        self._dispatcher = self._over(await self._open_senders())
        await self._dispatcher.start()

    async def stop(self) -> None:
        """Stop claiming, finish or hand back what was claimed, then disconnect."""
        if self._dispatcher is not None:
            await self._dispatcher.stop()
            self._dispatcher = None
        await self._senders.aclose()

    async def drain(self) -> None:
        """Deliver what is due now, then disconnect; `backit dispatch --once`."""
        try:
            await self._over(await self._open_senders()).drain()
        finally:
            await self._senders.aclose()

    def _over(self, senders: list[MessageSender]) -> Dispatcher:
        return Dispatcher(
            self._uows,
            self._clock,
            senders,
            notice_links(self._settings),
            self._settings.dispatcher.dispatch,
        )

    async def _open_senders(self) -> list[MessageSender]:
        settings, secrets = self._settings, self._settings.secrets
        senders: list[MessageSender] = []
        if secrets.telegram_bot_token:
            connections = settings.dispatcher.connections
            limiter = (
                self._telegram_budget.sharing(connections)
                if self._telegram_budget is not None
                else RateLimiter(settings.telegram.send_limits, connections)
            )
            senders.append(
                await self._senders.enter_async_context(
                    telegram_sender(
                        secrets.telegram_bot_token,
                        settings.telegram.base_url or "",
                        limiter,
                        self._card_images,
                    )
                )
            )
        if secrets.discord_bot_token:
            point_at(settings.discord.api_base, settings.discord.gateway_url)
            senders.append(
                await self._senders.enter_async_context(
                    discord_sender(
                        secrets.discord_bot_token,
                        settings.discord.send_limits,
                        settings.dispatcher.connections,
                    )
                )
            )
        logger.info("delivering notifications on %s", ", ".join(s.platform for s in senders))
        return senders
