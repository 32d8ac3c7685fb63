"""The Discord benchmark's yardstick: a bare discord.py bot answering every interaction at once.

Run as `python -m tests.benchmarks.bare_discord_bot` with DISCORD_BOT_TOKEN, DISCORD_API_BASE and
DISCORD_GATEWAY_URL set: it prints "ready" once connected, then answers until SIGTERM. With
DISCORD_REPLY naming a JSON file of a message's embeds and component rows (Backit's listing),
it answers everything with that message instead: the stand-in's and discord.py's share of a
reply that size, without the database or the rendering.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route


class BareBot(discord.Client):
    """/discover and every button answered with a fixed message; no database, no rendering."""

    def __init__(self, reply: dict[str, Any] | None) -> None:
        super().__init__(intents=discord.Intents(guilds=True), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)
        self.reply = reply

        @self.tree.command(description="Browse campaigns")
        async def discover(interaction: discord.Interaction) -> None:
            await self.answer(interaction, "Campaigns", ephemeral=False)

    async def setup_hook(self) -> None:
        """Publish the one command."""
        await self.tree.sync()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Answer a pressed button."""
        if interaction.type is discord.InteractionType.component:
            await self.answer(interaction, "Pressed", ephemeral=True)

    async def answer(
        self, interaction: discord.Interaction, fixed: str, *, ephemeral: bool
    ) -> None:
        """The fixed text, or the recorded message when there is one."""
        message = {"content": fixed} if self.reply is None else _message(self.reply)
        await interaction.response.send_message(ephemeral=ephemeral, **message)

    async def on_ready(self) -> None:
        """Say the bot is ready to be measured."""
        print("ready", flush=True)


def _message(reply: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments that send the recorded message, built anew as a bot would."""
    view = discord.ui.View(timeout=None)
    for row, components in enumerate(reply["components"]):
        for button in components["components"]:
            emoji = button.get("emoji")
            view.add_item(
                discord.ui.Button(
                    style=discord.ButtonStyle(button["style"]),
                    label=button.get("label"),
                    custom_id=button.get("custom_id"),
                    url=button.get("url"),
                    disabled=button.get("disabled", False),
                    emoji=None if emoji is None else discord.PartialEmoji.from_dict(emoji),
                    row=row,
                )
            )
    return {
        "content": reply["content"] or None,
        "embeds": [discord.Embed.from_dict(embed) for embed in reply["embeds"]],
        "view": view,
    }


async def main() -> None:
    """Connect to the stand-in named in the environment and answer until SIGTERM."""
    Route.BASE = os.environ["DISCORD_API_BASE"]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    recorded = os.environ.get("DISCORD_REPLY")
    reply = (
        None if recorded is None else json.loads(await asyncio.to_thread(Path(recorded).read_text))
    )
    bot = BareBot(reply)
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
