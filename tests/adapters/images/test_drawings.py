"""Pictures drawn once per state and language, however many readers ask at once (card pictures
here), and named by what they show."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace

import pytest

from adapters.images.card_images import card_images
from adapters.images.drawings import Drawings, in_worker_thread, picture_version
from core.views.pictures import CardPicture, card_picture
from tests.core.test_pictures import NOW, lamp


class CountedDrawing:
    """Draws a picture as its title's bytes, counting the drawings; slow enough that readers
    arrive while one is under way."""

    def __init__(self, fail_first: bool = False) -> None:
        self.drawings = 0
        self._fail_first = fail_first
        self._lock = threading.Lock()

    def __call__(self, picture: CardPicture, cover: bytes | None = None) -> bytes:
        with self._lock:
            self.drawings += 1
            failing = self._fail_first and self.drawings == 1
        threading.Event().wait(0.05)
        if failing:
            raise OSError("disk full")
        return picture.title.encode() + (cover or b"")


async def test_a_thousand_readers_of_an_unchanged_card_cause_one_drawing() -> None:
    drawing = CountedDrawing()
    images = Drawings(in_worker_thread(drawing))
    picture = card_picture(lamp(87_000), NOW)

    pngs = await asyncio.gather(*(images.png(picture) for _ in range(1_000)))
    pngs.append(await images.png(card_picture(lamp(87_000), NOW)))

    assert set(pngs) == {b"The Reading Lamp"}
    assert drawing.drawings == 1


async def test_a_new_payment_is_a_new_picture_and_a_new_version() -> None:
    drawing = CountedDrawing()
    images = Drawings(in_worker_thread(drawing))
    before, after = card_picture(lamp(87_000), NOW), card_picture(lamp(88_000), NOW)

    await images.png(before)
    await images.png(after)

    assert drawing.drawings == 2
    assert picture_version(before) != picture_version(after)
    assert picture_version(before) == picture_version(card_picture(lamp(87_000), NOW))


async def test_a_failed_drawing_fails_its_readers_and_the_next_reader_draws_again() -> None:
    drawing = CountedDrawing(fail_first=True)
    images = Drawings(in_worker_thread(drawing))
    picture = card_picture(lamp(87_000), NOW)

    with pytest.raises(OSError, match="disk full"):
        await images.png(picture)
    assert await images.png(picture) == b"The Reading Lamp"
    assert drawing.drawings == 2


async def test_only_the_last_pictures_are_kept() -> None:
    drawing = CountedDrawing()
    images = Drawings(in_worker_thread(drawing), size=2)
    first, second, third = (card_picture(lamp(raised), NOW) for raised in (1, 2, 3))

    for picture in (first, second, third, first):
        await images.png(picture)

    assert drawing.drawings == 4


async def test_a_picture_with_a_cover_is_drawn_over_the_covers_jpeg_read_once() -> None:
    reads: list[str] = []

    async def covers(digest: str) -> bytes | None:
        reads.append(digest)
        return b" over " + digest.encode()

    images = card_images(covers, CountedDrawing())
    picture = replace(card_picture(lamp(87_000), NOW), cover="c0ffee")
    pngs = await asyncio.gather(*(images.png(picture) for _ in range(10)))
    assert set(pngs) == {b"The Reading Lamp over c0ffee"}
    assert reads == ["c0ffee"]
    assert await images.png(card_picture(lamp(87_000), NOW)) == b"The Reading Lamp"
