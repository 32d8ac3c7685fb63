"""Sending and editing rendered views: photos with captions, or HTML text."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from adapters.telegram.context import BackitContext
from adapters.telegram.render import Rendered

log = logging.getLogger(__name__)


async def send(context: BackitContext, chat_id: int, rendered: Rendered) -> Message:
    """Send a view to a chat: as a photo with a caption when it has an image."""
    if rendered.photo is not None:
        try:
            return await context.bot.send_photo(
                chat_id,
                rendered.photo,
                caption=rendered.html,
                parse_mode=ParseMode.HTML,
                reply_markup=rendered.keyboard,
            )
        except BadRequest as error:
            # An image Telegram cannot fetch should not cost the person the card itself.
            log.warning("photo refused (%s); sending the card as text", error.message)
    return await context.bot.send_message(
        chat_id,
        rendered.html,
        parse_mode=ParseMode.HTML,
        reply_markup=rendered.keyboard,
        link_preview_options=None,
    )


async def edit_or_send(update: Update, context: BackitContext, rendered: Rendered) -> None:
    """Replace the pressed message's text in place, or send a new one when it cannot be edited."""
    query = update.callback_query
    message = query.message if query is not None else None
    if isinstance(message, Message) and message.text is not None and rendered.photo is None:
        try:
            await message.edit_text(
                rendered.html, parse_mode=ParseMode.HTML, reply_markup=rendered.keyboard
            )
            return
        except BadRequest as error:
            if "not modified" in error.message:
                return
            raise
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, rendered)
