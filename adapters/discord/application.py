"""The Backit Discord client with every command, button and error handler registered."""

from __future__ import annotations

from typing import Any

from discord import app_commands

from adapters.chat_services import ChatServices
from adapters.discord import (
    account,
    browsing,
    community,
    covers,
    creator,
    launch_dates,
    newcampaign,
    reviewing,
    update_archive,
    updates,
)
from adapters.discord.buttons import IntentButton
from adapters.discord.callers import BackitInteraction
from adapters.discord.client import DEFER_AFTER, BackitClient
from adapters.discord.failures import apologise

COMMANDS: tuple[app_commands.Command[Any, ..., None] | app_commands.Group, ...] = (
    browsing.discover,
    browsing.search,
    browsing.campaign,
    update_archive.updates,
    account.following,
    account.mypledges,
    account.language,
    creator.mycampaigns,
    creator.payouts,
    creator.ambassadors,
    covers.cover,
    launch_dates.launchdate,
    updates.update,
    newcampaign.newcampaign,
    reviewing.submit_command,
    community.backit,
)


async def on_command_error(
    interaction: BackitInteraction, error: app_commands.AppCommandError
) -> None:
    """A command discord.py could not run (an option it could not read): logged, apologised."""
    await apologise(interaction, error)


def build_client(
    services: ChatServices,
    *,
    guild_ready_timeout: float = 2.0,
    defer_after: float = DEFER_AFTER,
) -> BackitClient:
    """A client answering Backit's commands, buttons and forms on the services."""
    client = BackitClient(
        services, guild_ready_timeout=guild_ready_timeout, defer_after=defer_after
    )
    for command in COMMANDS:
        client.tree.add_command(command)
    client.tree.error(on_command_error)
    client.add_dynamic_items(IntentButton, updates.AudienceButton, newcampaign.DraftButton)
    return client
