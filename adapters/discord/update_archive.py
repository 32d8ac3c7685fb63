"""/updates: a campaign's past updates, newest first, a page at a time."""

from __future__ import annotations

from discord import app_commands

from adapters.discord.answering import answer
from adapters.discord.browsing import campaign_names
from adapters.discord.callers import BackitInteraction
from adapters.discord.replies import Mode, Reply
from adapters.discord.views import list_reply
from core.i18n import N_
from core.identity import Caller
from core.usecases.choosing import Purpose
from core.usecases.update_archive import archive
from core.views.intents import Updates
from core.views.updates import archive_page


@app_commands.command(name=N_("updates"), description=N_("A campaign's past updates"))
@app_commands.rename(name=N_("name"))
@app_commands.describe(name=N_("The campaign: type to search the titles"))
@app_commands.autocomplete(name=campaign_names(Purpose.UPDATES))
async def updates(interaction: BackitInteraction, name: str) -> None:
    """/updates <name>: the first page, for the member alone (it may hold backers-only news)."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        page = await archive(services.uows, services.operators, caller.identity, name)
        return list_reply(archive_page(page))

    await answer(interaction, Mode.PRIVATE, work)


async def updates_button(interaction: BackitInteraction, intent: Updates) -> None:
    """A paging button turns the page in place; a dashboard's "All updates" opens the archive."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        page = await archive(
            services.uows, services.operators, caller.identity, intent.campaign_id, intent.offset
        )
        return list_reply(archive_page(page))

    await answer(interaction, Mode.EDIT if intent.turn else Mode.PRIVATE, work)
