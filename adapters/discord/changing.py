"""Changing one's pledge from its card: the rewards to move to, another amount, the move."""

from __future__ import annotations

import discord

from adapters.discord.answering import answer, open_form
from adapters.discord.callers import BackitInteraction
from adapters.discord.drafts import LIFETIME
from adapters.discord.limits import INPUT_DESCRIPTION, INPUT_LABEL, MODAL_TITLE, cut
from adapters.discord.notices import private_notice
from adapters.discord.pledging import AMOUNT_CHARS
from adapters.discord.replies import Mode, Reply
from core.i18n import gettext
from core.identity import Caller
from core.usecases.changing import ChangeRequest, change_pledge, pledge_to_change, with_amount
from core.usecases.pledging import custom_amount
from core.views.intents import ChangeAmount, ChangePledge, ChangeTo
from core.views.pledge_changes import amount_rule, change_choices, change_reply
from core.views.pledge_offers import amount_label


async def change_button(interaction: BackitInteraction, intent: ChangePledge) -> None:
    """ "Change my pledge": the other rewards, in a message only the member sees."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        found = await pledge_to_change(services.uows, services.clock, caller, intent.pledge_id)
        return private_notice(change_choices(found.pledge, found.campaign, services.clock.now()))

    await answer(interaction, Mode.PRIVATE, work)


async def change_to_button(interaction: BackitInteraction, intent: ChangeTo) -> None:
    """A reward chosen for the pledge: moved there once, however often it is pressed."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        request = ChangeRequest(caller, intent.pledge_id, intent.tier_id)
        change = await change_pledge(
            services.uows, services.clock, services.gateway, services.limits, request
        )
        return private_notice(change_reply(change, services.top_up_url(change)))

    await answer(interaction, Mode.PRIVATE, work)


class ChangeAmountForm(discord.ui.Modal):
    """Another amount for a pledge; checked by core when submitted."""

    def __init__(self, pledge_id: int, rule: str | None) -> None:
        super().__init__(title=cut(gettext("Another amount"), MODAL_TITLE), timeout=LIFETIME)
        self.pledge_id = pledge_id
        self.amount: discord.ui.TextInput[ChangeAmountForm] = discord.ui.TextInput(
            placeholder="25", max_length=AMOUNT_CHARS
        )
        self.add_item(
            discord.ui.Label(
                text=cut(amount_label(), INPUT_LABEL),
                description=cut(rule, INPUT_DESCRIPTION) if rule else None,
                component=self.amount,
            )
        )

    async def on_submit(self, interaction: BackitInteraction, /) -> None:  # type: ignore[override]
        """Change the pledge to the amount typed, and say what it now is."""

        async def work(caller: Caller) -> Reply:
            services = interaction.client.services
            found = await pledge_to_change(services.uows, services.clock, caller, self.pledge_id)
            amount = custom_amount(self.amount.value, found.campaign, services.limits)
            request = with_amount(caller, found.pledge, found.campaign, amount)
            change = await change_pledge(
                services.uows, services.clock, services.gateway, services.limits, request
            )
            return private_notice(change_reply(change, services.top_up_url(change)))

        await answer(interaction, Mode.PRIVATE, work)


async def change_amount_button(interaction: BackitInteraction, intent: ChangeAmount) -> None:
    """ "Another amount": a form asking it, once core agrees the pledge may change."""

    async def build(caller: Caller) -> discord.ui.Modal:
        services = interaction.client.services
        found = await pledge_to_change(services.uows, services.clock, caller, intent.pledge_id)
        return ChangeAmountForm(found.pledge.id, amount_rule(found.pledge, found.campaign))

    await open_form(interaction, build)
