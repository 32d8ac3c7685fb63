"""People sending the bot photos and files: the bot sees them as Telegram shows them, and
fetches them with getFile and the download path, as from Telegram."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from adapters.standins.telegram import BotApiStandin
from tests.adapters.standins.test_telegram_reference import violations
from tests.telegram_fixtures import application_builder, png


def jpeg(width: int, height: int) -> bytes:
    """A JPEG of that size, as a phone's app sends."""
    encoded = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 40)).save(encoded, format="JPEG")
    return encoded.getvalue()


async def downloaded(standin: BotApiStandin, file_id: str) -> bytes:
    """What a bot downloads for a file id, through python-telegram-bot."""
    app = application_builder(standin).build()
    async with app:
        file = await app.bot.get_file(file_id)
        return bytes(await file.download_as_bytearray())


async def test_a_photo_a_person_sends_comes_in_sizes_and_downloads_whole(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    sent = await ada.send_photo(chat, jpeg(1600, 900), caption="The lamp")

    assert violations(sent, ["Message"], "message") == []
    assert [(size["width"], size["height"]) for size in sent["photo"]] == [(90, 51), (1280, 720)]
    assert sent["caption"] == "The lamp"
    assert sent["from"]["id"] == 42
    assert await downloaded(telegram_standin, sent["photo"][-1]["file_id"]) == jpeg(1600, 900)


async def test_a_picture_sent_as_a_file_keeps_its_name_type_and_bytes(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    sent = await ada.send_document(chat, png(40, 30), "lamp.png", "image/png")

    assert violations(sent, ["Message"], "message") == []
    assert sent["document"]["file_name"] == "lamp.png"
    assert sent["document"]["mime_type"] == "image/png"
    assert await downloaded(telegram_standin, sent["document"]["file_id"]) == png(40, 30)


async def test_apps_send_photos_only_as_jpegs(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    with pytest.raises(ValueError, match="JPEG"):
        await ada.send_photo(telegram_standin.private_chat(ada), png(40, 30))
