"""Who used an interaction, and the language they are answered in."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

import discord

from core.i18n import negotiate
from core.identity import Caller, Identity, Platform

if TYPE_CHECKING:
    from adapters.discord.client import BackitClient

BackitInteraction: TypeAlias = "discord.Interaction[BackitClient]"


def identity_of(user: discord.abc.Snowflake) -> Identity:
    """A Discord account as a platform identity."""
    return Identity(Platform.DISCORD, str(user.id))


def app_locale(interaction: BackitInteraction) -> str:
    """The language the member's Discord app is set to, as a supported locale."""
    return negotiate(interaction.locale.value)


async def caller_of(interaction: BackitInteraction) -> Caller:
    """The member, speaking the language they chose with /language, else their app's."""
    identity = identity_of(interaction.user)
    chosen = await interaction.client.services.reads.chosen_locale(identity)
    return Caller(identity, interaction.user.display_name, chosen or app_locale(interaction))
