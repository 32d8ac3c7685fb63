"""/launchdate: a creator names a campaign not yet live, then says when it launches."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from adapters.telegram.callers import caller_of, is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.picking import typed
from core.errors import DomainError
from core.i18n import gettext, use_locale
from core.usecases.launch_dates import campaign_to_launch, set_launch
from core.views.launch_dates import launch_question, launch_set

WAITING = 0
# The slug of the campaign whose launch is awaited.
CAMPAIGN = "launch_campaign"


async def begin(update: Update, context: BackitContext) -> int:
    """/launchdate name: check the caller may move the campaign's launch, then ask when."""
    caller = await caller_of(update, context)
    with use_locale(caller.locale):
        if not is_private(update):
            await tell(update, gettext("Choose launch dates in a private chat."))
            return ConversationHandler.END
        if not typed(context):
            await tell(update, gettext("Name the campaign: /launchdate followed by its name."))
            return ConversationHandler.END
        try:
            campaign = await campaign_to_launch(
                context.services.uows(), caller.identity, typed(context)
            )
        except DomainError as error:
            await tell(update, error.user_message())
            return ConversationHandler.END
        assert context.user_data is not None
        context.user_data[CAMPAIGN] = campaign.slug
        await tell(update, launch_question(campaign.title))
        return WAITING


async def received(update: Update, context: BackitContext) -> int:
    """The moment: the campaign's run moved to start then, or the reason it cannot (and the
    moment awaited again)."""
    caller = await caller_of(update, context)
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    assert context.user_data is not None
    services = context.services
    with use_locale(caller.locale):
        try:
            campaign = await set_launch(
                services.uows,
                services.clock,
                caller.identity,
                context.user_data[CAMPAIGN],
                message.text,
            )
        except DomainError as error:
            await tell(update, error.user_message())
            return WAITING
        context.user_data.pop(CAMPAIGN, None)
        await tell(update, launch_set(campaign, services.clock.now()))
        return ConversationHandler.END


async def cancelled(update: Update, context: BackitContext) -> int:
    """/cancel: the launch stays as it was."""
    caller = await caller_of(update, context)
    assert context.user_data is not None
    context.user_data.pop(CAMPAIGN, None)
    with use_locale(caller.locale):
        await tell(update, gettext("The launch date is unchanged."))
    return ConversationHandler.END


def launch_conversation() -> ConversationHandler[BackitContext]:
    """The conversation, to register before the general text handler."""
    return ConversationHandler(
        entry_points=[CommandHandler("launchdate", begin)],
        states={WAITING: [MessageHandler(filters.TEXT & ~filters.COMMAND, received)]},
        fallbacks=[CommandHandler("cancel", cancelled)],
        allow_reentry=True,
        name="launch",
    )
