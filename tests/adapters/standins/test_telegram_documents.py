"""Documents bots upload: kept with their name, type and bytes, limited like Telegram."""

from __future__ import annotations

import io

import aiohttp
import pytest
from telegram import InputFile
from telegram.error import BadRequest

from adapters.standins.telegram import BotApiStandin
from adapters.standins.telegram.files import DOCUMENT_SIZE_LIMIT
from tests.telegram_fixtures import TOKEN, application_builder


async def test_an_uploaded_document_keeps_its_name_type_caption_and_bytes(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = application_builder(telegram_standin).build()
    data = b"name,amount\nAda,25.00\n"

    async with app:
        sent = await app.bot.send_document(
            chat.id,
            InputFile(data, filename="lanternfall-backers.csv"),
            caption="<b>1 backer</b> of “Lanternfall”",
            parse_mode="HTML",
        )
        again = await app.bot.send_document(chat.id, sent.document.file_id)
        downloaded = await (await app.bot.get_file(sent.document.file_id)).download_as_bytearray()

    assert sent.document.file_name == "lanternfall-backers.csv"
    assert sent.document.mime_type == "text/csv"
    assert sent.document.file_size == len(data)
    assert sent.caption == "1 backer of “Lanternfall”"
    assert again.document.file_id == sent.document.file_id
    assert bytes(downloaded) == data
    shown = telegram_standin.messages(chat)[0]
    assert shown["document"]["file_name"] == "lanternfall-backers.csv"


async def test_an_empty_unknown_or_captioned_too_long_document_is_refused(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    app = application_builder(telegram_standin).build()

    async with app:
        with pytest.raises(BadRequest, match="File must be non-empty"):
            await app.bot.send_document(chat.id, InputFile(b"", filename="empty.csv"))
        with pytest.raises(BadRequest, match="Wrong file identifier"):
            await app.bot.send_document(chat.id, "not-a-file-id")
        with pytest.raises(BadRequest, match="Message caption is too long"):
            await app.bot.send_document(
                chat.id, InputFile(b"x", filename="x.txt"), caption="x" * 1025
            )

    assert telegram_standin.messages(chat) == []


async def _post(standin: BotApiStandin, form: aiohttp.FormData) -> tuple[int, dict[str, object]]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{standin.base_url}/bot{TOKEN}/sendDocument", data=form) as response,
    ):
        return response.status, await response.json()


async def test_a_document_over_50_mb_is_refused(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    form = aiohttp.FormData()
    form.add_field("chat_id", str(chat.id))
    form.add_field("document", io.BytesIO(b"x" * (DOCUMENT_SIZE_LIMIT + 1)), filename="big.bin")

    status, body = await _post(telegram_standin, form)

    assert (status, body) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: file is too big"},
    )


async def test_a_request_without_the_document_part_is_refused(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    form = aiohttp.FormData()
    form.add_field("chat_id", str(chat.id))
    form.add_field("other", b"abc", filename="other.csv")

    status, body = await _post(telegram_standin, form)

    assert status == 400
    assert body["description"] == "Bad Request: there is no document in the request"
