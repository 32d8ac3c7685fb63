"""Discord wiring: the bot built from the settings, pointed where [discord] says."""

from __future__ import annotations

from adapters.chat_services import ChatServices
from adapters.discord.application import build_client
from adapters.discord.bot import DiscordBot, point_at
from bots.config import Settings


def discord_bot(
    settings: Settings,
    token: str,
    services: ChatServices,
) -> DiscordBot:
    """The bot for DISCORD_BOT_TOKEN, on the chat services (with pledge links when payments
    are configured)."""
    point_at(settings.discord.api_base, settings.discord.gateway_url)
    client = build_client(services)
    return DiscordBot(client, token, stop_timeout=settings.dispatcher.stop_timeout_seconds)
