"""/launchdate: a creator chooses when a campaign not yet live launches."""

from __future__ import annotations

from discord import app_commands

from adapters.discord.answering import answer
from adapters.discord.browsing import campaign_names
from adapters.discord.callers import BackitInteraction
from adapters.discord.replies import Mode, Reply, notice
from core.i18n import N_
from core.identity import Caller
from core.usecases.choosing import Purpose
from core.usecases.launch_dates import set_launch
from core.views.launch_dates import launch_set

# "2026-12-20 18:00" and room for spaces; anything longer is no moment.
WHEN_CHARS = 40


@app_commands.command(name=N_("launchdate"), description=N_("Choose when your campaign launches"))
@app_commands.rename(name=N_("name"), when=N_("when"))
@app_commands.describe(
    name=N_("The campaign: type to search the titles"),
    when=N_("A date and time in UTC, like 2026-12-20 18:00, or “now”"),
)
# The campaigns a member may choose a launch for: their own.
@app_commands.autocomplete(name=campaign_names(Purpose.UPDATE))
async def launchdate(
    interaction: BackitInteraction, name: str, when: app_commands.Range[str, 1, WHEN_CHARS]
) -> None:
    """/launchdate <name> <when>: the campaign's run moved to start then, if the member made it
    and it is not yet live; the answer is for them alone."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        campaign = await set_launch(services.uows, services.clock, caller.identity, name, when)
        return notice(launch_set(campaign, services.clock.now()))

    await answer(interaction, Mode.PRIVATE, work)
