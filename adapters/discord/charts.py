"""A campaign's progress chart on Discord: the picture of its funding day by day, in an embed."""

from __future__ import annotations

import io

import discord

from adapters.discord.answering import answer
from adapters.discord.callers import BackitInteraction
from adapters.discord.limits import EMBED_DESCRIPTION, EMBED_TITLE, fit
from adapters.discord.render import COLOUR
from adapters.discord.replies import Mode, Reply
from adapters.images.progress_charts import progress_path
from core.errors import CampaignNotFound
from core.identity import Caller
from core.views.intents import FundingChart

FILENAME = "progress.png"


async def chart_button(interaction: BackitInteraction, intent: FundingChart) -> None:
    """A card's or a dashboard's Progress button: the chart, for the member alone."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        charts = services.progress_charts
        shown = await charts.shown(intent.campaign_id, caller.identity, services.operators)
        if shown is None:
            raise CampaignNotFound(slug=str(intent.campaign_id))
        campaign, chart = shown
        embed = discord.Embed(
            title=fit(chart.title, EMBED_TITLE),
            description=fit(chart.summary, EMBED_DESCRIPTION),
            colour=COLOUR,
        )
        # Where the web server runs, Discord fetches the chart from it; elsewhere it goes along.
        if services.signer is not None:
            url = services.public_url.rstrip("/") + progress_path(campaign, chart)
            return Reply(embed=embed.set_image(url=url))
        png = await charts.png(chart)
        embed.set_image(url=f"attachment://{FILENAME}")
        return Reply(embed=embed, file=discord.File(io.BytesIO(png), filename=FILENAME))

    await answer(interaction, Mode.PRIVATE, work)
