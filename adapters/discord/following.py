"""Following campaigns from their cards."""

from __future__ import annotations

from adapters.discord.answering import answer
from adapters.discord.callers import BackitInteraction
from adapters.discord.replies import Mode, Reply, notice
from adapters.discord.views import card_reply
from core.i18n import gettext
from core.identity import Caller
from core.usecases.following import follow, unfollow
from core.views.cards import campaign_card
from core.views.intents import Action, Intent


def _own_card(interaction: BackitInteraction) -> bool:
    """Whether the pressed card is the member's alone (ephemeral, or in their DMs)."""
    message = interaction.message
    return interaction.guild_id is None or (message is not None and message.flags.ephemeral)


async def follow_button(interaction: BackitInteraction, intent: Intent) -> None:
    """Follow or unfollow: the member's own card flips its button; a shared one answers them."""
    own = _own_card(interaction)

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        following = intent.action is Action.FOLLOW
        if following:
            campaign = await follow(services.uows(), services.clock, caller, intent.int_arg(0))
            done = gettext("You follow “{title}”: you will hear about its milestones.")
        else:
            campaign = await unfollow(services.uows(), caller, intent.int_arg(0))
            done = gettext("You no longer follow “{title}”.")
        if own:
            return card_reply(campaign_card(campaign, services.clock.now(), following=following))
        return notice(done.format(title=campaign.title))

    await answer(interaction, Mode.EDIT if own else Mode.PRIVATE, work)
