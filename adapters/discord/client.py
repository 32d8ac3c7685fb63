"""The Discord client: Backit's services, its command tree, and updates awaiting an audience."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from adapters.chat_services import ChatServices
from adapters.discord.campaign_drafts import CampaignDrafts
from adapters.discord.drafts import UpdateDrafts
from adapters.discord.translator import CatalogTranslator
from adapters.in_hand import WorkInHand

log = logging.getLogger(__name__)

# Interactions arrive whatever the intents; the servers are kept for their names and channels.
# Nothing privileged.
INTENTS = discord.Intents(guilds=True)
# Work still running after this long is deferred, well inside Discord's three seconds.
DEFER_AFTER = 1.5
# Backit never joins voice: discord.py need not warn that voice's libraries are missing.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class BackitClient(discord.Client):
    """A gateway client that answers Backit's slash commands, buttons and forms."""

    def __init__(
        self,
        services: ChatServices,
        *,
        guild_ready_timeout: float = 2.0,
        defer_after: float = DEFER_AFTER,
    ) -> None:
        super().__init__(
            intents=INTENTS,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            # Backit reads no messages: none are kept in memory.
            max_messages=None,
        )
        self.services = services
        self.defer_after = defer_after
        self.tree: app_commands.CommandTree[BackitClient] = app_commands.CommandTree(self)
        self.drafts = UpdateDrafts()
        self.campaign_drafts = CampaignDrafts()
        # The interactions being answered, which a stop lets finish before the session closes.
        self.in_hand = WorkInHand()

    async def setup_hook(self) -> None:
        """Translate the commands and publish them to Discord."""
        await self.tree.set_translator(CatalogTranslator())
        await self.tree.sync()

    async def on_ready(self) -> None:
        """Say who the bot is connected as, once the servers are known."""
        log.info("discord: connected as %s (servers: %d)", self.user, len(self.guilds))
