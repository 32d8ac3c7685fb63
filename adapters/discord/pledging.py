"""Backing: a reward button's personal pledge link, and an amount typed in a form."""

from __future__ import annotations

import discord

from adapters.discord.answering import answer, open_form
from adapters.discord.callers import BackitInteraction
from adapters.discord.drafts import LIFETIME
from adapters.discord.limits import INPUT_DESCRIPTION, INPUT_LABEL, MODAL_TITLE, cut
from adapters.discord.notices import private_notice
from adapters.discord.replies import Mode, Reply
from adapters.discord.views import text_reply
from core.i18n import gettext
from core.identity import Caller
from core.payments import PaymentUnavailable
from core.usecases.pledging import custom_amount, offer_pledge
from core.views.intents import Pledge, PledgeCustom
from core.views.pledge_changes import already_backed
from core.views.pledge_offers import amount_label, amount_offer, amount_range, reward_offer

# Long enough for any amount a person types, with its separators.
AMOUNT_CHARS = 20


async def pledge_button(interaction: BackitInteraction, intent: Pledge) -> None:
    """A reward button: that member's own signed pledge link, in a message only they see."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        offer = await offer_pledge(
            services.uows,
            services.clock,
            caller,
            intent.campaign_id,
            intent.tier_id,
            intent.secret_code,
        )
        assert offer.tier is not None, "a reward button names its tier"
        url = services.personal_link(offer.backer.id, offer.campaign.id, offer.tier.id)
        if url is None:
            raise PaymentUnavailable()
        now = services.clock.now()
        if offer.backed is not None:
            return private_notice(
                already_backed(offer.backed, offer.campaign, offer.tier, url, now)
            )
        offered = reward_offer(offer.campaign, offer.tier, now, url)
        return text_reply(offered, private=True)

    await answer(interaction, Mode.PRIVATE, work)


class AmountForm(discord.ui.Modal):
    """How much to pledge without a reward; checked by core when submitted."""

    def __init__(self, campaign_id: int, bounds: str) -> None:
        super().__init__(
            title=cut(gettext("Pledge without a reward"), MODAL_TITLE), timeout=LIFETIME
        )
        self.campaign_id = campaign_id
        self.amount: discord.ui.TextInput[AmountForm] = discord.ui.TextInput(
            placeholder="25", max_length=AMOUNT_CHARS
        )
        self.add_item(
            discord.ui.Label(
                text=cut(amount_label(), INPUT_LABEL),
                description=cut(bounds, INPUT_DESCRIPTION),
                component=self.amount,
            )
        )

    async def on_submit(self, interaction: BackitInteraction, /) -> None:  # type: ignore[override]
        """Check the amount and give the member their own pledge link for it."""

        async def work(caller: Caller) -> Reply:
            services = interaction.client.services
            offer = await offer_pledge(
                services.uows, services.clock, caller, self.campaign_id, None
            )
            amount = custom_amount(self.amount.value, offer.campaign, services.limits)
            url = services.personal_link(offer.backer.id, offer.campaign.id, None, amount.amount)
            if url is None:
                raise PaymentUnavailable()
            return text_reply(amount_offer(offer.campaign, amount, url), private=True)

        await answer(interaction, Mode.PRIVATE, work)


async def custom_button(interaction: BackitInteraction, intent: PledgeCustom) -> None:
    """ "Pledge without a reward": a form asking the amount, and saying what it may be."""

    async def build(caller: Caller) -> discord.ui.Modal:
        services = interaction.client.services
        # A campaign that closed since its card was posted says so instead of opening the form.
        offer = await offer_pledge(services.uows, services.clock, caller, intent.campaign_id, None)
        maximum = services.limits.maximum(offer.campaign.goal.currency)
        return AmountForm(intent.campaign_id, amount_range(offer.campaign, maximum))

    await open_form(interaction, build)
