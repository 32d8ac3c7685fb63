"""Notices delivered on Telegram: split into HTML messages, sent within the flood limits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import escape

from telegram import Bot, InputFile, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from adapters.chat_text import split
from adapters.images.drawings import Drawings
from adapters.platform_answers import accepted_is_sent
from adapters.telegram.aiohttp_request import AiohttpRequest
from adapters.telegram.deep_links import OpenCampaign
from adapters.telegram.limits import CAPTION_LIMIT, TEXT_LIMIT, cut, telegram_length
from adapters.telegram.links import bot_link
from adapters.telegram.pacing import is_private, seconds
from adapters.telegram.photos import Photos
from adapters.telegram.render import Rendered, UrlFor, keyboard
from core.delivery import DeliveryFailed, RecipientGone, TryAgainLater
from core.identity import Platform
from core.outbox import Recipient, RecipientKind
from core.rate_limits import RateLimiter
from core.views.intents import Intent, Show
from core.views.model import Notice
from core.views.pictures import CardPicture

# Titles are a line long; the cap only guarantees that the first part has room for text.
_TITLE_LIMIT = 256
# How Telegram says, in a 400, that the chat itself is gone rather than the message being bad.
_GONE_CHAT = ("chat not found", "chat_id is empty", "user not found", "peer_id_invalid")
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def campaign_links(bot_username: str, notice: Notice) -> UrlFor:
    """A notice's button that shows its campaign opens it in the private chat with the bot,
    where its rewards are the reader's own one-tap links, wherever the notice was posted."""

    def url_for(intent: Intent) -> str | None:
        if isinstance(intent, Show) and notice.campaign_slug:
            return bot_link(bot_username, OpenCampaign(notice.campaign_slug))
        return None

    return url_for


def notice_parts(notice: Notice, url_for: UrlFor | None = None) -> list[Rendered]:
    """The notice as HTML messages within Telegram's limits; the buttons go with the last,
    each intent a URL when `url_for` maps it to one."""
    title = cut(notice.title, _TITLE_LIMIT)
    text = notice.text.strip()
    heading = f"<b>{escape(title)}</b>"
    markup = keyboard(notice.buttons, url_for) if url_for else keyboard(notice.buttons)
    if not text:
        return [Rendered(heading, markup)]
    # Split the visible text, then escape, so that no entity is cut and the markup is free.
    pieces = split(text, TEXT_LIMIT, first=TEXT_LIMIT - telegram_length(title) - 2)
    chunks = [chunk for chunk in (piece.strip() for piece in pieces) if chunk]
    html = [f"{heading}\n\n{escape(chunks[0])}", *(escape(chunk) for chunk in chunks[1:])]
    last = len(html) - 1
    return [Rendered(part, markup if index == last else None) for index, part in enumerate(html)]


def fits_a_caption(notice: Notice) -> bool:
    """Whether the notice's title and text fit under its picture, as one photo's caption."""
    title, text = cut(notice.title, _TITLE_LIMIT), notice.text.strip()
    return telegram_length(title) + 2 + telegram_length(text) <= CAPTION_LIMIT


