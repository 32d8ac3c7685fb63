"""Discord wiring: the bot built from the settings, pointed where [discord] says."""

from __future__ import annotations

from adapters.discord.application import build_client
from adapters.discord.bot import DiscordBot, point_at
from adapters.stripe.gateway import StripeGateway
from bots.chat_services import chat_services
from bots.config import PaymentSecrets, Settings
from core.ports import Clock, UnitOfWorkFactory


def discord_bot(
    settings: Settings,
    token: str,
    uows: UnitOfWorkFactory,
    clock: Clock,
    payments: tuple[PaymentSecrets, StripeGateway] | None,
) -> DiscordBot:
    """The bot for DISCORD_BOT_TOKEN, with pledge links when payments are configured."""
    point_at(settings.discord.api_base, settings.discord.gateway_url)
    client = build_client(chat_services(settings, uows, clock, payments))
    return DiscordBot(client, token, stop_timeout=settings.dispatcher.stop_timeout_seconds)
