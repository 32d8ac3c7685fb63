"""A member's own things: the campaigns they follow, their pledges, their language."""

from __future__ import annotations

from dataclasses import replace

from discord import app_commands

from adapters.chat_services import ChatServices
from adapters.discord.answering import answer
from adapters.discord.callers import BackitInteraction
from adapters.discord.limits import CONTENT, fit
from adapters.discord.replies import Mode, Reply
from adapters.discord.views import list_reply, text_reply
from core.i18n import N_
from core.identity import Caller
from core.payments import PaymentUnavailable
from core.usecases.backers import choose_language
from core.usecases.cancelling import cancel_pledge, pledge_to_cancel
from core.usecases.following import following as followed
from core.usecases.pledging import my_pledges
from core.views.cancelling import cancel_question, cancelled, kept
from core.views.intents import CancelPledge, ConfirmCancel, KeepPledge
from core.views.languages import LANGUAGE_NAMES, language_chosen
from core.views.lists import following_page, pledges_page

LANGUAGES = [app_commands.Choice(name=name, value=code) for code, name in LANGUAGE_NAMES.items()]


@app_commands.command(name=N_("following"), description=N_("Campaigns you follow"))
async def following(interaction: BackitInteraction) -> None:
    """/following: the campaigns the member follows, for them alone."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        campaigns = await followed(services.uows(), caller)
        return list_reply(following_page(campaigns, services.clock.now()))

    await answer(interaction, Mode.PRIVATE, work)


async def _pledges(services: ChatServices, caller: Caller) -> Reply:
    pledges = await my_pledges(services.uows(), caller)
    return list_reply(pledges_page(pledges, services.clock.now()))


@app_commands.command(name=N_("mypledges"), description=N_("Your pledges"))
async def mypledges(interaction: BackitInteraction) -> None:
    """/mypledges: every pledge with its status, and cancelling where the rules allow."""

    async def work(caller: Caller) -> Reply:
        return await _pledges(interaction.client.services, caller)

    await answer(interaction, Mode.PRIVATE, work)


async def cancel_button(interaction: BackitInteraction, intent: CancelPledge) -> None:
    """First press on "Cancel": ask, with the amount and campaign, since money may be refunded."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        pledge, campaign = await pledge_to_cancel(
            services.uows, services.clock, caller, intent.pledge_id
        )
        return text_reply(cancel_question(pledge, campaign))

    await answer(interaction, Mode.PRIVATE, work)


async def confirm_cancel_button(interaction: BackitInteraction, intent: ConfirmCancel) -> None:
    """ "Cancel pledge": cancel through core, and show the pledges as they are now."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        if services.gateway is None:
            raise PaymentUnavailable()
        await cancel_pledge(
            services.uows, services.clock, services.gateway, caller, intent.pledge_id
        )
        pledges = await _pledges(services, caller)
        return replace(pledges, content=fit(cancelled().text, CONTENT))

    await answer(interaction, Mode.EDIT, work)


async def keep_button(interaction: BackitInteraction, intent: KeepPledge) -> None:
    """ "Keep it": the question gives way to the answer, and nothing changes."""

    async def work(caller: Caller) -> Reply:
        return text_reply(kept())

    await answer(interaction, Mode.EDIT, work)


@app_commands.command(name=N_("language"), description=N_("Choose your language"))
@app_commands.rename(language=N_("language"))
@app_commands.describe(language=N_("The language I answer you in"))
@app_commands.choices(language=LANGUAGES)
async def language(interaction: BackitInteraction, language: str) -> None:
    """/language: answer in this language, whatever the member's app says."""

    async def work(caller: Caller) -> Reply:
        await choose_language(interaction.client.services.uows(), caller, language)
        return text_reply(language_chosen(language), private=True)

    await answer(interaction, Mode.PRIVATE, work)
