"""Following campaigns from their cards."""

from __future__ import annotations

from telegram import Message, Update

from adapters.telegram.browsing import private_card
from adapters.telegram.callers import is_private
from adapters.telegram.context import BackitContext
from adapters.telegram.limits import CALLBACK_ANSWER_LIMIT, cut
from adapters.telegram.referrals import referral_for
from adapters.telegram.sending import edit_or_send
from core.identity import Caller
from core.usecases.following import follow, unfollow
from core.views.following import followed, unfollowed
from core.views.intents import Follow, Unfollow


async def follow_button(
    update: Update, context: BackitContext, caller: Caller, intent: Follow | Unfollow
) -> None:
    """Follow or unfollow, then bring the card up to date in place, its button flipped."""
    services = context.services
    if isinstance(intent, Follow):
        detail = await follow(services.uows(), services.clock, caller, intent.campaign_id)
        answer = followed(detail.campaign)
    else:
        detail = await unfollow(services.uows(), caller, intent.campaign_id)
        answer = unfollowed(detail.campaign)
    query = update.callback_query
    assert query is not None
    await query.answer(cut(answer.text, CALLBACK_ANSWER_LIMIT))
    if not is_private(update) or not isinstance(query.message, Message):
        # A group's card is everyone's: it keeps offering Follow to the next person.
        return
    # The same card as first shown, the viewer's pledge and the link that brought them kept.
    card = await private_card(context, caller, detail, referral_for(context, detail.campaign.id))
    # A second tap that arrived before the first edit finds the card already saying so.
    await edit_or_send(update, context, card)
