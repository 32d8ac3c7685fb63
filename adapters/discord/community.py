"""/backit: members with Manage Server link campaigns to the server and choose announcements."""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.answering import answer
from adapters.discord.browsing import campaign_names
from adapters.discord.callers import BackitInteraction
from adapters.discord.replies import Mode, Reply, notice
from core.errors import DomainError
from core.i18n import N_, gettext, negotiate
from core.identity import Caller, Platform
from core.usecases.choosing import Purpose
from core.usecases.communities import (
    NotChatAdmin,
    Place,
    link_campaign,
    set_announcements,
    unlink_campaign,
)
from core.views.communities import unlinked

MANAGE_SERVER = discord.Permissions(manage_guild=True)


class CannotPostThere(DomainError):
    """The announcement channel is one the bot may not post in."""

    template = N_("I cannot post in {channel}: let me send messages there first.")


backit = app_commands.Group(
    name="backit",
    description=N_("Set Backit up in this server (Manage Server)"),
    guild_only=True,
    # Only a default, which a server's admins may change: each command checks it again.
    default_permissions=MANAGE_SERVER,
)
announce = app_commands.Group(
    name=N_("announce"), description=N_("Milestone and update announcements"), parent=backit
)


def _place(interaction: BackitInteraction, caller: Caller) -> Place:
    """The server, and whether the member may manage it, as Discord says for this interaction."""
    assert interaction.guild_id is not None, "Discord offers /backit in servers only"
    guild = interaction.guild
    locale = interaction.guild_locale.value if interaction.guild_locale else caller.locale
    return Place(
        Platform.DISCORD,
        str(interaction.guild_id),
        guild.name if guild else "",
        negotiate(locale),
        caller_is_admin=interaction.permissions.manage_guild,
        caller=caller.identity,
    )


@backit.command(name=N_("link"), description=N_("Link a campaign to this server"))
@app_commands.rename(name=N_("name"))
@app_commands.describe(name=N_("The campaign: type to search the titles"))
@app_commands.autocomplete(name=campaign_names(Purpose.LINK))
async def link(interaction: BackitInteraction, name: str) -> None:
    """/backit link <name>: show a campaign first here and announce its milestones."""

    async def work(caller: Caller) -> Reply:
        uows = interaction.client.services.uows
        campaign = await link_campaign(uows, _place(interaction, caller), name)
        return notice(gettext("“{title}” is linked to this server.").format(title=campaign.title))

    await answer(interaction, Mode.PRIVATE, work)


@backit.command(name=N_("unlink"), description=N_("Unlink a campaign from this server"))
@app_commands.rename(name=N_("name"))
@app_commands.describe(name=N_("The campaign: type to search the titles"))
@app_commands.autocomplete(name=campaign_names(Purpose.UNLINK))
async def unlink(interaction: BackitInteraction, name: str) -> None:
    """/backit unlink <name>: stop showing and announcing a campaign here."""

    async def work(caller: Caller) -> Reply:
        uows = interaction.client.services.uows
        campaign = await unlink_campaign(uows, _place(interaction, caller), name)
        return notice(unlinked(campaign.title))

    await answer(interaction, Mode.PRIVATE, work)


@announce.command(name=N_("on"), description=N_("Announce milestones and updates in a channel"))
@app_commands.rename(channel=N_("channel"))
@app_commands.describe(channel=N_("Where announcements go"))
async def announce_on(interaction: BackitInteraction, channel: discord.TextChannel) -> None:
    """/backit announce on <channel>: milestones and public updates are posted there."""

    async def work(caller: Caller) -> Reply:
        place = _place(interaction, caller)
        # Refusals in the order the member should hear them: who may ask, then where.
        if not place.caller_is_admin:
            raise NotChatAdmin()
        if not channel.permissions_for(channel.guild.me).send_messages:
            raise CannotPostThere(channel=channel.mention)
        uows = interaction.client.services.uows
        await set_announcements(uows, place, True, str(channel.id))
        done = gettext("Announcements are on in this server, in {channel}.")
        return notice(done.format(channel=channel.mention))

    await answer(interaction, Mode.PRIVATE, work)


@announce.command(name=N_("off"), description=N_("Stop announcing in this server"))
async def announce_off(interaction: BackitInteraction) -> None:
    """/backit announce off: nothing is announced here any more."""

    async def work(caller: Caller) -> Reply:
        uows = interaction.client.services.uows
        await set_announcements(uows, _place(interaction, caller), False)
        return notice(gettext("Announcements are off in this server."))

    await answer(interaction, Mode.PRIVATE, work)
