"""Review: /submit and a draft's Submit button for creators; Approve, and Request changes with
its form asking why, for operators."""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.answering import answer, open_form
from adapters.discord.browsing import campaign_names
from adapters.discord.callers import BackitInteraction
from adapters.discord.drafts import LIFETIME
from adapters.discord.limits import INPUT_LABEL, MODAL_TITLE, cut
from adapters.discord.replies import Mode, Reply
from adapters.discord.views import text_reply
from core.i18n import N_, gettext
from core.identity import Caller
from core.usecases.choosing import Choice, Purpose
from core.usecases.reviewing import REASON_MAX, approve, request_changes, submit, to_review
from core.views.intents import Approve, RequestChanges, SubmitForReview
from core.views.reviews import approved, changes_sent, reason_label, submitted


async def _submitted(interaction: BackitInteraction, caller: Caller, choice: Choice) -> Reply:
    services = interaction.client.services
    submission = await submit(
        services.uows, services.clock, services.operators, caller.identity, choice
    )
    return text_reply(submitted(submission), private=True)


@app_commands.command(name=N_("submit"), description=N_("Send your draft for review"))
@app_commands.rename(name=N_("name"))
@app_commands.describe(name=N_("The campaign: type to search the titles"))
# The drafts a member may send: their own.
@app_commands.autocomplete(name=campaign_names(Purpose.SUBMIT))
async def submit_command(interaction: BackitInteraction, name: str) -> None:
    """/submit <name>: the member's draft sent for an operator's review; the answer is for
    them alone."""

    async def work(caller: Caller) -> Reply:
        return await _submitted(interaction, caller, name)

    await answer(interaction, Mode.PRIVATE, work)


async def submit_button(interaction: BackitInteraction, intent: SubmitForReview) -> None:
    """A draft's dashboard button: Submit for review."""

    async def work(caller: Caller) -> Reply:
        return await _submitted(interaction, caller, intent.campaign_id)

    await answer(interaction, Mode.PRIVATE, work)


async def approve_button(interaction: BackitInteraction, intent: Approve) -> None:
    """An operator's Approve: the campaign published, its creator told (core checks that the
    member is an operator)."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        decision = await approve(
            services.uows,
            services.clock,
            services.operators,
            caller.identity,
            intent.campaign_id,
            services.terms,
        )
        return text_reply(approved(decision), private=True)

    await answer(interaction, Mode.PRIVATE, work)


class ReasonForm(discord.ui.Modal):
    """Why a campaign in review needs changes; checked by core when submitted."""

    def __init__(self, campaign_id: int, title: str) -> None:
        heading = gettext("Changes for “{title}”").format(title=title)
        super().__init__(title=cut(heading, MODAL_TITLE), timeout=LIFETIME)
        self.campaign_id = campaign_id
        self.reason: discord.ui.TextInput[ReasonForm] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph, max_length=REASON_MAX
        )
        self.add_item(
            discord.ui.Label(text=cut(reason_label(), INPUT_LABEL), component=self.reason)
        )

    async def on_submit(self, interaction: BackitInteraction, /) -> None:  # type: ignore[override]
        """Send the campaign back to its creator with the reason typed."""

        async def work(caller: Caller) -> Reply:
            services = interaction.client.services
            decision = await request_changes(
                services.uows,
                services.clock,
                services.operators,
                caller.identity,
                self.campaign_id,
                self.reason.value,
            )
            return text_reply(changes_sent(decision), private=True)

        await answer(interaction, Mode.PRIVATE, work)


async def request_changes_button(interaction: BackitInteraction, intent: RequestChanges) -> None:
    """An operator's Request changes: a form asking why, once core agrees they may decide."""

    async def build(caller: Caller) -> discord.ui.Modal:
        services = interaction.client.services
        campaign = await to_review(
            services.uows, services.operators, caller.identity, intent.campaign_id
        )
        return ReasonForm(campaign.id, campaign.title)

    await open_form(interaction, build)
