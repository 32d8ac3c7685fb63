"""Creator tools: their campaigns with live figures, and what each share link brought."""

from __future__ import annotations

from discord import app_commands

from adapters.discord.answering import answer
from adapters.discord.browsing import campaign_names
from adapters.discord.callers import BackitInteraction
from adapters.discord.render import text_embed
from adapters.discord.replies import Mode, Reply
from adapters.discord.views import list_reply
from core.i18n import N_, current_locale, gettext, ngettext
from core.identity import Caller
from core.usecases.ambassadors import ambassadors as referral_report
from core.usecases.ambassadors import my_campaigns
from core.usecases.choosing import Purpose
from core.views.lists import campaigns_page


@app_commands.command(name=N_("mycampaigns"), description=N_("Your campaigns, as a creator"))
async def mycampaigns(interaction: BackitInteraction) -> None:
    """/mycampaigns: the member's campaigns with their live figures."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        campaigns = await my_campaigns(services.uows, caller)
        return list_reply(campaigns_page(campaigns, services.clock.now()))

    await answer(interaction, Mode.PRIVATE, work)


@app_commands.command(name=N_("ambassadors"), description=N_("What share links brought"))
@app_commands.rename(name=N_("name"))
@app_commands.describe(name=N_("The campaign: type to search the titles"))
@app_commands.autocomplete(name=campaign_names(Purpose.AMBASSADORS))
async def ambassadors(interaction: BackitInteraction, name: str) -> None:
    """/ambassadors <name>: what share links brought; only the member's own unless theirs."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        report = await referral_report(services.uows, services.operators, caller, name)
        locale = current_locale.get()
        lines = [
            ngettext(
                "{name}: {count} backer, {amount}", "{name}: {count} backers, {amount}", row.backers
            ).format(name=row.name, count=row.backers, amount=row.amount.format(locale))
            for row in report.rows
        ] or [gettext("Nobody has backed through a share link yet.")]
        title = gettext("Ambassadors of “{title}”").format(title=report.campaign.title)
        return Reply(embed=text_embed(title, "\n".join(lines)))

    await answer(interaction, Mode.PRIVATE, work)
