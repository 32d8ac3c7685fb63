"""Photos and documents bots send: uploads measured, URLs remembered, file ids handed out and
reused."""

from __future__ import annotations

import itertools
import mimetypes
import struct
from dataclasses import dataclass

from adapters.standins.telegram.errors import bad_request

PHOTO_SIZE_LIMIT = 10 * 1024 * 1024
# sendDocument: "Bots can currently send files of any type of up to 50 MB in size".
DOCUMENT_SIZE_LIMIT = 50 * 1024 * 1024
# Telegram keeps a photo at most 1280 pixels on its longer side, plus a 90-pixel thumbnail.
LARGEST_SIDE = 1280
THUMBNAIL_SIDE = 90
# The stand-in cannot fetch a photo sent by URL (there is no internet), so it assumes a size.
ASSUMED_URL_PHOTO_SIZE = (1280, 720)


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class StoredFile:
    """A photo the stand-in holds: its bytes when uploaded, its URL when sent by URL."""

    file_id: str
    file_unique_id: str
    width: int
    height: int
    data: bytes | None = None
    url: str | None = None
    file_path: str | None = None


@dataclass(frozen=True)
class StoredDocument:
    """A general file the stand-in holds, as uploaded."""

    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    data: bytes
    file_path: str

    def fields(self) -> dict[str, str | int]:
        """The message's Document object."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.data),
        }


class FileStore:
    """Every photo sent so far, by file id and by download path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile | StoredDocument] = {}
        self._by_path: dict[str, StoredFile | StoredDocument] = {}
        self._numbers = itertools.count(1)
        self.photo_uploads = 0

    def photo(self, value: str | Upload) -> StoredFile:
        """The photo a `photo` parameter names: an upload, an HTTP URL or a known file id."""
        if isinstance(value, Upload):
            return self._store_upload(value)
        if value.startswith(("http://", "https://")):
            return self._store(*ASSUMED_URL_PHOTO_SIZE, url=value)
        known = self._by_id.get(value)
        if not isinstance(known, StoredFile):
            raise bad_request("wrong file identifier/HTTP URL specified")
        return known

    def document(self, value: str | Upload) -> StoredDocument:
        """The file a `document` parameter names: an upload or a known document's file id."""
        if isinstance(value, Upload):
            return self._store_document(value)
        known = self._by_id.get(value)
        # The stand-in has no internet to fetch a URL from, so only known ids are reused.
        if not isinstance(known, StoredDocument):
            raise bad_request("wrong file identifier/HTTP URL specified")
        return known

    def get(self, file_id: str) -> StoredFile | StoredDocument | None:
        """The file with that id, if any."""
        return self._by_id.get(file_id)

    def expire(self, file_id: str) -> None:
        """Forget a file's ids, every size's, keeping it where it is shown and downloaded."""
        found = self._by_id.get(file_id)
        if found is None:
            return
        for known in [key for key, value in self._by_id.items() if value is found]:
            del self._by_id[known]

    def at_path(self, file_path: str) -> StoredFile | StoredDocument | None:
        """The uploaded file served at that download path, if any."""
        return self._by_path.get(file_path)

    def _store_upload(self, upload: Upload) -> StoredFile:
        if len(upload.data) > PHOTO_SIZE_LIMIT:
            raise bad_request("file is too big")
        size = image_size(upload.data)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        if sum(size) > 10000:
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        self.photo_uploads += 1
        return self._store(*size, data=upload.data)

    def _store_document(self, upload: Upload) -> StoredDocument:
        if not upload.data:
            raise bad_request("file must be non-empty")
        if len(upload.data) > DOCUMENT_SIZE_LIMIT:
            raise bad_request("file is too big")
        number = next(self._numbers)
        name = upload.filename or f"file_{number}"
        mime_type = upload.content_type
        if mime_type in ("", "application/octet-stream"):
            # Like Telegram, a type the sender did not give is guessed from the name.
            mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        stored = StoredDocument(
            f"BQACAgIAAxkBAAI{number:08d}",
            f"AgAD{number:04d}",
            name,
            mime_type,
            upload.data,
            f"documents/file_{number}{_extension(name)}",
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def _store(
        self, width: int, height: int, *, data: bytes | None = None, url: str | None = None
    ) -> StoredFile:
        number = next(self._numbers)
        path = f"photos/file_{number}.jpg" if data is not None else None
        stored = StoredFile(
            f"AgACAgIAAxkBAAI{number:08d}", f"AQAD{number:04d}", width, height, data, url, path
        )
        self._by_id[stored.file_id] = stored
        for size in photo_sizes(stored):
            self._by_id.setdefault(str(size["file_id"]), stored)
        if path is not None:
            self._by_path[path] = stored
        return stored


def _extension(name: str) -> str:
    _, dot, extension = name.rpartition(".")
    return f".{extension}" if dot and extension.isalnum() else ""


def photo_sizes(stored: StoredFile) -> list[dict[str, int | str]]:
    """The PhotoSize list of a message's `photo`: a thumbnail, then the largest size."""
    sizes = []
    for side, suffix in ((THUMBNAIL_SIDE, "s"), (LARGEST_SIDE, "")):
        scale = min(1.0, side / max(stored.width, stored.height))
        size: dict[str, int | str] = {
            "file_id": stored.file_id + suffix,
            "file_unique_id": stored.file_unique_id + suffix,
            "width": max(1, round(stored.width * scale)),
            "height": max(1, round(stored.height * scale)),
        }
        if stored.data is not None and not suffix:
            size["file_size"] = len(stored.data)
        sizes.append(size)
    # An image no larger than a thumbnail has just the one size.
    return sizes[1:] if sizes[0]["width"] == sizes[1]["width"] else sizes


# How each image type Telegram takes for a photo begins.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xff\xd8", "image/jpeg"),
)


def image_type(data: bytes) -> str | None:
    """The media type of a PNG, GIF or JPEG image; None for anything else."""
    return next((kind for start, kind in _SIGNATURES if data.startswith(start)), None)


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image; None for anything else."""
    kind = image_type(data)
    if kind == "image/png" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if kind == "image/gif" and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if kind == "image/jpeg":
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    position = 2
    while position + 9 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        # Start-of-frame markers carry the size; C4, C8 and CC share the range but do not.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return int(width), int(height)
        position += 2 + int(length)
    return None
