"""Every inline button press: decoded into an intent and handed to its handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from adapters.telegram import (
    account,
    browsing,
    changing,
    charts,
    community,
    creator,
    following,
    pledging,
    reviewing,
    update_archive,
)
from adapters.telegram.callers import for_caller
from adapters.telegram.context import BackitContext
from core.errors import CampaignNotFound
from core.identity import Caller
from core.usecases.choosing import Purpose
from core.views.intents import (
    Ambassadors,
    Approve,
    Browse,
    CancelPledge,
    Categories,
    ChangeAmount,
    ChangePledge,
    ChangeTo,
    ConfirmCancel,
    ExportBackers,
    Follow,
    FundingChart,
    Intent,
    KeepPledge,
    Language,
    Manage,
    Pick,
    Pledge,
    PledgeCustom,
    RequestChanges,
    Show,
    StaleButton,
    SubmitForReview,
    Unfollow,
    Updates,
    decode,
)
from core.views.pickers import picked

PickHandler = Callable[[Update, BackitContext, Caller, int], Awaitable[None]]

# A picked campaign, by the command it was picked for; /update's picks go to its conversation.
PICKED: dict[Purpose, PickHandler] = {
    Purpose.CAMPAIGN: browsing.campaign_picked,
    Purpose.LINK: community.link_picked,
    Purpose.UNLINK: community.unlink_picked,
    Purpose.AMBASSADORS: creator.ambassadors_picked,
    Purpose.UPDATES: update_archive.updates_picked,
    Purpose.SUBMIT: reviewing.submit_picked,
}


async def _picked(update: Update, context: BackitContext, caller: Caller, intent: Pick) -> None:
    purpose = picked(intent)
    if purpose not in PICKED:
        raise StaleButton()
    await PICKED[purpose](update, context, caller, intent.campaign_id)


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
        case FundingChart():
            await charts.chart_button(update, context, caller, intent)
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
        case Updates():
            await update_archive.updates_button(update, context, caller, intent)
        case Manage():
            await creator.manage_button(update, context, caller, intent)
        case Ambassadors():
            await creator.ambassadors_button(update, context, caller, intent)
        case ExportBackers():
            await creator.export_button(update, context, caller, intent)
        case Pick():
            await _picked(update, context, caller, intent)
        case ChangePledge():
            await changing.change_button(update, context, caller, intent)
        case ChangeTo():
            await changing.change_to_button(update, context, caller, intent)
        case ChangeAmount():
            await changing.change_amount_button(update, context, caller, intent)
        case SubmitForReview():
            await reviewing.submit_button(update, context, caller, intent)
        case Approve():
            await reviewing.approve_button(update, context, caller, intent)
        case RequestChanges():
            await reviewing.request_changes_button(update, context, caller, intent)
        case _:
            # A post-update button is the /update conversation's, which handles it first.
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