class TelegramSender:
    """Delivers notices and status reports through a Bot, paced by a RateLimiter; a notice with
    a picture (a milestone's) goes as that photo, each picture uploaded once by `photos`."""

    def __init__(
        self, bot: Bot, limiter: RateLimiter, photos: Photos[CardPicture] | None = None
    ) -> None:
        self._bot = bot
        self._limiter = limiter
        self._photos = photos

    @property
    def platform(self) -> Platform:
        """Telegram."""
        return Platform.TELEGRAM

    async def send(self, recipient: Recipient, notice: Notice, *, skip_parts: int = 0) -> None:
        """Send the notice's parts after the first `skip_parts`; raises DeliveryFailed."""
        chat_id = recipient.address
        private = recipient.kind is RecipientKind.USER
        parts = notice_parts(notice, campaign_links(self._bot.username, notice))
        pictured = notice.picture is not None and len(parts) == 1 and fits_a_caption(notice)
        for sent, part in enumerate(parts[skip_parts:], start=skip_parts):
            async with self._turn(chat_id, private=private, sent_parts=sent):
                with accepted_is_sent(f"Telegram message to {chat_id}"):
                    if not (pictured and await self._send_photo(chat_id, notice, part)):
                        await self._bot.send_message(
                            chat_id,
                            part.html,
                            parse_mode=ParseMode.HTML,
                            reply_markup=part.keyboard,
                            link_preview_options=_NO_PREVIEW,
                        )

    async def _send_photo(self, chat_id: str, notice: Notice, part: Rendered) -> bool:
        """The notice's picture captioned with its one part; False if it could not go."""
        if self._photos is None or notice.picture is None:
            return False

        async def send_photo(photo: str | InputFile) -> Message:
            return await self._bot.send_photo(
                chat_id,
                photo,
                caption=part.html,
                parse_mode=ParseMode.HTML,
                reply_markup=part.keyboard,
            )

        # A picture that cannot be drawn or is refused leaves the notice its words.
        return await self._photos.show(notice.picture, send_photo) is not None

    async def post_report(self, chat_id: str, text: str) -> str:
        """Post a plain-text status message; returns its message id."""
        async with self._turn(chat_id, private=is_private(chat_id)):
            message = await self._bot.send_message(chat_id, cut(text, TEXT_LIMIT))
        return str(message.message_id)

    async def edit_report(self, chat_id: str, message_id: str, text: str) -> None:
        """Replace a status message's text; an unchanged text is no error."""
        async with self._turn(chat_id, private=is_private(chat_id)):
            try:
                await self._bot.edit_message_text(
                    cut(text, TEXT_LIMIT), chat_id=chat_id, message_id=int(message_id)
                )
            except BadRequest as error:
                if "message is not modified" not in error.message.lower():
                    raise

    @asynccontextmanager
    async def _turn(
        self, chat_id: str, *, private: bool, sent_parts: int = 0
    ) -> AsyncIterator[None]:
        """The chat's turn for one request; a refusal inside it is raised as DeliveryFailed."""
        try:
            async with self._limiter.turn(chat_id, private=private):
                yield
        except TelegramError as error:
            if isinstance(error, RetryAfter):
                self._limiter.pause(seconds(error.retry_after))
            raise _failure(error, self._reason(error), sent_parts) from error

    def _reason(self, error: TelegramError) -> str:
        kind = type(error).__name__
        reason = error.message if error.message.startswith(kind) else f"{kind}: {error.message}"
        # The HTTP client may quote the request's URL in its messages, and it carries the token.
        return reason.replace(self._bot.token, "<token>")


def _failure(error: TelegramError, reason: str, sent_parts: int) -> DeliveryFailed:
    """What a refusal means for the dispatcher: wait, give up on the message, or the chat."""
    if isinstance(error, RetryAfter):
        return TryAgainLater(reason, retry_after=seconds(error.retry_after), sent_parts=sent_parts)
    # A group upgraded to a supergroup has a new id: the old address never works again.
    if isinstance(error, Forbidden | ChatMigrated):
        return RecipientGone(reason, sent_parts=sent_parts)
    if isinstance(error, BadRequest):
        gone = any(words in error.message.lower() for words in _GONE_CHAT)
        return (RecipientGone if gone else DeliveryFailed)(reason, sent_parts=sent_parts)
    return TryAgainLater(reason, sent_parts=sent_parts)


@asynccontextmanager
async def telegram_sender(
    token: str,
    base_url: str,
    limiter: RateLimiter,
    card_images: Drawings[CardPicture] | None = None,
) -> AsyncIterator[TelegramSender]:
    """A sender on its own Bot (Telegram itself when `base_url` is empty), paced by `limiter`
    and making as many requests at once as it hands connections; shut down on exit. Notices
    with a picture go as photos drawn by `card_images`, when given."""
    request = AiohttpRequest(limiter.connections)
    api = f"{base_url.rstrip('/')}/bot" if base_url else "https://api.telegram.org/bot"
    photos = Photos(card_images.png, "milestone.png") if card_images is not None else None
    async with Bot(token, base_url=api, request=request) as bot:
        yield TelegramSender(bot, limiter, photos)
