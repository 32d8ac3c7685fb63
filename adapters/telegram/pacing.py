"""Telegram's flood limits kept for the bot's answers, a group over its limit waiting alone."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from core.rate_limits import Rate, RateLimiter, SendLimits

log = logging.getLogger(__name__)

# What Telegram publishes: 30 messages/s in all, about 1/s per private chat, 20/min per group.
TELEGRAM_LIMITS = SendLimits(Rate(30, 1.0), Rate(1, 1.0), Rate(20, 60.0))
# How long an answer refused by Telegram waits, in all, before it is given up: as long as the
# longest wait Telegram asks in the ordinary course (a group's 20 messages a minute), and about
# as long as someone who asked still watches for the answer. Flood bans run to minutes or hours.
PATIENCE = 60.0
Answer = bool | dict[str, Any] | list[dict[str, Any]]
Request = Callable[..., Coroutine[Any, Any, Answer]]


class ChatPacing(BaseRateLimiter[int]):
    """Paces every request that names a chat on the token's limiter, as urgent (someone waits
    for each answer): all of them within the overall rate, a group's in a sliding window of its
    own (as Telegram counts), a private chat's only overall.

    Unlike python-telegram-bot's AIORateLimiter, a 429 stalls only the request refused: the
    chat it names waits and tries again, and every other chat goes on. It tries again as long
    as its waits add up to at most `patience` seconds: an answer a little late is better than
    an apology, which would be refused too; past that, the refusal is raised.
    """

    def __init__(
        self,
        limiter: RateLimiter,
        patience: float = PATIENCE,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._limiter = limiter
        self._patience = patience
        self._sleep = sleep

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Request,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Answer:
        """Make the request in its chat's turn, waiting out and retrying a 429 for it alone;
        `rate_limit_args` is unused (Backit passes none)."""
        chat = data.get("chat_id")
        waited = 0.0
        while True:
            try:
                if chat is None:
                    return await callback(*args, **kwargs)
                private = is_private(str(chat))
                # A private chat counts overall only: answers come one or two per message.
                async with self._limiter.turn(
                    None if private else str(chat), private=private, urgent=True
                ):
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                # Telegram counts in whole seconds: a wait of none would only be refused again.
                wait = max(seconds(error.retry_after), 1.0)
                if waited + wait > self._patience:
                    raise
                waited += wait
                log.info("telegram: %s to %s refused for %.0f s; retrying", endpoint, chat, wait)
                await self._sleep(wait)


def seconds(period: int | timedelta) -> float:
    """A RetryAfter period, whether the library gives it as seconds or as a timedelta."""
    return period.total_seconds() if isinstance(period, timedelta) else float(period)


def is_private(chat_id: str) -> bool:
    """Whether the chat is a person's: Telegram numbers people positively, groups and channels
    negatively, and @names are channels."""
    return chat_id.isdigit()
