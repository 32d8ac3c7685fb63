"""Replies: what a handler shows, where it goes, and how it is sent without pinging anyone."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import discord

from adapters.discord.callers import BackitInteraction
from adapters.discord.limits import CONTENT, fit

NO_PINGS = discord.AllowedMentions.none()


class Mode(Enum):
    """Where an answer goes."""

    # A new message everyone in the channel sees.
    PUBLIC = "public"
    # A new message only the member sees.
    PRIVATE = "private"
    # The message whose button was pressed, changed in place.
    EDIT = "edit"


@dataclass(frozen=True, slots=True)
class Reply:
    """What to show: text, an embed, components and a file; `private` ones go to the member
    alone."""

    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    private: bool = False
    file: discord.File | None = None


def notice(text: str) -> Reply:
    """A short message for the member alone, such as a refusal."""
    return Reply(content=fit(text, CONTENT), private=True)


def message_fields(reply: Reply) -> dict[str, Any]:
    """The reply's parts as discord.py's send methods take them, mentions switched off."""
    fields: dict[str, Any] = {"allowed_mentions": NO_PINGS}
    if reply.content is not None:
        fields["content"] = reply.content
    if reply.embed is not None:
        fields["embed"] = reply.embed
    if reply.view is not None:
        fields["view"] = reply.view
    if reply.file is not None:
        fields["file"] = reply.file
    return fields


async def defer(interaction: BackitInteraction, mode: Mode) -> None:
    """Acknowledge now and answer later; a new message's visibility is fixed here."""
    if mode is Mode.EDIT:
        await interaction.response.defer()
    else:
        await interaction.response.defer(ephemeral=mode is Mode.PRIVATE, thinking=True)


async def deliver(interaction: BackitInteraction, mode: Mode, reply: Reply) -> None:
    """Send the reply where `mode` says, whether or not the interaction was deferred."""
    response = interaction.response
    if mode is Mode.EDIT and not reply.private:
        # Every part is given, so that what the new reply lacks is cleared.
        edit: dict[str, Any] = {
            "content": reply.content,
            "embed": reply.embed,
            "view": reply.view,
            "attachments": [reply.file] if reply.file is not None else [],
            "allowed_mentions": NO_PINGS,
        }
        if response.is_done():
            await interaction.edit_original_response(**edit)
        else:
            await response.edit_message(**edit)
    elif not response.is_done():
        ephemeral = mode is Mode.PRIVATE or reply.private
        await response.send_message(ephemeral=ephemeral, **message_fields(reply))
    elif mode is Mode.EDIT:
        # Deferred as an edit, but the reply is for the member alone (a refusal).
        await interaction.followup.send(ephemeral=True, **message_fields(reply))
    else:
        # Fills the "thinking…" message the deferral left; its visibility was fixed then.
        await interaction.edit_original_response(
            content=reply.content,
            embed=reply.embed,
            view=reply.view,
            attachments=[reply.file] if reply.file is not None else [],
            allowed_mentions=NO_PINGS,
        )
