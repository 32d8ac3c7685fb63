"""/launchdate: a creator names a campaign not yet live, then says when it launches."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from adapters.telegram.callers import caller_of, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.named_campaign import WAITING, NamedCampaignAsk
from core.errors import DomainError
from core.i18n import N_, use_locale
from core.usecases.launch_dates import campaign_to_launch, set_launch
from core.views.launch_dates import launch_question, launch_set

ASK = NamedCampaignAsk(
    key="launch_campaign",
    private_only=N_("Choose launch dates in a private chat."),
    usage=N_("Name the campaign: /launchdate followed by its name."),
    unchanged=N_("The launch date is unchanged."),
    check=campaign_to_launch,
    question=launch_question,
)


async def received(update: Update, context: BackitContext) -> int:
    """The moment: the campaign's run moved to start then, or the reason it cannot (and the
    moment awaited again)."""
    caller = await caller_of(update, context)
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    services = context.services
    with use_locale(caller.locale):
        try:
            campaign = await set_launch(
                services.uows, services.clock, caller.identity, ASK.campaign(context), message.text
            )
        except DomainError as error:
            await tell(update, error.user_message())
            return WAITING
        ASK.forget(context)
        await tell(update, launch_set(campaign, services.clock.now()))
        return ConversationHandler.END


def launch_conversation() -> ConversationHandler[BackitContext]:
    """The conversation, to register before the general text handler."""
    return ConversationHandler(
        entry_points=[CommandHandler("launchdate", ASK.begin)],
        states={WAITING: [MessageHandler(filters.TEXT & ~filters.COMMAND, received)]},
        fallbacks=[CommandHandler("cancel", ASK.cancelled)],
        allow_reentry=True,
        name="launch",
    )
