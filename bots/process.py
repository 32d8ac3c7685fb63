"""The long-running process: start every enabled component, run until a signal, stop them."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from typing import Protocol

from aiohttp import web

from adapters.stripe.gateway import StripeGateway
from adapters.web.services import ChatHome
from bots.chat_services import chat_services
from bots.clock import SystemClock
from bots.config import PAYMENT_VARIABLES, PaymentSecrets, Settings
from bots.discord import discord_bot
from bots.dispatching import DispatcherComponent, delivers
from bots.payments import StripeConnection, web_server
from bots.scheduler import DeadlineScheduler
from bots.telegram import PageHome, campaign_links, telegram_bot, telegram_budget
from core.identity import Platform
from core.ports import ChangeCounters, UnitOfWorkFactory

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Component(Protocol):
    """A part of the process with a lifetime: started in order, stopped in reverse."""

    name: str

    async def start(self) -> None:
        """Begin working; return once running in the background."""
        ...

    async def stop(self) -> None:
        """Finish or cancel outstanding work and release what start took."""
        ...


def components(
    settings: Settings,
    payments: PaymentSecrets | None,
    uows: UnitOfWorkFactory,
    counters: ChangeCounters,
    pages: Sequence[web.RouteTableDef] = (),
    telegram_page: Callable[[str], str] | None = None,
) -> list[Component]:
    """The components the configuration enables; payments and chat surfaces need secrets.
    `pages` are more routes for the web server (the sandbox's chat page); `telegram_page`
    turns a t.me link into the page that plays Telegram's app (the sandbox's), if any."""
    clock = SystemClock()
    interval = settings.scheduler.interval_seconds
    # Refused here, before anything starts, when connect is on without its secret.
    connect_secret = settings.secrets.connect_webhook(payments, settings.payments.connect)
    gateway = (
        StripeGateway(payments.stripe_secret_key, settings.stripe.api_base) if payments else None
    )
    paying = (payments, gateway) if payments and gateway else None
    services = chat_services(settings, uows, counters, clock, paying)
    token = settings.secrets.telegram_bot_token
    # One budget for the token: the bot's answers and the dispatcher's notices go out within
    # the same 30 messages a second, answers first.
    budget = telegram_budget(settings)
    telegram = telegram_bot(settings, token, services, paying, budget) if token else None
    if telegram is None:
        logger.info("telegram is off: set TELEGRAM_BOT_TOKEN to run the bot")
    discord_token = settings.secrets.discord_bot_token
    discord = discord_bot(settings, discord_token, services) if discord_token else None
    if discord is None:
        logger.info("discord is off: set DISCORD_BOT_TOKEN to run the bot")
    chats: list[Component] = [bot for bot in (telegram, discord) if bot is not None]
    if delivers(settings):
        chats.append(DispatcherComponent(settings, uows, clock, budget, services.card_images))
    if payments is None or gateway is None:
        logger.info(
            "payments are off and the web server is not started: set %s and %s to enable them",
            ", ".join(PAYMENT_VARIABLES[:-1]),
            PAYMENT_VARIABLES[-1],
        )
        return [*chats, DeadlineScheduler(uows, clock, interval)]
    extra = [*pages, telegram.webhook_routes()] if telegram else [*pages]
    homes: dict[Platform, ChatHome] = {}
    if telegram is not None:
        # Pages such as payouts' return lead back to the chat, on the page playing it if any.
        homes[Platform.TELEGRAM] = PageHome(telegram, telegram_page) if telegram_page else telegram
    if discord is not None:
        homes[Platform.DISCORD] = discord
    campaign_link = campaign_links(telegram, telegram_page) if telegram else None
    # Stopped in reverse: the scheduler first, then the bots, then the web server finishes its
    # requests, and only then is the Stripe client they all use closed.
    return [
        StripeConnection(gateway),
        web_server(
            settings,
            payments,
            uows,
            services.reads,
            clock,
            gateway,
            *extra,
            card_images=services.card_images,
            progress_charts=services.progress_charts,
            chats=homes,
            telegram=campaign_link,
            discord=settings.discord.invite_url if discord else None,
            connect_secret=connect_secret,
        ),
        *chats,
        DeadlineScheduler(uows, clock, interval, gateway, settings.payments.terms),
    ]


async def run_until_signalled(parts: Sequence[Component]) -> None:
    """Start every component, wait for SIGTERM or SIGINT, then stop them in reverse order."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in STOP_SIGNALS:
        loop.add_signal_handler(number, stop.set)
    try:
        async with AsyncExitStack() as stack:
            for part in parts:
                await part.start()
                stack.push_async_callback(part.stop)
            # What start-up made lives as long as the process: out of the collector's sight,
            # its full passes stop pausing every request for tens of milliseconds.
            gc.freeze()
            logger.info("running: %s", ", ".join(part.name for part in parts))
            await stop.wait()
            logger.info("stopping")
    finally:
        for number in STOP_SIGNALS:
            loop.remove_signal_handler(number)
    logger.info("stopped")
