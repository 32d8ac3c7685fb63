"""Every inline button press: decoded into an intent and handed to its handler."""

from __future__ import annotations

from telegram import Update

from adapters.telegram import account, browsing, following, pledging
from adapters.telegram.callers import for_caller
from adapters.telegram.context import BackitContext
from core.errors import CampaignNotFound
from core.identity import Caller
from core.views.intents import (
    Browse,
    CancelPledge,
    Categories,
    ConfirmCancel,
    Follow,
    Intent,
    KeepPledge,
    Language,
    Pledge,
    PledgeCustom,
    Show,
    StaleButton,
    Unfollow,
    decode,
)


async def _run(update: Update, context: BackitContext, caller: Caller, intent: Intent) -> None:
    """Hand the intent to the handler of its kind."""
    match intent:
        case Browse():
            await browsing.browse_button(update, context, caller, intent)
        case Categories():
            await browsing.categories_button(update, context, caller, intent)
        case Show():
            await browsing.show_button(update, context, caller, intent)
        case Pledge():
            await pledging.pledge_button(update, context, caller, intent)
        case PledgeCustom():
            await pledging.custom_button(update, context, caller, intent)
        case Follow() | Unfollow():
            await following.follow_button(update, context, caller, intent)
        case CancelPledge():
            await account.cancel_button(update, context, caller, intent)
        case ConfirmCancel():
            await account.confirm_cancel_button(update, context, caller, intent)
        case KeepPledge():
            await account.keep_button(update, context, caller, intent)
        case Language():
            await account.language_button(update, context, caller, intent)
        case _:
            raise StaleButton()


@for_caller
async def button(update: Update, context: BackitContext, caller: Caller) -> None:
    """Run the pressed button's intent; stale or malformed data gets a short explanation."""
    query = update.callback_query
    assert query is not None
    # Decoding raises StaleButton, which for_caller turns into a short answer.
    intent = decode(query.data or "")
    # Each handler answers the query itself, exactly once (Telegram refuses a second answer).
    try:
        await _run(update, context, caller, intent)
    except CampaignNotFound:
        # Buttons name campaigns by id, which means nothing to the person: the button is stale.
        raise StaleButton() from None
