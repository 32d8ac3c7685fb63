"""Following campaigns from their cards."""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import BadRequest

from adapters.telegram.callers import is_private
from adapters.telegram.context import BackitContext
from adapters.telegram.limits import CALLBACK_ANSWER_LIMIT, cut
from adapters.telegram.links import private_urls
from adapters.telegram.render import keyboard
from core.identity import Caller
from core.usecases.backers import remember
from core.usecases.following import follow, unfollow
from core.views.cards import campaign_card
from core.views.following import followed, unfollowed
from core.views.intents import Follow, Unfollow


async def follow_button(
    update: Update, context: BackitContext, caller: Caller, intent: Follow | Unfollow
) -> None:
    """Follow or unfollow, then flip the card's button in place."""
    services = context.services
    following = isinstance(intent, Follow)
    if following:
        campaign = await follow(services.uows(), services.clock, caller, intent.campaign_id)
        answer = followed(campaign)
    else:
        campaign = await unfollow(services.uows(), caller, intent.campaign_id)
        answer = unfollowed(campaign)
    query = update.callback_query
    assert query is not None
    await query.answer(cut(answer.text, CALLBACK_ANSWER_LIMIT))
    if not is_private(update) or not isinstance(query.message, Message):
        # A group's card is everyone's: it keeps offering Follow to the next person.
        return
    backer = await remember(services.uows, caller)
    card = campaign_card(campaign, services.clock.now(), following=following)
    try:
        await query.message.edit_reply_markup(
            keyboard(card.buttons, private_urls(context, backer.id, None))
        )
    except BadRequest as error:
        # A second tap that arrived before the first edit: the card already says so.
        if "not modified" not in error.message:
            raise
