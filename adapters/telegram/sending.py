"""Sending and editing rendered views: cards as their picture with a caption, or HTML text."""

from __future__ import annotations

from telegram import InputFile, InputMediaPhoto, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from adapters.telegram.context import BackitContext
from adapters.telegram.render import Rendered
from core.views.pictures import CardPicture


async def send(context: BackitContext, chat_id: int, rendered: Rendered) -> Message:
    """Send a view to a chat: its picture captioned with its text when it has one."""
    if rendered.picture is not None:

        async def send_photo(photo: str | InputFile) -> Message:
            return await context.bot.send_photo(
                chat_id,
                photo,
                caption=rendered.html,
                parse_mode=ParseMode.HTML,
                reply_markup=rendered.keyboard,
            )

        sent = await context.card_photos.show(rendered.picture, send_photo)
        if sent is not None:
            return sent
    return await context.bot.send_message(
        chat_id,
        rendered.html,
        parse_mode=ParseMode.HTML,
        reply_markup=rendered.keyboard,
        link_preview_options=None,
    )


async def edit_or_send(update: Update, context: BackitContext, rendered: Rendered) -> None:
    """Replace the pressed message in place (a card's picture and caption, or a text), or send
    a new one when it cannot be edited into the view."""
    query = update.callback_query
    message = query.message if query is not None else None
    try:
        if isinstance(message, Message) and message.text is not None:
            await message.edit_text(
                rendered.html, parse_mode=ParseMode.HTML, reply_markup=rendered.keyboard
            )
            return
        if isinstance(message, Message) and message.photo and rendered.picture is not None:
            await _edit_card(context, message, rendered, rendered.picture)
            return
    except BadRequest as error:
        if "not modified" in error.message:
            return
        raise
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, rendered)


async def _edit_card(
    context: BackitContext, message: Message, rendered: Rendered, picture: CardPicture
) -> None:
    """A card's new picture, only when it shows something else, with its caption and keyboard."""
    known = context.card_photos.known(picture)
    if known is None or known.file_unique_id != message.photo[-1].file_unique_id:

        async def edit_media(photo: str | InputFile) -> Message:
            media = InputMediaPhoto(photo, caption=rendered.html, parse_mode=ParseMode.HTML)
            edited = await message.edit_media(media, reply_markup=rendered.keyboard)
            # Telegram answers True only for inline messages, which a bot's own are not.
            assert isinstance(edited, Message)
            return edited

        if await context.card_photos.show(picture, edit_media) is not None:
            return
    await message.edit_caption(
        caption=rendered.html, parse_mode=ParseMode.HTML, reply_markup=rendered.keyboard
    )
