"""Every inline button press: decoded into an intent and handed to its handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from adapters.telegram import (
    account,
    browsing,
    changing,
    community,
    creator,
    following,
    pledging,
    update_archive,
)
from adapters.telegram.callers import for_caller
from adapters.telegram.context import BackitContext
from core.errors import CampaignNotFound
from core.identity import Caller
from core.usecases.choosing import Purpose
from core.views.intents import Action, Intent, StaleButton
from core.views.pickers import picked

ButtonHandler = Callable[[Update, BackitContext, Caller, Intent], Awaitable[None]]
PickHandler = Callable[[Update, BackitContext, Caller, int], Awaitable[None]]

# A picked campaign, by the command it was picked for; /update's picks go to its conversation.
PICKED: dict[Purpose, PickHandler] = {
    Purpose.CAMPAIGN: browsing.campaign_picked,
    Purpose.LINK: community.link_picked,
    Purpose.UNLINK: community.unlink_picked,
    Purpose.AMBASSADORS: creator.ambassadors_picked,
    Purpose.UPDATES: update_archive.updates_picked,
}


async def _picked(update: Update, context: BackitContext, caller: Caller, intent: Intent) -> None:
    purpose, campaign_id = picked(intent)
    if purpose not in PICKED:
        raise StaleButton()
    await PICKED[purpose](update, context, caller, campaign_id)


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
    Action.UPDATES: update_archive.updates_button,
    Action.MANAGE: creator.manage_button,
    Action.AMBASSADORS: creator.ambassadors_button,
    Action.PICK: _picked,
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
