"""Notices (milestones, creator updates) as Discord messages, delivered by DM or to a channel."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord.http import HTTPClient, Ratelimit, handle_message_parameters

from adapters.chat_text import split
from adapters.discord.layout import components
from adapters.discord.limits import (
    CONTENT,
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    EMBED_TOTAL,
    cut,
    fit,
    inert,
    length,
)
from adapters.discord.render import COLOUR
from adapters.discord.replies import Reply, message_fields
from adapters.platform_answers import accepted_is_sent, status_trace
from core.delivery import DeliveryFailed, RecipientGone, TryAgainLater
from core.identity import Platform
from core.outbox import Recipient, RecipientKind
from core.rate_limits import RateLimiter, SendLimits
from core.views.model import Notice

if TYPE_CHECKING:
    # discord.py's payload types import each other in a cycle: usable for annotations only.
    from discord.types.message import Message as MessagePayload

# Enough DM channels for every active backer of a busy instance; one request saved per hit.
DM_CHANNELS = 10_000
# Past this wait discord.py raises RateLimited instead of sleeping in a send (30 s is its least).
_LONGEST_WAIT_IN_SEND = 30.0
# discord.py's own threshold for sweeping its rate-limit buckets.
_SWEEP_FROM = 256
# A failure's reason is kept with the message for people to read: a line, not a report.
_REASON = 200
# discord.py's login asks for the bot's user, then for its application.
_LOGIN_REQUESTS = 2
# Discord's codes for a person or channel the bot can no longer reach: DMs closed to the bot
# (50007), no access (50001) or no permission (50013) in the channel, channel or user gone.
_GONE = frozenset({50007, 50001, 50013, 10003, 10013})
# What a send raises when it did not go through; OSError covers timeouts and refused connections.
_FAILURES = (discord.HTTPException, discord.RateLimited, aiohttp.ClientError, OSError)


def notice_messages(notice: Notice) -> list[Reply]:
    """A notice as messages of one embed each: title first, text split, link buttons last."""
    title = fit(notice.title, EMBED_TITLE)
    room = min(EMBED_DESCRIPTION, EMBED_TOTAL - length(title))
    pieces = split(notice.text, room, _shown_length) or [""]
    embeds = [
        discord.Embed(
            title=title if index == 0 else None, description=inert(piece) or None, colour=COLOUR
        )
        for index, piece in enumerate(pieces)
    ]
    if notice.picture_url is not None:
        # Under the title, where a milestone's picture leads the announcement.
        embeds[0].set_image(url=notice.picture_url)
    view = components([list(row) for row in notice.buttons]) if notice.buttons else None
    return [Reply(embed=embed) for embed in embeds[:-1]] + [Reply(embed=embeds[-1], view=view)]


def private_notice(notice: Notice) -> Reply:
    """A short notice (an answer to one member's button) as one message only they see."""
    *_, last = notice_messages(notice)
    return replace(last, private=True)


def _shown_length(piece: str) -> int:
    """How long a piece of user text is once made inert, as Discord will count it."""
    return length(inert(piece))


class _DmChannels:
    """The DM channel of each recently reached person, least recently used forgotten first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._channels: OrderedDict[str, str] = OrderedDict()

    def get(self, user_id: str) -> str | None:
        channel_id = self._channels.get(user_id)
        if channel_id is not None:
            self._channels.move_to_end(user_id)
        return channel_id

    def put(self, user_id: str, channel_id: str) -> None:
        self._channels[user_id] = channel_id
        self._channels.move_to_end(user_id)
        if len(self._channels) > self._size:
            self._channels.popitem(last=False)


class DiscordSender:
    """Core's message sender on Discord: notices to people's DMs and to community channels."""

    def __init__(
        self,
        http: HTTPClient,
        limiter: RateLimiter,
        *,
        dm_channels: int = DM_CHANNELS,
    ) -> None:
        self._http = http
        self._limiter = limiter
        self._dms = _DmChannels(dm_channels)

    @property
    def platform(self) -> Platform:
        """Discord."""
        return Platform.DISCORD

    async def send(self, recipient: Recipient, notice: Notice, *, skip_parts: int = 0) -> None:
        """Deliver the notice's parts after the first `skip_parts`; raises DeliveryFailed."""
        parts = notice_messages(notice)[skip_parts:]
        if not parts:
            return
        private = recipient.kind is RecipientKind.USER
        sent = skip_parts
        try:
            channel_id = await self._dm_channel(recipient.address) if private else recipient.address
            for part in parts:
                async with self._limiter.turn(channel_id, private=private):
                    with accepted_is_sent(f"Discord message to channel {channel_id}"):
                        await self._post(channel_id, part)
                sent += 1
        except _FAILURES as error:
            raise self._failure(error, sent) from error

    async def post_report(self, chat_id: str, text: str) -> str:
        """Post a plain, inert status message to a person (`chat_id` is their user id), in
        their DMs: a creator's figures are theirs alone; returns its message id."""
        try:
            channel_id = await self._dm_channel(chat_id)
            async with self._limiter.turn(channel_id, private=True):
                message = await self._post(channel_id, Reply(content=fit(text, CONTENT)))
        except _FAILURES as error:
            raise self._failure(error, 0) from error
        return str(message["id"])

    async def edit_report(self, chat_id: str, message_id: str, text: str) -> None:
        """Replace the text of a status message posted before to that person."""
        fields = message_fields(Reply(content=fit(text, CONTENT)))
        try:
            channel_id = await self._dm_channel(chat_id)
            # An edit is not a new message in the channel: it counts against the bot only.
            with handle_message_parameters(**fields) as params:
                async with self._limiter.turn(None):
                    await self._http.edit_message(channel_id, message_id, params=params)
        except _FAILURES as error:
            raise self._failure(error, 0) from error

    async def _dm_channel(self, user_id: str) -> str:
        channel_id = self._dms.get(user_id)
        if channel_id is None:
            # Opening (or finding) the DM channel is a request of its own.
            async with self._limiter.turn(None):
                channel = await self._http.start_private_message(user_id)
            channel_id = str(channel["id"])
            self._dms.put(user_id, channel_id)
        return channel_id

    async def _post(self, channel_id: str, reply: Reply) -> MessagePayload:
        with handle_message_parameters(**message_fields(reply)) as params:
            return await self._http.send_message(channel_id, params=params)

    def _failure(self, error: Exception, sent: int) -> DeliveryFailed:
        """What a failed request means for the message: retry, drop the recipient, or give up."""
        if isinstance(error, discord.RateLimited):
            return self._wait(error.retry_after, sent)
        if not isinstance(error, discord.HTTPException):
            return TryAgainLater(f"discord unreachable: {type(error).__name__}", sent_parts=sent)
        if error.status == 429:
            return self._wait(_retry_after(error), sent)
        reason = cut(f"discord {error.status} ({error.code}): {error.text}", _REASON)
        if isinstance(error, discord.DiscordServerError):
            return TryAgainLater(reason, sent_parts=sent)
        if error.code in _GONE:
            return RecipientGone(reason, sent_parts=sent)
        return DeliveryFailed(reason, sent_parts=sent)

    def _wait(self, retry_after: float | None, sent: int) -> TryAgainLater:
        # Every send waits, not only this one: the next would meet the same limit.
        if retry_after is not None:
            self._limiter.pause(retry_after)
        return TryAgainLater("discord: rate limited", retry_after=retry_after, sent_parts=sent)


def _retry_after(error: discord.HTTPException) -> float | None:
    """The wait a 429 asked for; discord.py keeps the response's headers, not its body."""
    value = error.response.headers.get("Retry-After")
    try:
        return float(value) if value else None
    except ValueError:
        return None


class _BucketSweep:
    """discord.py's sweep of its per-channel rate-limit buckets, run when they have doubled.

    discord.py keeps a bucket per channel it has sent to and, once it holds 256, scans them all
    on every new channel: a fan-out to n people would cost n²/2 checks. Backit's own limiter
    already paces every channel, so a bucket with nothing under way can go at any time.
    """

    def __init__(self, http: HTTPClient) -> None:
        self._http = http
        self._next = _SWEEP_FROM

    def __call__(self) -> None:
        buckets = self._http._buckets
        if len(buckets) < self._next:
            return
        for key in [key for key, bucket in buckets.items() if _idle(bucket)]:
            del buckets[key]
        self._next = max(_SWEEP_FROM, 2 * len(buckets))


def _idle(bucket: Ratelimit) -> bool:
    return bucket.outgoing == 0 and not bucket._pending_requests


@contextlib.asynccontextmanager
async def discord_sender(
    token: str, limits: SendLimits, connections: int = 8
) -> AsyncIterator[DiscordSender]:
    """A sender logged in over HTTP only (no gateway), within `limits`, making at most
    `connections` requests at once; closed on the way out."""
    limiter = RateLimiter(limits, connections)
    client = discord.Client(
        intents=discord.Intents(guilds=True),
        max_ratelimit_timeout=_LONGEST_WAIT_IN_SEND,
        http_trace=status_trace(),
    )
    try:
        # Pinned to discord.py 2.7 (pyproject): the sweep replaces one of its private methods.
        client.http._try_clear_expired_ratelimits = _BucketSweep(client.http)  # type: ignore[method-assign]
        await client.login(token)
        # Logging in counted against the bot's overall limit: its slots are taken afterwards,
        # as taking them first would let both requests go at the second slot's time.
        for _ in range(_LOGIN_REQUESTS):
            async with limiter.turn(None):
                pass
        yield DiscordSender(client.http, limiter)
    finally:
        await client.close()
