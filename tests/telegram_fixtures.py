"""The Telegram stand-in for tests of any layer, and real python-telegram-bot applications on it.

Applications run as Backit runs them, inside the test's event loop: polling through the
Updater, or webhook mode with `.updater(None)` behind a small aiohttp endpoint.
"""

from __future__ import annotations

import json
import logging
import struct
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultPhoto,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from adapters.standins.telegram import BotApiStandin, BotProfile

TOKEN = "123456789:AAH-backit_stand-in_token"
BOT = BotProfile(TOKEN, username="backit_test_bot", first_name="Backit")
WEBHOOK_SECRET = "backit-webhook-secret_1"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
AnyApplicationBuilder = ApplicationBuilder[Any, Any, Any, Any, Any, Any]


@pytest.fixture
async def telegram_standin(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[BotApiStandin]:
    """A running stand-in serving BOT, with quick webhook retries."""
    # httpx logs request URLs, which carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # python-telegram-bot 22 warns from inside RetryAfter's constructor unless the process opts
    # into timedelta periods, and warnings are errors here: every 429 would become one.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    standin = BotApiStandin(BOT, webhook_retry_delays=(0.05, 0.1, 0.2), webhook_timeout=2.0)
    await standin.start()
    yield standin
    await standin.stop()


def application_builder(standin: BotApiStandin, token: str = TOKEN) -> AnyApplicationBuilder:
    """An ApplicationBuilder whose bot talks to the stand-in."""
    builder: AnyApplicationBuilder = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{standin.base_url}/bot")
        .base_file_url(f"{standin.base_url}/file/bot")
    )
    return builder


@asynccontextmanager
async def polling(app: AnyApplication, poll_seconds: int = 1) -> AsyncIterator[AnyApplication]:
    """The application running and long-polling, started and stopped as Backit does it."""
    async with app:
        await app.start()
        assert app.updater is not None, "polling needs the application's updater"
        await app.updater.start_polling(poll_interval=0, timeout=poll_seconds)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


class WebhookEndpoint:
    """An aiohttp endpoint that checks the secret header and queues updates for the app."""

    def __init__(self, app: AnyApplication, secret: str, failures: int = 0) -> None:
        self.app = app
        self.secret = secret
        # Answer 500 to this many deliveries first, to see the stand-in retry.
        self.failures = failures
        self.refused = 0
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        """Refuse a wrong secret with 403; queue the update; fail while failures remain."""
        if request.headers.get(SECRET_HEADER) != self.secret:
            self.refused += 1
            return web.Response(status=403)
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=500)
        data = await request.json()
        await self.app.update_queue.put(Update.de_json(data, self.app.bot))
        return web.Response()


@asynccontextmanager
async def webhook_mode(
    app: AnyApplication, secret: str = WEBHOOK_SECRET, failures: int = 0
) -> AsyncIterator[WebhookEndpoint]:
    """The application started without an updater, fed by the stand-in's webhook pushes."""
    endpoint = WebhookEndpoint(app, secret, failures)
    server = web.Application()
    server.router.add_post("/telegram", endpoint.handle)
    runner = web.AppRunner(server, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    endpoint.url = f"http://127.0.0.1:{runner.addresses[0][1]}/telegram"
    async with app:
        await app.start()
        await app.bot.set_webhook(endpoint.url, secret_token=secret)
        try:
            yield endpoint
        finally:
            await app.bot.delete_webhook()
            await app.stop()
            await runner.cleanup()


async def call_api(
    standin: BotApiStandin, method: str, token: str = TOKEN, **parameters: Any
) -> tuple[int, dict[str, Any]]:
    """Call the stand-in over plain HTTP, form-encoded as the library does; status and body."""
    form = {
        name: value if isinstance(value, str) else json.dumps(value)
        for name, value in parameters.items()
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{standin.base_url}/bot{token}/{method}", data=form) as response,
    ):
        body: dict[str, Any] = await response.json()
        return response.status, body


def png(width: int, height: int) -> bytes:
    """A valid grey PNG image of that size."""
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        """A PNG chunk: length, kind, data and checksum."""
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


CAMPAIGN_KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Back it", callback_data="back:lamp"),
            InlineKeyboardButton("Website", url="https://backit.test/lamp"),
        ],
        [InlineKeyboardButton("Share", switch_inline_query="lamp")],
    ]
)


def tiny_bot(builder: AnyApplicationBuilder) -> AnyApplication:
    """A small bot using what Backit uses: commands, keyboards, edits, inline mode, photos."""
    app: AnyApplication = builder.build()
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CommandHandler("photo", _photo))
    app.add_handler(CommandHandler("admin", _admin))
    app.add_handler(CallbackQueryHandler(_pressed))
    app.add_handler(InlineQueryHandler(_inline))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    return app


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome, with the payload if any, and a campaign keyboard."""
    assert update.effective_message is not None
    payload = " ".join(context.args or [])
    text = f"Welcome <b>{payload}</b>" if payload else "Welcome"
    await update.effective_message.reply_text(
        text, parse_mode=ParseMode.HTML, reply_markup=CAMPAIGN_KEYBOARD
    )


async def _pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Edit the pressed message to say what was chosen, then answer the press."""
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(f"You chose {query.data}", reply_markup=CAMPAIGN_KEYBOARD)
    except BadRequest as error:
        if "not modified" not in error.message:
            raise
        await query.answer("Already chosen", show_alert=True)
        return
    await query.answer(f"Got {query.data}")


async def _photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send a small photo with an HTML caption."""
    assert update.effective_message is not None
    await update.effective_message.reply_photo(
        png(3, 2), caption="<b>Lamp</b> &amp; light", parse_mode=ParseMode.HTML
    )


async def _admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say whether the sender is an admin, asking Telegram rather than trusting the message."""
    assert update.effective_message is not None
    assert update.effective_user is not None
    chat_id = update.effective_message.chat_id
    member = await context.bot.get_chat_member(chat_id, update.effective_user.id)
    admin = member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
    await update.effective_message.reply_text(f"{member.status}: {'yes' if admin else 'no'}")


async def _inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer a campaign card as an article with a button, and as a photo."""
    assert update.inline_query is not None
    card = InputTextMessageContent(
        f"<b>Lamp</b> for {update.inline_query.query}", parse_mode=ParseMode.HTML
    )
    button = InlineKeyboardMarkup([[InlineKeyboardButton("Open", callback_data="open:lamp")]])
    await update.inline_query.answer(
        [
            InlineQueryResultArticle("lamp", "Lamp", card, reply_markup=button),
            InlineQueryResultPhoto(
                "lamp-photo",
                "https://backit.test/lamp.png",
                "https://backit.test/lamp-thumb.png",
                caption="Lamp",
            ),
        ],
        cache_time=0,
    )


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Repeat the text."""
    assert update.effective_message is not None
    assert update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)
