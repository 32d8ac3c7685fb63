"""Every inline button press: decoded into an intent and handed to its handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from adapters.telegram import account, browsing, changing, following, pledging
from adapters.telegram.callers import for_caller
from adapters.telegram.context import BackitContext
from core.errors import CampaignNotFound
from core.identity import Caller
from core.views.intents import Action, Intent, StaleButton

ButtonHandler = Callable[[Update, BackitContext, Caller, Intent], Awaitable[None]]

HANDLERS: dict[Action, ButtonHandler] = {
    Action.BROWSE: browsing.browse_button,
    Action.CATEGORIES: browsing.categories_button,
    Action.SHOW: browsing.show_button,
    Action.PLEDGE: pledging.pledge_button,
    Action.PLEDGE_CUSTOM: pledging.custom_button,
    Action.FOLLOW: following.follow_button,
    Action.UNFOLLOW: following.follow_button,
    Action.CANCEL_PLEDGE: account.cancel_button,
    Action.CONFIRM_CANCEL: account.confirm_cancel_button,
    Action.LANGUAGE: account.language_button,
    Action.CHANGE_PLEDGE: changing.change_button,
    Action.CHANGE_TO: changing.change_to_button,
    Action.CHANGE_AMOUNT: changing.change_amount_button,
}


@for_caller
async def button(update: Update, context: BackitContext, caller: Caller) -> None:
    """Run the pressed button's intent; stale or malformed data gets a short explanation."""
    query = update.callback_query
    assert query is not None
    # Decoding raises StaleButton, which for_caller turns into a short answer.
    intent = Intent.decode(query.data or "")
    # Each handler answers the query itself, exactly once (Telegram refuses a second answer).
    try:
        await HANDLERS[intent.action](update, context, caller, intent)
    except CampaignNotFound:
        # Buttons name campaigns by id, which means nothing to the person: the button is stale.
        raise StaleButton() from None
