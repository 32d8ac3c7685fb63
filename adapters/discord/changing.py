"""Changing one's pledge from its card: the rewards to move to, and the move itself."""

from __future__ import annotations

from adapters.discord.answering import answer
from adapters.discord.callers import BackitInteraction
from adapters.discord.notices import private_notice
from adapters.discord.replies import Mode, Reply
from core.identity import Caller
from core.usecases.changing import ChangeRequest, change_pledge, pledge_to_change
from core.views.intents import Intent
from core.views.pledge_changes import change_choices, change_result


async def change_button(interaction: BackitInteraction, intent: Intent) -> None:
    """ "Change my pledge": the other rewards, in a message only the member sees."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        found = await pledge_to_change(services.uows, services.clock, caller, intent.int_arg(0))
        return private_notice(change_choices(found.pledge, found.campaign, services.clock.now()))

    await answer(interaction, Mode.PRIVATE, work)


async def change_to_button(interaction: BackitInteraction, intent: Intent) -> None:
    """A reward chosen for the pledge: moved there once, however often it is pressed."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        request = ChangeRequest(caller, intent.int_arg(0), intent.int_arg(1))
        change = await change_pledge(services.uows, services.clock, services.limits, request)
        return private_notice(change_result(change.pledge, change.campaign, change.changed))

    await answer(interaction, Mode.PRIVATE, work)
