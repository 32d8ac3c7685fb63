"""Following campaigns from their cards."""

from __future__ import annotations

from adapters.discord.answering import answer
from adapters.discord.callers import BackitInteraction
from adapters.discord.replies import Mode, Reply
from adapters.discord.views import campaign_reply, text_reply
from core.identity import Caller
from core.usecases.following import follow, unfollow
from core.views.following import followed, unfollowed
from core.views.intents import Follow, Unfollow


def _own_card(interaction: BackitInteraction) -> bool:
    """Whether the pressed card is the member's alone (ephemeral, or in their DMs)."""
    message = interaction.message
    return interaction.guild_id is None or (message is not None and message.flags.ephemeral)


async def follow_button(interaction: BackitInteraction, intent: Follow | Unfollow) -> None:
    """Follow or unfollow: the member's own card flips its button; a shared one answers them."""
    own = _own_card(interaction)

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        if isinstance(intent, Follow):
            detail = await follow(services.uows(), services.clock, caller, intent.campaign_id)
            done = followed(detail.campaign)
        else:
            detail = await unfollow(services.uows(), caller, intent.campaign_id)
            done = unfollowed(detail.campaign)
        if own:
            # The same card as first shown: the member's own pledge stays on it.
            return await campaign_reply(services, detail, own=True)
        return text_reply(done, private=True)

    await answer(interaction, Mode.EDIT if own else Mode.PRIVATE, work)
