"""Pictures as Telegram photos (cards, milestones, progress charts): each uploaded once, then
sent again by its file id."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from telegram import InputFile, Message, PhotoSize
from telegram.error import BadRequest

from adapters.images.drawings import KEPT, picture_version

log = logging.getLogger(__name__)

Picture = TypeVar("Picture", bound=Hashable)
# Sends or edits a message to show a photo given as a file id or an upload.
ShowPhoto = Callable[[str | InputFile], Awaitable[Message]]


class Photos(Generic[Picture]):
    """Pictures of one kind drawn by `png`, and the photos Telegram made of the last `size`
    uploaded, by picture version (which differs by language too, the words being others)."""

    def __init__(
        self, png: Callable[[Picture], Awaitable[bytes]], filename: str, size: int = KEPT
    ) -> None:
        self._png = png
        self._filename = filename
        self._size = size
        self._photos: OrderedDict[str, PhotoSize] = OrderedDict()
        # Uploads under way, by picture version: done when their file id is known (or not).
        self._uploading: dict[str, asyncio.Future[None]] = {}

    def known(self, picture: Picture) -> PhotoSize | None:
        """The photo Telegram keeps of the picture, if it was uploaded lately."""
        version = picture_version(picture)
        photo = self._photos.get(version)
        if photo is not None:
            self._photos.move_to_end(version)
        return photo

    async def show(self, picture: Picture, show: ShowPhoto) -> Message | None:
        """Show the picture by its file id, or else uploaded (remembering the file id Telegram
        gives it); None when it could not be drawn or Telegram refused the upload."""
        version = picture_version(picture)
        # Sends of a picture being uploaded wait for its file id rather than upload it again
        # (a milestone goes to every follower at once).
        while (uploading := self._uploading.get(version)) is not None:
            await asyncio.wait({uploading})
        known = self.known(picture)
        if known is not None:
            try:
                return await show(known.file_id)
            except BadRequest as error:
                # A file id is the bot's own and Telegram may stop honouring it: upload anew.
                log.info("photo's file id refused (%s); uploading it again", error.message)
                # Another send may have found it refused first.
                self._photos.pop(version, None)
            if version in self._uploading:
                return await self.show(picture, show)
        uploaded = asyncio.get_running_loop().create_future()
        self._uploading[version] = uploaded
        try:
            return await self._upload(picture, show)
        finally:
            del self._uploading[version]
            uploaded.set_result(None)

    async def _upload(self, picture: Picture, show: ShowPhoto) -> Message | None:
        """Draw the picture and show it uploaded, remembering its file id."""
        try:
            png = await self._png(picture)
        # Whatever went wrong in the drawing, the message's words still reach the chat.
        except Exception as error:
            log.warning("picture not drawn (%s); the message goes without it", error)
            return None
        try:
            # Attached by name, as an InputMedia's upload must be (a photo's may be).
            message = await show(InputFile(png, filename=self._filename, attach=True))
        except BadRequest as error:
            log.warning("picture refused (%s); the message goes without it", error.message)
            return None
        if message.photo:
            self._remember(picture, message.photo[-1])
        return message

    def _remember(self, picture: Picture, photo: PhotoSize) -> None:
        version = picture_version(picture)
        self._photos[version] = photo
        self._photos.move_to_end(version)
        if len(self._photos) > self._size:
            self._photos.popitem(last=False)
