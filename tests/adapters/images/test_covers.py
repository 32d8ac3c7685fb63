"""Making covers of uploads: real pictures come out as clean 1200×675 JPEGs; anything else,
too large, too small or pretending to be huge is refused with a reason, never a crash."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from adapters.images.covers import (
    HEIGHT,
    MAX_BYTES,
    WIDTH,
    cover_from_upload,
    downloaded_cover,
)
from core.covers import ImageTooLarge, ImageTooSmall, NotAnImage
from core.i18n import use_locale

RED, BLUE = (220, 20, 20), (20, 20, 220)


def encoded(image: Image.Image, format: str, **options: object) -> bytes:
    """The image saved in a format."""
    out = io.BytesIO()
    image.save(out, format=format, **options)
    return out.getvalue()


def halves(size: tuple[int, int]) -> Image.Image:
    """Red on the left half, blue on the right."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def near(pixel: float | tuple[int, ...] | None, colour: tuple[int, int, int]) -> bool:
    """Whether a JPEG's pixel is the colour, give or take compression."""
    assert isinstance(pixel, tuple)
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=False))


def opened(jpeg: bytes) -> Image.Image:
    """A cover's JPEG, decoded."""
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG"
    return image.convert("RGB")


def png_header(width: int, height: int) -> bytes:
    """The start of a PNG that says it is `width`×`height`: its header, up to the pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", 64)
        + b"IDAT"
    )


def test_a_png_with_transparency_becomes_a_cover_sized_jpeg_on_white() -> None:
    image = Image.new("RGBA", (1600, 900), (0, 0, 0, 0))
    image.paste((220, 20, 20, 255), (0, 0, 800, 900))
    cover = cover_from_upload(encoded(image, "PNG"))
    picture = opened(cover.jpeg)
    assert (cover.width, cover.height) == picture.size == (WIDTH, HEIGHT)
    assert near(picture.getpixel((100, 300)), RED)
    assert near(picture.getpixel((1100, 300)), (255, 255, 255))
    assert len(cover.jpeg) < 300_000


def test_a_jpeg_taken_sideways_is_turned_upright_and_keeps_no_exif() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to view
    exif[0x010F] = "PhoneMaker"
    original = encoded(halves((1600, 1200)), "JPEG", exif=exif.tobytes())
    assert b"PhoneMaker" in original
    cover = cover_from_upload(original)
    picture = opened(cover.jpeg)
    # Upright, the left half is on top: a cover cropped from its middle is red above, blue below.
    assert near(picture.getpixel((600, 20)), RED)
    assert near(picture.getpixel((600, 650)), BLUE)
    assert b"Exif" not in cover.jpeg
    assert b"PhoneMaker" not in cover.jpeg
    assert dict(Image.open(io.BytesIO(cover.jpeg)).getexif()) == {}


def test_a_webp_is_taken_and_a_wide_picture_is_cropped_from_its_middle() -> None:
    wide = Image.new("RGB", (3000, 675), BLUE)
    wide.paste(RED, (900, 0, 2100, 675))
    picture = opened(cover_from_upload(encoded(wide, "WEBP", lossless=True)).jpeg)
    assert near(picture.getpixel((10, 300)), RED)
    assert near(picture.getpixel((1190, 300)), RED)


def test_the_same_upload_makes_the_same_cover() -> None:
    upload = encoded(halves((1200, 675)), "PNG")
    assert cover_from_upload(upload).digest == cover_from_upload(upload).digest


def test_a_tiny_picture_is_refused() -> None:
    with pytest.raises(ImageTooSmall):
        cover_from_upload(encoded(halves((64, 36)), "PNG"))


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header says it is `width`×`height`."""
    jpeg = bytearray(encoded(halves((64, 64)), "JPEG"))
    frame = jpeg.find(b"\xff\xc0")
    jpeg[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(jpeg)


@pytest.mark.parametrize(
    "header",
    [
        jpeg_claiming(60_000, 60_000),
        png_header(100_000, 100_000),
        png_header(20_000, 20_000),
        # A lossless WebP's first bytes saying 16384×16384.
        b"RIFF\x00\x00\x00\x00WEBPVP8L\x00\x00\x00\x00\x2f"
        + (16383 | (16383 << 14)).to_bytes(4, "little"),
        # An extended WebP's canvas of 16384×16384.
        b"RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00"
        + (16383).to_bytes(3, "little") * 2,
    ],
    ids=["jpeg", "png 10 gigapixels", "png 400 megapixels", "webp lossless", "webp extended"],
)
def test_a_picture_claiming_huge_dimensions_is_refused_before_decoding(header: bytes) -> None:
    with pytest.raises(ImageTooLarge):
        cover_from_upload(header + b"\x00" * 64)


def test_a_file_over_the_size_limit_is_refused_unread() -> None:
    with pytest.raises(ImageTooLarge):
        cover_from_upload(b"\xff\xd8\xff" + b"\x00" * MAX_BYTES)


async def test_a_chats_file_said_to_be_over_the_limit_is_not_even_fetched() -> None:
    fetched: list[int] = []

    async def download() -> bytes:
        fetched.append(1)
        return encoded(halves((1600, 900)), "PNG")

    with pytest.raises(ImageTooLarge):
        await downloaded_cover(MAX_BYTES + 1, download)
    assert fetched == []
    cover = await downloaded_cover(50_000, download)
    assert (cover.width, cover.height) == (WIDTH, HEIGHT)


@pytest.mark.parametrize(
    "upload",
    [
        encoded(halves((1600, 900)), "JPEG")[:5_000],
        encoded(halves((1600, 900)), "PNG")[:300],
        b"Dear creator, this is a text file, not a picture.\n",
        encoded(halves((1600, 900)), "GIF"),
        b"",
    ],
    ids=["truncated jpeg", "truncated png", "text", "gif", "empty"],
)
def test_what_is_not_a_usable_picture_is_refused(upload: bytes) -> None:
    with pytest.raises(NotAnImage):
        cover_from_upload(upload)


def test_refusals_say_why_in_the_readers_language() -> None:
    with use_locale("fr"):
        assert "JPEG, PNG" in NotAnImage().user_message()
        assert "trop" in ImageTooLarge(megabytes=10, megapixels=40).user_message()
    assert "10 MB" in ImageTooLarge(megabytes=10, megapixels=40).user_message()
