"""/update: a creator writes an update, previews it, picks its audience and sends it."""

from __future__ import annotations

import re
import warnings
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from adapters.telegram.callers import caller_of, is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.limits import BUTTON_LABEL_LIMIT, TEXT_LIMIT, cut
from adapters.telegram.picking import offer, typed
from adapters.telegram.render import Rendered
from adapters.telegram.sending import send
from core.errors import DomainError
from core.i18n import gettext, use_locale
from core.identity import Caller
from core.updates import UpdateAudience
from core.usecases.choosing import Choice, Purpose
from core.usecases.updating import campaign_to_update, post_update, update_reach, update_text
from core.views.intents import Pick, PostUpdate, StaleButton, decode
from core.views.pickers import pick_intent
from core.views.updates import update_discarded, update_preview, update_sent

WRITING, CHOOSING = range(2)
# The conversation's own buttons; core's intents never start with this prefix.
PREFIX = "upd:"
CANCEL = f"{PREFIX}cancel"
DRAFT = "update_draft"
# A campaign picked from the list /update offers: the conversation's way in, besides /update.
PICKED_UPDATE = re.escape(pick_intent(Purpose.UPDATE, 0).encode().removesuffix("0"))


async def begin(update: Update, context: BackitContext) -> int:
    """/update [name]: check the caller may post, then ask for the text; given no name, offer
    the caller's campaigns to pick from."""
    caller = await caller_of(update, context)
    with use_locale(caller.locale):
        if not is_private(update):
            await tell(update, gettext("Write updates to me in a private chat."))
            return ConversationHandler.END
        if not typed(context):
            await offer(update, context, caller, Purpose.UPDATE)
            return ConversationHandler.END
        return await _ask_for_text(update, context, caller, typed(context))


async def campaign_chosen(update: Update, context: BackitContext) -> int:
    """A campaign picked after /update, or a dashboard's "Post an update": as if it had been
    named."""
    caller = await caller_of(update, context)
    query = update.callback_query
    assert query is not None
    with use_locale(caller.locale):
        try:
            intent = decode(query.data or "")
            if not isinstance(intent, Pick | PostUpdate):
                raise StaleButton()
        except DomainError as error:
            await tell(update, error.user_message())
            return ConversationHandler.END
        await query.answer()
        if isinstance(intent, Pick):
            # The picker becomes the question, so nobody picks from it again by mistake.
            await query.edit_message_reply_markup(None)
        return await _ask_for_text(update, context, caller, intent.campaign_id)


async def _ask_for_text(
    update: Update, context: BackitContext, caller: Caller, choice: Choice
) -> int:
    services = context.services
    try:
        campaign = await campaign_to_update(
            services.uows, services.operators, caller.identity, choice
        )
    except DomainError as error:
        await tell(update, error.user_message())
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data[DRAFT] = {"campaign_id": campaign.id, "title": campaign.title}
    ask = gettext("Send the text of your update for “{title}”. /cancel to stop.")
    chat = update.effective_chat
    assert chat is not None
    # A message of its own, also after a button (whose press `tell` would answer).
    await send(context, chat.id, Rendered(escape(ask.format(title=campaign.title)), None))
    return WRITING


async def written(update: Update, context: BackitContext) -> int:
    """The text: checked, shown as a preview, and the audience asked for."""
    caller = await caller_of(update, context)
    message = update.effective_message
    assert message is not None
    assert context.user_data is not None
    with use_locale(caller.locale):
        try:
            text = update_text(message.text or "")
        except DomainError as error:
            await tell(update, error.user_message())
            return WRITING
        draft: dict[str, Any] = context.user_data[DRAFT]
        draft["text"] = text
        reach = await update_reach(context.services.uows, draft["campaign_id"])
        preview = update_preview(draft["title"], reach)
        head = f"<b>{escape(preview.heading)}</b>"
        if preview.warning:
            head += f"\n\n⚠️ {escape(preview.warning)}"
        # A preview only: the update itself is delivered whole, split where it must be.
        body = escape(cut(text, TEXT_LIMIT - len(head) - 10))
        choices = [(label, f"{PREFIX}{audience}") for audience, label in preview.choices]
        choices.append((preview.cancel, CANCEL))
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(cut(label, BUTTON_LABEL_LIMIT), callback_data=data)]
                for label, data in choices
            ]
        )
        await message.reply_text(
            f"{head}\n\n{body}", parse_mode=ParseMode.HTML, reply_markup=markup
        )
        return CHOOSING


async def chosen(update: Update, context: BackitContext) -> int:
    """The audience button: post the update through core, or drop it."""
    caller = await caller_of(update, context)
    query = update.callback_query
    assert query is not None
    assert context.user_data is not None
    with use_locale(caller.locale):
        draft: dict[str, Any] = context.user_data.pop(DRAFT, {})
        if query.data == CANCEL or "text" not in draft:
            await query.answer(update_discarded())
            await query.edit_message_reply_markup(None)
            return ConversationHandler.END
        audience = UpdateAudience((query.data or "").removeprefix(PREFIX))
        services = context.services
        try:
            posted = await post_update(
                services.uows(),
                services.clock,
                services.operators,
                caller.identity,
                draft["campaign_id"],
                draft["text"],
                audience,
                # The dispatcher keeps one message here up to date with the delivery count.
                report_chat=str(query.from_user.id),
            )
        except DomainError as error:
            await tell(update, error.user_message())
            return ConversationHandler.END
        await query.answer()
        await query.edit_message_reply_markup(None)
        # The query is answered already; the confirmation is a message of its own.
        await context.bot.send_message(query.from_user.id, update_sent(posted.queued))
        return ConversationHandler.END


async def cancelled(update: Update, context: BackitContext) -> int:
    """/cancel: drop the draft."""
    caller = await caller_of(update, context)
    assert context.user_data is not None
    context.user_data.pop(DRAFT, None)
    with use_locale(caller.locale):
        await tell(update, update_discarded())
    return ConversationHandler.END


def update_conversation() -> ConversationHandler[BackitContext]:
    """The conversation, to register before the general button handler."""
    with warnings.catch_warnings():
        # PTB warns that buttons are then tracked per chat and user, not per message:
        # that is what this conversation wants (one draft per creator at a time).
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler("update", begin),
                CallbackQueryHandler(campaign_chosen, pattern=f"^{PICKED_UPDATE}"),
                # Every button of that action: a malformed one is answered as stale here.
                CallbackQueryHandler(campaign_chosen, pattern=f"^{PostUpdate.code}(?::|$)"),
            ],
            states={
                WRITING: [MessageHandler(filters.TEXT & ~filters.COMMAND, written)],
                CHOOSING: [CallbackQueryHandler(chosen, pattern=f"^{PREFIX}")],
            },
            fallbacks=[CommandHandler("cancel", cancelled)],
            # /update again while writing starts over, as /newcampaign does, instead of silence.
            allow_reentry=True,
            name="update",
        )
