"""The last resort: log what failed with its context, and tell the member without internals."""

from __future__ import annotations

import logging
from typing import Any

import discord

from adapters.discord.callers import BackitInteraction, app_locale
from adapters.discord.replies import message_fields, notice
from core.i18n import use_locale
from core.views.failures import apology

log = logging.getLogger(__name__)


def _described(interaction: BackitInteraction) -> str:
    """What the member did, for the log: the command or the pressed custom id."""
    data: dict[str, Any] = dict(interaction.data or {})
    what = data.get("name") or data.get("custom_id") or "?"
    return f"{interaction.type.name} {what!r}"


async def apologise(interaction: BackitInteraction, error: BaseException) -> None:
    """Log what failed with its context; tell the member briefly, in their app's language."""
    log.error(
        "discord: %s by user %s in server %s, channel %s failed",
        _described(interaction),
        interaction.user.id,
        interaction.guild_id,
        interaction.channel_id,
        exc_info=error,
    )
    with use_locale(app_locale(interaction)):
        sorry = notice(apology().text)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(ephemeral=True, **message_fields(sorry))
        else:
            await interaction.response.send_message(ephemeral=True, **message_fields(sorry))
    except discord.HTTPException:
        # The apology itself failing (the interaction expired) must not hide the first error.
        log.warning("discord: could not tell the member about the failure", exc_info=True)
