"""/cover end to end: a creator sends a photo or an image file and it becomes the campaign's
cover; anyone else, and anything that is not a usable picture, is refused with nothing kept."""

from __future__ import annotations

import io

from PIL import Image

from adapters.images.covers import MAX_BYTES
from core.campaigns import Campaign
from core.covers import Cover
from core.ports import Clock
from tests.adapters.telegram.campaigns import live_campaign
from tests.adapters.telegram.people import Person, RunningBot

ASK = (
    "Send the picture for the cover of “The Reading Lamp”: a photo, or a JPEG, PNG or WebP "
    "file. /cancel to stop."
)
SET = "“The Reading Lamp” has its new cover."


def picture(format: str, size: tuple[int, int] = (1600, 900)) -> bytes:
    """A red picture in a format."""
    encoded = io.BytesIO()
    Image.new("RGB", size, (220, 30, 30)).save(encoded, format=format)
    return encoded.getvalue()


async def cover_of(telegram_bot: RunningBot, campaign: Campaign) -> Cover | None:
    """The campaign's cover as stored."""
    async with telegram_bot.services.uows() as uow:
        return await uow.covers.of_campaign(campaign.id)


async def sends_photo(person: Person, jpeg: bytes) -> str:
    """Send a photo; the bot's answer."""
    await person.user.send_photo(person.chat, jpeg)
    return str((await person.reads())["text"])


async def sends_file(person: Person, data: bytes, name: str, mime_type: str) -> str:
    """Send a file; the bot's answer."""
    await person.user.send_document(person.chat, data, name, mime_type)
    return str((await person.reads())["text"])


async def test_the_creators_photo_becomes_the_cover(telegram_bot: RunningBot, clock: Clock) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(7, "Ada")

    assert (await ada.says("/cover lamp"))["text"] == ASK
    assert await sends_photo(ada, picture("JPEG")) == SET

    cover = await cover_of(telegram_bot, lamp)
    assert cover is not None
    assert (cover.width, cover.height) == (1200, 675)
    stored = await telegram_bot.services.reads.campaign("lamp")
    assert stored is not None
    assert stored.cover == cover.digest


async def test_a_picture_sent_as_a_file_replaces_the_cover(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(7, "Ada")
    await ada.says("/cover lamp")
    await sends_photo(ada, picture("JPEG"))
    first = await cover_of(telegram_bot, lamp)

    await ada.says("/cover lamp")
    assert await sends_file(ada, picture("PNG", (2000, 1000)), "lamp.png", "image/png") == SET
    second = await cover_of(telegram_bot, lamp)
    assert first is not None
    assert second is not None
    assert second.digest != first.digest


async def test_someone_elses_campaign_is_refused(telegram_bot: RunningBot, clock: Clock) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    bob = telegram_bot.person(8, "Bob")

    answer = await bob.says("/cover lamp")
    assert answer["text"] == "Only the creator of “The Reading Lamp” can change its cover."
    assert await cover_of(telegram_bot, lamp) is None


async def test_what_is_not_a_usable_picture_is_refused_and_nothing_is_kept(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(7, "Ada")
    await ada.says("/cover lamp")

    assert await sends_file(ada, b"a list of ideas", "notes.txt", "text/plain") == (
        "That is not a picture Backit can use: send a JPEG, PNG or WebP image."
    )
    assert await sends_file(ada, b"\xff\xd8" + b"\x00" * 500, "broken.jpg", "image/jpeg") == (
        "That is not a picture Backit can use: send a JPEG, PNG or WebP image."
    )
    assert await sends_photo(ada, picture("JPEG", (64, 36))) == (
        "That picture is too small: send one at least 320×180 pixels."
    )
    huge = b"\xff\xd8\xff" + b"\x00" * MAX_BYTES
    assert await sends_file(ada, huge, "huge.jpg", "image/jpeg") == (
        "That picture is too large: send one under 10 MB and 40 megapixels."
    )
    assert (await ada.says("a caption without a picture"))["text"] == (
        "Please send a picture, or /cancel."
    )
    assert await cover_of(telegram_bot, lamp) is None
    # Still waiting for a picture: a good one is taken.
    assert await sends_photo(ada, picture("JPEG")) == SET


async def test_the_answers_are_in_the_creators_language(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(7, "Ada", language_code="fr")
    assert (await ada.says("/cover lamp"))["text"].startswith("Envoyez l’image de couverture")
    answer = await sends_photo(ada, picture("JPEG"))
    assert answer == "«\u00a0The Reading Lamp\u00a0» a sa nouvelle couverture."
