"""A member's own things: the campaigns they follow, their pledges, their language."""

from __future__ import annotations

from dataclasses import replace

from discord import app_commands

from adapters.chat_services import ChatServices
from adapters.discord.answering import answer
from adapters.discord.callers import BackitInteraction
from adapters.discord.layout import components
from adapters.discord.limits import CONTENT, fit
from adapters.discord.replies import Mode, Reply, notice
from adapters.discord.views import list_reply
from core.i18n import N_, gettext, use_locale
from core.identity import Caller
from core.payments import PaymentUnavailable
from core.usecases.backers import choose_language
from core.usecases.cancelling import cancel_pledge
from core.usecases.following import following as followed
from core.usecases.pledging import my_pledges
from core.views.intents import Action, Intent
from core.views.lists import following_page, pledges_page
from core.views.model import Button

# Each language under its own name.
LANGUAGES = [
    app_commands.Choice(name="English", value="en"),
    app_commands.Choice(name="Français", value="fr"),
]


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


async def cancel_button(interaction: BackitInteraction, intent: Intent) -> None:
    """First press on "Cancel": ask for confirmation, since money may be refunded."""

    async def work(caller: Caller) -> Reply:
        pledge_id = str(intent.int_arg(0))
        confirm = Button(
            gettext("Yes, cancel my pledge"), Intent(Action.CONFIRM_CANCEL, (pledge_id,))
        )
        question = gettext("Cancel this pledge? A payment is refunded; a saved card is released.")
        return Reply(content=fit(question, CONTENT), view=components([[confirm]]))

    await answer(interaction, Mode.PRIVATE, work)


async def confirm_cancel_button(interaction: BackitInteraction, intent: Intent) -> None:
    """Second press: cancel through core, and show the pledges as they are now."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        if services.gateway is None:
            raise PaymentUnavailable()
        await cancel_pledge(
            services.uows, services.clock, services.gateway, caller, intent.int_arg(0)
        )
        pledges = await _pledges(services, caller)
        return replace(pledges, content=fit(gettext("Your pledge is cancelled."), CONTENT))

    await answer(interaction, Mode.EDIT, work)


@app_commands.command(name=N_("language"), description=N_("Choose your language"))
@app_commands.rename(language=N_("language"))
@app_commands.describe(language=N_("The language I answer you in"))
@app_commands.choices(language=LANGUAGES)
async def language(interaction: BackitInteraction, language: str) -> None:
    """/language: answer in this language, whatever the member's app says."""

    async def work(caller: Caller) -> Reply:
        await choose_language(interaction.client.services.uows(), caller, language)
        with use_locale(language):
            return notice(gettext("Done: I will speak English with you."))

    await answer(interaction, Mode.PRIVATE, work)
