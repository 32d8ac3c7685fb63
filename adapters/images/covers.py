"""A creator's picture made into a cover: checked, turned upright, cropped to the card's shape
and saved again as a JPEG that carries nothing but its pixels."""

from __future__ import annotations

import asyncio
import io
import struct
from collections.abc import Awaitable, Callable

from PIL import Image, ImageFile, ImageOps, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

from core.covers import Cover, ImageTooLarge, ImageTooSmall, NotAnImage

WIDTH, HEIGHT = 1200, 675
MAX_MEGABYTES = 10
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
# Well under Pillow's own bomb limit (89 megapixels), so its warning or error never comes up:
# the size is checked here, from the header, before any pixel is decoded.
MAX_MEGAPIXELS = 40
MIN_WIDTH, MIN_HEIGHT = 320, 180
QUALITY = 85
# Pillow's readers of the formats taken, called directly: Image.open would check for bombs
# itself, with a process-wide warning this module could not catch in a worker thread.
_READERS: tuple[type[ImageFile.ImageFile], ...] = (
    JpegImagePlugin.JpegImageFile,
    PngImagePlugin.PngImageFile,
    WebPImagePlugin.WebPImageFile,
)
# What Pillow raises on a file it cannot read, whatever the format.
_UNREADABLE = (SyntaxError, OSError, ValueError, EOFError, IndexError, TypeError, struct.error)


def cover_from_upload(data: bytes) -> Cover:
    """The cover made of an uploaded picture; raises a DomainError saying why it cannot be one.

    Blocking (tens of milliseconds): run it in a worker thread."""
    check_upload_size(len(data))
    # WebP's reader allocates the whole canvas as it opens: read its size from the header first.
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        _check_size(_webp_size(data))
    try:
        image = _opened(data)
        _check_size(image.size)
        # Decoding a large JPEG at an eighth of its size is cheaper, and enough for a cover.
        image.draft("RGB", (WIDTH, WIDTH))
        upright = ImageOps.exif_transpose(image)
        flat = _flattened(upright)
    except _UNREADABLE as error:
        raise NotAnImage() from error
    if flat.width < MIN_WIDTH or flat.height < MIN_HEIGHT:
        raise ImageTooSmall(width=MIN_WIDTH, height=MIN_HEIGHT)
    cover = ImageOps.fit(flat, (WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    encoded = io.BytesIO()
    # No exif or icc_profile given: the JPEG keeps no camera, place or time of the original.
    cover.save(encoded, format="JPEG", quality=QUALITY, optimize=True)
    return Cover.of(encoded.getvalue(), WIDTH, HEIGHT)


async def downloaded_cover(size: int | None, download: Callable[[], Awaitable[bytes]]) -> Cover:
    """The cover made of a picture a chat keeps: refused unfetched when its size (as the chat
    tells it) is over the limit, else fetched and made into a cover off the event loop."""
    check_upload_size(size or 0)
    return await asyncio.to_thread(cover_from_upload, await download())


def _opened(data: bytes) -> ImageFile.ImageFile:
    """The picture, its header read and no pixel decoded, if it is a JPEG, PNG or WebP."""
    for reader in _READERS:
        try:
            return reader(io.BytesIO(data))
        except _UNREADABLE:
            continue
    raise NotAnImage()


def _check_size(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_MEGAPIXELS * 1_000_000:
        raise _too_large()


def check_upload_size(size: int) -> None:
    """Refuse an upload of `size` bytes that is over the limit (before fetching it, if one can)."""
    if size > MAX_BYTES:
        raise _too_large()


def _too_large() -> ImageTooLarge:
    return ImageTooLarge(megabytes=MAX_MEGABYTES, megapixels=MAX_MEGAPIXELS)


def _flattened(image: Image.Image) -> Image.Image:
    """The picture in RGB, anything transparent shown on white."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _webp_size(data: bytes) -> tuple[int, int]:
    """A WebP's canvas size from its first chunk (lossy, lossless or extended)."""
    chunk = data[12:16]
    try:
        if chunk == b"VP8X":
            width = int.from_bytes(data[24:27], "little") + 1
            height = int.from_bytes(data[27:30], "little") + 1
            return width, height
        if chunk == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8 ":
            width, height = struct.unpack("<HH", data[26:30])
            return width & 0x3FFF, height & 0x3FFF
    except struct.error as error:
        raise NotAnImage() from error
    raise NotAnImage()
