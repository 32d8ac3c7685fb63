"""A picture a person sent the bot, fetched from Telegram and made into a cover."""

from __future__ import annotations

import asyncio

from telegram import Document, Message, PhotoSize
from telegram.ext import filters

from adapters.images.covers import check_upload_size, cover_from_upload
from core.covers import Cover, NotAnImage

# A photo, or a file (which keeps the picture's quality): what may hold a cover.
PICTURES = filters.PHOTO | filters.Document.ALL


async def received_cover(message: Message) -> Cover:
    """The cover made of a message's picture: the largest size of a photo, or an image sent as
    a file; raises a DomainError saying why it cannot be one."""
    attachment: PhotoSize | Document | None = message.photo[-1] if message.photo else None
    document = message.document
    if attachment is None and document is not None:
        if not (document.mime_type or "").startswith("image/"):
            raise NotAnImage()
        attachment = document
    if attachment is None:
        raise NotAnImage()
    # Too large a file is refused before it is fetched.
    check_upload_size(attachment.file_size or 0)
    file = await attachment.get_file()
    check_upload_size(file.file_size or 0)
    picture = bytes(await file.download_as_bytearray())
    # Decoding and encoding take tens of milliseconds: off the event loop.
    return await asyncio.to_thread(cover_from_upload, picture)
