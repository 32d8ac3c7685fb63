"""Creator tools: their campaigns, a campaign's dashboard, and what each share link brought."""

from __future__ import annotations

import io
from functools import partial

import discord
from discord import app_commands

from adapters.discord.answering import answer
from adapters.discord.browsing import campaign_names
from adapters.discord.callers import BackitInteraction
from adapters.discord.limits import CONTENT, fit
from adapters.discord.replies import Mode, Reply
from adapters.discord.views import card_reply, list_reply, text_reply
from core.campaigns import RewardTier
from core.i18n import N_, gettext
from core.identity import Caller
from core.usecases.ambassadors import AmbassadorReport, dashboard, my_campaigns
from core.usecases.ambassadors import ambassadors as referral_report
from core.usecases.choosing import Purpose
from core.usecases.exporting import export_backers
from core.views.backer_sheet import backer_sheet
from core.views.creator import ambassadors_page, dashboard_card, my_campaigns_page
from core.views.intents import Ambassadors, ExportBackers, Manage


@app_commands.command(name=N_("mycampaigns"), description=N_("Your campaigns, as a creator"))
async def mycampaigns(interaction: BackitInteraction) -> None:
    """/mycampaigns: the member's campaigns with their figures, each opening its dashboard."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        statements = await my_campaigns(services.uows, caller)
        return list_reply(my_campaigns_page(statements, services.clock.now()))

    await answer(interaction, Mode.PRIVATE, work)


@app_commands.command(name=N_("payouts"), description=N_("Your payout account, as a creator"))
@app_commands.rename(country=N_("country"))
@app_commands.describe(
    country=N_("Where your account is opened, the first time: a two-letter code such as FR")
)
async def payouts(interaction: BackitInteraction, country: str | None = None) -> None:
    """/payouts [country]: the member's payout account, opened in that country the first
    time, with the link to set it up or to its dashboard, for them alone."""

    async def work(caller: Caller) -> Reply:
        return text_reply(await interaction.client.services.payouts_answer(caller, country))

    await answer(interaction, Mode.PRIVATE, work)


def secret_command(slug: str, tier: RewardTier) -> str:
    """The /campaign command a member types to see a secret reward, named in the reader's
    language as Discord shows them the command."""
    return f"/{gettext('campaign')} {gettext('name')}:{slug} {gettext('code')}:{tier.secret_code}"


async def manage_button(interaction: BackitInteraction, intent: Manage) -> None:
    """A campaign of /mycampaigns: its dashboard, for the member alone."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        board = await dashboard(services.uows, services.operators, caller, intent.campaign_id)
        return card_reply(
            dashboard_card(
                board, services.clock.now(), partial(secret_command, board.campaign.slug)
            )
        )

    await answer(interaction, Mode.PRIVATE, work)


def _report_reply(interaction: BackitInteraction, report: AmbassadorReport) -> Reply:
    url = interaction.client.services.share_url(report.campaign.slug, report.referral_code)
    return list_reply(ambassadors_page(report, url))


@app_commands.command(name=N_("ambassadors"), description=N_("What share links brought"))
@app_commands.rename(name=N_("name"))
@app_commands.describe(name=N_("The campaign: type to search the titles"))
@app_commands.autocomplete(name=campaign_names(Purpose.AMBASSADORS))
async def ambassadors(interaction: BackitInteraction, name: str) -> None:
    """/ambassadors <name>: every share link's results for the creator; a member's own link
    and results otherwise."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        report = await referral_report(services.uows, services.operators, caller, name)
        return _report_reply(interaction, report)

    await answer(interaction, Mode.PRIVATE, work)


async def ambassadors_button(interaction: BackitInteraction, intent: Ambassadors) -> None:
    """A dashboard's Ambassadors button."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        report = await referral_report(
            services.uows, services.operators, caller, intent.campaign_id
        )
        return _report_reply(interaction, report)

    await answer(interaction, Mode.PRIVATE, work)


async def export_button(interaction: BackitInteraction, intent: ExportBackers) -> None:
    """A dashboard's Export backers button: the list as a CSV file the member alone sees."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        export = await export_backers(
            services.uows, services.clock, services.operators, caller, intent.campaign_id
        )
        sheet = backer_sheet(export)
        file = discord.File(io.BytesIO(sheet.data), filename=sheet.filename)
        # Shipping addresses are personal data: the answer is ephemeral, wherever the press was.
        return Reply(content=fit(sheet.caption, CONTENT), file=file, private=True)

    await answer(interaction, Mode.PRIVATE, work)
