"""The page's Telegram requests: you write, press buttons, follow links and share inline, through
the stand-in's own driver, exactly as Telegram's app would."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import asdict
from typing import Any

from aiohttp import web

from adapters.standins.sandbox.inputs import BadInput, Body, downloaded, refusing_bad_input
from adapters.standins.sandbox.places import CHAT_KEYS, TelegramPlaces
from adapters.standins.sandbox.world import SandboxWorld
from adapters.standins.telegram import ChatRef
from adapters.standins.telegram.files import image_type

# Telegram's own limits on what a person types.
TEXT_LIMIT = 4096
INLINE_QUERY_LIMIT = 256
URL_LIMIT = 2048
# How long the page waits for the bot to answer a press or an inline query, as the app does.
ANSWER_WITHIN = 5.0
# What Telegram's file ids are made of.
_FILE_ID = re.compile(r"[A-Za-z0-9_-]{1,256}")
# A photo as the page sends it: a JPEG of at most 1280 pixels a side, base64 within the web
# server's 1 MB body.
PHOTO_BASE64_LIMIT = 1_000_000
CAPTION_LIMIT = 1024


class TelegramRequests:
    """Handlers for `/sandbox/api/telegram/...`, acting as you."""

    def __init__(self, world: SandboxWorld) -> None:
        self._world = world
        self._places: TelegramPlaces = world.telegram

    def add_to(self, routes: web.RouteTableDef) -> None:
        """Register the handlers."""
        prefix = "/sandbox/api/telegram"
        routes.post(f"{prefix}/send")(refusing_bad_input(self.send))
        routes.post(f"{prefix}/send_photo")(refusing_bad_input(self.send_photo))
        routes.post(f"{prefix}/press")(refusing_bad_input(self.press))
        routes.post(f"{prefix}/open_link")(refusing_bad_input(self.open_link))
        routes.post(f"{prefix}/inline_query")(refusing_bad_input(self.inline_query))
        routes.post(f"{prefix}/choose")(refusing_bad_input(self.choose))
        routes.get(f"{prefix}/document/{{file_id}}")(self.document)
        routes.get(f"{prefix}/photo/{{file_id}}")(self.photo)

    async def document(self, request: web.Request) -> web.Response:
        """Download a document the bot sent, as Telegram's app saves it."""
        stored = self._places.standin.document(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound(text="no such document")
        return downloaded(stored.data, stored.file_name, stored.mime_type)

    async def photo(self, request: web.Request) -> web.Response:
        """The pixels of a photo the bot uploaded, as Telegram's app shows it; 404 for a photo
        sent by URL, whose pixels the stand-in never fetched."""
        file_id = request.match_info["file_id"]
        stored = self._places.standin.photo(file_id) if _FILE_ID.fullmatch(file_id) else None
        data = stored.data if stored is not None else None
        # Uploads were checked to be images when sent; the type is read from the bytes.
        kind = image_type(data) if data is not None else None
        if data is None or kind is None:
            raise web.HTTPNotFound(text="no such photo")
        headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}
        return web.Response(body=data, content_type=kind, headers=headers)

    async def send(self, request: web.Request) -> web.Response:
        """Write a message (or a /command) in one of your chats."""
        body = await Body.read(request)
        chat = self._chat(body)
        text = body.text("text", max_length=TEXT_LIMIT)
        body.done()
        try:
            message = await self._places.you.send(chat, text)
        except (PermissionError, ValueError) as refused:
            raise BadInput(str(refused)) from None
        return web.json_response({"message": message})

    async def send_photo(self, request: web.Request) -> web.Response:
        """Send a photo in one of your chats: a JPEG, as Telegram's app compresses it."""
        body = await Body.read(request)
        chat = self._chat(body)
        encoded = body.text("jpeg", max_length=PHOTO_BASE64_LIMIT)
        caption = body.text("caption", max_length=CAPTION_LIMIT, blank=True)
        body.done()
        try:
            jpeg = base64.b64decode(encoded, validate=True)
            message = await self._places.you.send_photo(chat, jpeg, caption)
        except binascii.Error:
            raise BadInput("jpeg must be base64") from None
        except (PermissionError, ValueError) as refused:
            raise BadInput(str(refused)) from None
        return web.json_response({"message": message})

    async def press(self, request: web.Request) -> web.Response:
        """Press a callback button of a message; answers how the bot answered it, if in time."""
        body = await Body.read(request)
        chat = self._chat(body)
        message = self._message(chat, body.integer("message_id", minimum=1))
        button = _button(message, body.integer("row"), body.integer("column"))
        body.done()
        if "callback_data" not in button:
            raise BadInput(f"the button {button['text']!r} sends the bot nothing")
        try:
            press = await self._places.you.press(message, button["callback_data"])
        except (LookupError, PermissionError, ValueError) as refused:
            raise BadInput(str(refused)) from None
        try:
            answer: dict[str, Any] | None = asdict(await press.answer(ANSWER_WITHIN))
        except TimeoutError:
            # Telegram's app just stops the button's spinner.
            answer = None
        return web.json_response({"answer": answer})

    async def open_link(self, request: web.Request) -> web.Response:
        """Follow a t.me link to the bot: your private chat opens and sends /start."""
        body = await Body.read(request)
        url = body.text("url", max_length=URL_LIMIT)
        body.done()
        try:
            message = await self._places.you.open_link(url)
        except ValueError as refused:
            raise BadInput(str(refused)) from None
        return web.json_response({"message": message})

    async def inline_query(self, request: web.Request) -> web.Response:
        """Type `@bot words` in a chat: the results the bot offers for it."""
        body = await Body.read(request)
        chat = self._chat(body)
        query = body.text("query", max_length=INLINE_QUERY_LIMIT, blank=True)
        body.done()
        try:
            answer = await self._places.you.inline_query(query, chat=chat, timeout=ANSWER_WITHIN)
        except TimeoutError:
            return web.json_response({"error": "the bot offered nothing in time"}, status=504)
        self._world.keep_inline_answer(answer)
        return web.json_response(
            {"query_id": answer.query_id, "results": answer.results, "button": answer.button}
        )

    async def choose(self, request: web.Request) -> web.Response:
        """Pick one of the bot's inline results: it is posted in the chat as your message."""
        body = await Body.read(request)
        chat = self._chat(body)
        answer = self._world.inline_answers.get(body.text("query_id", max_length=64))
        result_id = body.text("result_id", max_length=64)
        body.done()
        if answer is None:
            raise BadInput("no such inline query, or it is too old: type it again")
        ids = [result.get("id") for result in answer.results]
        if result_id not in ids:
            raise BadInput(f"the bot offered no result {result_id!r}")
        try:
            message = await self._places.you.choose(answer, ids.index(result_id), chat)
        except (PermissionError, ValueError) as refused:
            raise BadInput(str(refused)) from None
        return web.json_response({"message": message})

    def _chat(self, body: Body) -> ChatRef:
        return self._places.chat(body.choice("chat", CHAT_KEYS))

    def _message(self, chat: ChatRef, message_id: int) -> dict[str, Any]:
        for message in self._places.standin.messages(chat):
            if message["message_id"] == message_id:
                return message
        raise BadInput(f"no message {message_id} in that chat")


def _button(message: dict[str, Any], row: int, column: int) -> dict[str, Any]:
    rows: list[list[dict[str, Any]]] = message.get("reply_markup", {}).get("inline_keyboard", [])
    if row >= len(rows) or column >= len(rows[row]):
        raise BadInput(f"message {message['message_id']} has no button at row {row}, {column}")
    return rows[row][column]
