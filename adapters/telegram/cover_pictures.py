"""A picture a person sent the bot, fetched from Telegram and made into a cover."""

from __future__ import annotations

from telegram import Document, Message, PhotoSize
from telegram.ext import filters

from adapters.images.covers import downloaded_cover
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
    found = attachment

    async def download() -> bytes:
        file = await found.get_file()
        return bytes(await file.download_as_bytearray())

    return await downloaded_cover(attachment.file_size, download)
