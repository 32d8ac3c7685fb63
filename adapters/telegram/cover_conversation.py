"""/cover: a creator names a campaign, then sends the picture that becomes its cover."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from adapters.telegram.callers import caller_of, is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.cover_pictures import PICTURES, received_cover
from adapters.telegram.picking import typed
from core.errors import DomainError
from core.i18n import gettext, use_locale
from core.usecases.covering import campaign_to_cover, set_cover
from core.views.covers import cover_question, cover_set, picture_expected

WAITING = 0
# The slug of the campaign whose cover is awaited.
CAMPAIGN = "cover_campaign"


async def begin(update: Update, context: BackitContext) -> int:
    """/cover name: check the caller made the campaign, then ask for the picture."""
    caller = await caller_of(update, context)
    with use_locale(caller.locale):
        if not is_private(update):
            await tell(update, gettext("Send me covers in a private chat."))
            return ConversationHandler.END
        if not typed(context):
            await tell(update, gettext("Name the campaign: /cover followed by its name."))
            return ConversationHandler.END
        try:
            campaign = await campaign_to_cover(
                context.services.uows(), caller.identity, typed(context)
            )
        except DomainError as error:
            await tell(update, error.user_message())
            return ConversationHandler.END
        assert context.user_data is not None
        context.user_data[CAMPAIGN] = campaign.slug
        await tell(update, cover_question(campaign.title))
        return WAITING


async def received(update: Update, context: BackitContext) -> int:
    """The picture: made into the campaign's cover, or refused with the reason (and awaited
    again)."""
    caller = await caller_of(update, context)
    message = update.effective_message
    assert message is not None
    assert context.user_data is not None
    with use_locale(caller.locale):
        try:
            cover = await received_cover(message)
            campaign = await set_cover(
                context.services.uows(), caller.identity, context.user_data[CAMPAIGN], cover
            )
        except DomainError as error:
            await tell(update, error.user_message())
            return WAITING
        context.user_data.pop(CAMPAIGN, None)
        await tell(update, cover_set(campaign.title))
        return ConversationHandler.END


async def not_a_picture(update: Update, context: BackitContext) -> int:
    """Text where a picture is awaited: say so."""
    caller = await caller_of(update, context)
    with use_locale(caller.locale):
        await tell(update, picture_expected())
    return WAITING


async def cancelled(update: Update, context: BackitContext) -> int:
    """/cancel: the cover stays as it was."""
    caller = await caller_of(update, context)
    assert context.user_data is not None
    context.user_data.pop(CAMPAIGN, None)
    with use_locale(caller.locale):
        await tell(update, gettext("The cover is unchanged."))
    return ConversationHandler.END


def cover_conversation() -> ConversationHandler[BackitContext]:
    """The conversation, to register before the general text handler."""
    return ConversationHandler(
        entry_points=[CommandHandler("cover", begin)],
        states={
            WAITING: [
                MessageHandler(PICTURES, received),
                MessageHandler(filters.TEXT & ~filters.COMMAND, not_a_picture),
            ]
        },
        fallbacks=[CommandHandler("cancel", cancelled)],
        allow_reentry=True,
        name="cover",
    )
