"""Card pictures as Telegram photos: each uploaded once, then sent again by its file id."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from telegram import InputFile, Message, PhotoSize
from telegram.error import BadRequest

from adapters.images.drawings import KEPT, Drawings, picture_version
from core.views.pictures import CardPicture

log = logging.getLogger(__name__)

FILENAME = "card.png"

# Sends or edits a message to show a photo given as a file id or an upload.
ShowPhoto = Callable[[str | InputFile], Awaitable[Message]]


class CardPhotos:
    """Card pictures drawn, and the photos Telegram made of the last `size` uploaded, by
    picture version (which differs by language too, the words being others)."""

    def __init__(self, images: Drawings[CardPicture], size: int = KEPT) -> None:
        self._images = images
        self._size = size
        self._photos: OrderedDict[str, PhotoSize] = OrderedDict()

    def known(self, picture: CardPicture) -> PhotoSize | None:
        """The photo Telegram keeps of the picture, if it was uploaded lately."""
        version = picture_version(picture)
        photo = self._photos.get(version)
        if photo is not None:
            self._photos.move_to_end(version)
        return photo

    async def show(self, picture: CardPicture, show: ShowPhoto) -> Message | None:
        """Show the picture by its file id, or else uploaded (remembering the file id Telegram
        gives it); None when it could not be drawn or Telegram refused the upload."""
        known = self.known(picture)
        if known is not None:
            try:
                return await show(known.file_id)
            except BadRequest as error:
                # A file id is the bot's own and Telegram may stop honouring it: upload anew.
                log.info("card photo's file id refused (%s); uploading it again", error.message)
                # Another send may have found it refused first.
                self._photos.pop(picture_version(picture), None)
        try:
            png = await self._images.png(picture)
        # Whatever went wrong in the drawing, the card's words still reach the chat.
        except Exception as error:
            log.warning("card picture not drawn (%s); the card goes without it", error)
            return None
        try:
            # Attached by name, as an InputMedia's upload must be (a photo's may be).
            message = await show(InputFile(png, filename=FILENAME, attach=True))
        except BadRequest as error:
            log.warning("card picture refused (%s); the card goes without it", error.message)
            return None
        if message.photo:
            self._remember(picture, message.photo[-1])
        return message

    def _remember(self, picture: CardPicture, photo: PhotoSize) -> None:
        version = picture_version(picture)
        self._photos[version] = photo
        self._photos.move_to_end(version)
        if len(self._photos) > self._size:
            self._photos.popitem(last=False)
