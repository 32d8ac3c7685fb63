"""/cover: a creator gives a campaign its cover, a picture attached to the command."""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.answering import answer
from adapters.discord.browsing import campaign_names
from adapters.discord.callers import BackitInteraction
from adapters.discord.replies import Mode, Reply, notice
from adapters.images.covers import downloaded_cover
from core.i18n import N_
from core.identity import Caller
from core.usecases.choosing import Purpose
from core.usecases.covering import campaign_to_cover, set_cover
from core.views.covers import cover_set


@app_commands.command(name=N_("cover"), description=N_("Give your campaign its cover picture"))
@app_commands.rename(name=N_("name"), picture=N_("picture"))
@app_commands.describe(
    name=N_("The campaign: type to search the titles"),
    picture=N_("A JPEG, PNG or WebP picture, up to 10 MB"),
)
# The campaigns a member may post updates to: their own.
@app_commands.autocomplete(name=campaign_names(Purpose.UPDATE))
async def cover(interaction: BackitInteraction, name: str, picture: discord.Attachment) -> None:
    """/cover <name> <picture>: the picture becomes the campaign's cover, if the member made it
    and Backit can use the picture; the answer is for them alone."""

    async def work(caller: Caller) -> Reply:
        uows = interaction.client.services.uows
        # Someone else's campaign is refused before the picture is fetched.
        await campaign_to_cover(uows(), caller.identity, name)
        made = await downloaded_cover(picture.size, picture.read)
        campaign = await set_cover(uows(), caller.identity, name, made)
        return notice(cover_set(campaign.title))

    await answer(interaction, Mode.PRIVATE, work)
