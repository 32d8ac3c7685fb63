"""Telegram's flood limits kept for the bot's answers, a group over its limit waiting alone."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from core.rate_limits import Rate, RateLimiter, SendLimits

log = logging.getLogger(__name__)

# What Telegram publishes: 30 messages/s in all, about 1/s per private chat, 20/min per group.
TELEGRAM_LIMITS = SendLimits(Rate(30, 1.0), Rate(1, 1.0), Rate(20, 60.0))
Answer = bool | dict[str, Any] | list[dict[str, Any]]
Request = Callable[..., Coroutine[Any, Any, Answer]]


class ChatPacing(BaseRateLimiter[int]):
    """Paces every request that names a chat: all of them within the overall rate, a group's
    in a sliding window of its own (as Telegram counts), a private chat's only overall.

    Unlike python-telegram-bot's AIORateLimiter, a 429 stalls only the request refused: the
    chat it names waits and tries again, and every other chat goes on.
    """

    def __init__(self, limits: SendLimits, connections: int, max_retries: int = 2) -> None:
        self._limiter = RateLimiter(limits, connections)
        self._max_retries = max_retries

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
        """Make the request in its chat's turn, waiting out and retrying a 429 for it alone."""
        retries = rate_limit_args or self._max_retries
        chat = data.get("chat_id")
        refused = 0
        while True:
            try:
                if chat is None:
                    return await callback(*args, **kwargs)
                private = is_private(str(chat))
                # A private chat counts overall only: answers come one or two per message.
                async with self._limiter.turn(None if private else str(chat), private=private):
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                if refused == retries:
                    raise
                refused += 1
                wait = seconds(error.retry_after)
                log.info("telegram: %s to %s refused for %.0f s; retrying", endpoint, chat, wait)
                await asyncio.sleep(wait)


def seconds(period: int | timedelta) -> float:
    """A RetryAfter period, whether the library gives it as seconds or as a timedelta."""
    return period.total_seconds() if isinstance(period, timedelta) else float(period)


def is_private(chat_id: str) -> bool:
    """Whether the chat is a person's: Telegram numbers people positively, groups and channels
    negatively, and @names are channels."""
    return chat_id.isdigit()
