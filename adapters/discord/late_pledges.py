"""A dashboard's "Open late pledges": one form with the late period and a late price for each
of the first four rewards (a form holds five fields), empty for a reward not offered late."""

from __future__ import annotations

import discord

from adapters.discord.answering import answer, open_form
from adapters.discord.callers import BackitInteraction
from adapters.discord.drafts import LIFETIME
from adapters.discord.limits import INPUT_DESCRIPTION, INPUT_LABEL, MODAL_FIELDS, MODAL_TITLE, cut
from adapters.discord.pledging import AMOUNT_CHARS
from adapters.discord.replies import Mode, Reply
from adapters.discord.views import text_reply
from core.campaigns import Campaign
from core.i18n import gettext
from core.identity import Caller
from core.usecases.late_pledges import late_campaign, late_days, open_late_pledges
from core.usecases.pledging import custom_amount
from core.views.intents import OpenLatePledges
from core.views.late_pledges import (
    late_period_label,
    late_pledges_opened,
    late_price_hint,
    late_price_label,
)
from core.views.model import Reply as Said

# The first field is the period; each of the others a reward's late price.
PRICED_REWARDS = MODAL_FIELDS - 1


class LatePledgesForm(discord.ui.Modal):
    """The late period and late prices; checked by core when submitted."""

    def __init__(self, campaign: Campaign) -> None:
        heading = gettext("Late pledges: {title}").format(title=campaign.title)
        super().__init__(title=cut(heading, MODAL_TITLE), timeout=LIFETIME)
        self.campaign = campaign
        self.days: discord.ui.TextInput[LatePledgesForm] = discord.ui.TextInput(
            placeholder="30", max_length=2
        )
        self.add_item(
            discord.ui.Label(text=cut(late_period_label(), INPUT_LABEL), component=self.days)
        )
        self.prices: list[discord.ui.TextInput[LatePledgesForm]] = []
        for tier in campaign.tiers[:PRICED_REWARDS]:
            late = tier.late_amount
            price: discord.ui.TextInput[LatePledgesForm] = discord.ui.TextInput(
                required=False,
                max_length=AMOUNT_CHARS,
                # Opening again starts from the prices set before.
                default=str(late.to_major()) if late is not None else None,
            )
            self.add_item(
                discord.ui.Label(
                    text=cut(late_price_label(tier), INPUT_LABEL),
                    description=cut(late_price_hint(tier), INPUT_DESCRIPTION),
                    component=price,
                )
            )
            self.prices.append(price)

    async def on_submit(self, interaction: BackitInteraction, /) -> None:  # type: ignore[override]
        """Open late pledges with what was typed, and say until when and for what."""

        async def work(caller: Caller) -> Reply:
            services = interaction.client.services
            days = late_days(self.days.value)
            prices = {
                tier.id: custom_amount(field.value, self.campaign, services.limits)
                for tier, field in zip(self.campaign.tiers, self.prices, strict=False)
                if field.value.strip()
            }
            opened = await open_late_pledges(
                services.uows,
                services.clock,
                services.limits,
                services.operators,
                caller,
                self.campaign.id,
                days,
                prices,
            )
            return text_reply(Said(late_pledges_opened(opened)), private=True)

        await answer(interaction, Mode.PRIVATE, work)


async def open_late_button(interaction: BackitInteraction, intent: OpenLatePledges) -> None:
    """A dashboard's "Open late pledges": the form, once core agrees the campaign may take
    them."""

    async def build(caller: Caller) -> discord.ui.Modal:
        services = interaction.client.services
        campaign = await late_campaign(
            services.uows, services.operators, caller, intent.campaign_id
        )
        return LatePledgesForm(campaign)

    await open_form(interaction, build)
