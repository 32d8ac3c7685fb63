"""/cover: a creator names a campaign, then sends the picture that becomes its cover."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from adapters.telegram.callers import caller_of, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.cover_pictures import PICTURES, received_cover
from adapters.telegram.named_campaign import WAITING, NamedCampaignAsk
from core.errors import DomainError
from core.i18n import N_, use_locale
from core.usecases.covering import campaign_to_cover, set_cover
from core.views.covers import cover_question, cover_set, picture_expected

ASK = NamedCampaignAsk(
    key="cover_campaign",
    private_only=N_("Send me covers in a private chat."),
    usage=N_("Name the campaign: /cover followed by its name."),
    unchanged=N_("The cover is unchanged."),
    check=campaign_to_cover,
    question=cover_question,
)


async def received(update: Update, context: BackitContext) -> int:
    """The picture: made into the campaign's cover, or refused with the reason (and awaited
    again)."""
    caller = await caller_of(update, context)
    message = update.effective_message
    assert message is not None
    with use_locale(caller.locale):
        try:
            cover = await received_cover(message)
            campaign = await set_cover(
                context.services.uows(), caller.identity, ASK.campaign(context), cover
            )
        except DomainError as error:
            await tell(update, error.user_message())
            return WAITING
        ASK.forget(context)
        await tell(update, cover_set(campaign.title))
        return ConversationHandler.END


async def not_a_picture(update: Update, context: BackitContext) -> int:
    """Text where a picture is awaited: say so."""
    caller = await caller_of(update, context)
    with use_locale(caller.locale):
        await tell(update, picture_expected())
    return WAITING


def cover_conversation() -> ConversationHandler[BackitContext]:
    """The conversation, to register before the general text handler."""
    return ConversationHandler(
        entry_points=[CommandHandler("cover", ASK.begin)],
        states={
            WAITING: [
                MessageHandler(PICTURES, received),
                MessageHandler(filters.TEXT & ~filters.COMMAND, not_a_picture),
            ]
        },
        fallbacks=[CommandHandler("cancel", ASK.cancelled)],
        allow_reentry=True,
        name="cover",
    )
