"""The Discord benchmark's yardstick: a bare discord.py bot answering every interaction at once.

Run as `python -m tests.benchmarks.bare_discord_bot` with DISCORD_BOT_TOKEN, DISCORD_API_BASE and
DISCORD_GATEWAY_URL set: it prints "ready" once connected, then answers until SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import signal

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route


class BareBot(discord.Client):
    """/discover and every button answered with a fixed message; no database, no rendering."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents(guilds=True), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(description="Browse campaigns")
        async def discover(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Campaigns")

    async def setup_hook(self) -> None:
        """Publish the one command."""
        await self.tree.sync()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Answer a pressed button."""
        if interaction.type is discord.InteractionType.component:
            await interaction.response.send_message("Pressed", ephemeral=True)

    async def on_ready(self) -> None:
        """Say the bot is ready to be measured."""
        print("ready", flush=True)


async def main() -> None:
    """Connect to the stand-in named in the environment and answer until SIGTERM."""
    Route.BASE = os.environ["DISCORD_API_BASE"]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    bot = BareBot()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with bot:
        await bot.login(os.environ["DISCORD_BOT_TOKEN"])
        connection = asyncio.create_task(bot.connect())
        await stop.wait()
        await bot.close()
        await connection


if __name__ == "__main__":
    asyncio.run(main())
