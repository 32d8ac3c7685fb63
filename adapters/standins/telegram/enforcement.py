"""Telegram's sending limits and refusals, enforced only when a test or the sandbox asks."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from adapters.standins.telegram.errors import GarbledAnswer, forbidden, too_many_requests

K = TypeVar("K")

# Telegram's published limits: per bot overall, per private chat, per group.
BOT_MESSAGES_PER_SECOND = 30
PRIVATE_CHAT_INTERVAL = 1.0
GROUP_MESSAGES_PER_MINUTE = 20


@dataclass(frozen=True)
class SendRecord:
    """A message a bot sent: when (monotonic seconds), by which bot, to which chat."""

    at: float
    bot_id: int
    chat_id: int
    method: str


class Enforcement:
    """Who blocked which bot, who is deactivated, and the rate limits when switched on."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate_limits = False
        self.bot_messages_per_second = BOT_MESSAGES_PER_SECOND
        self.blocked: set[tuple[int, int]] = set()
        self.deactivated: set[int] = set()
        self.throttled = 0
        self.sent: list[SendRecord] = []
        self._clock = clock
        self._by_bot: dict[int, deque[float]] = {}
        self._by_chat: dict[tuple[int, int], deque[float]] = {}
        # The retry_after of each 429 a test asked for, to answer the next sends with.
        self._floods: deque[int] = deque()
        # How many more messages to each chat get a garbled answer, though they are delivered.
        self._garbled: dict[int, int] = {}

    def check_recipient(self, bot_id: int, user_id: int) -> None:
        """Refuse, as Telegram does, to send to a user who blocked the bot or is deactivated."""
        if user_id in self.deactivated:
            raise forbidden("user is deactivated")
        if (bot_id, user_id) in self.blocked:
            raise forbidden("bot was blocked by the user")

    def flood(self, retry_after: int, times: int) -> None:
        """Refuse the next `times` messages with 429 and `retry_after`, whatever the rates."""
        self._floods.extend([retry_after] * times)

    def garble(self, chat_id: int, times: int) -> None:
        """Deliver the next `times` messages to a chat but answer each with a garbled 200."""
        self._garbled[chat_id] = self._garbled.get(chat_id, 0) + times

    def answer_sent(self, chat_id: int) -> None:
        """After a message is delivered: raise GarbledAnswer if its answer is to be garbled."""
        if self._garbled.get(chat_id, 0) > 0:
            self._garbled[chat_id] -= 1
            raise GarbledAnswer

    def admit(self, bot_id: int, chat_id: int, *, private: bool, method: str) -> None:
        """Count one message sent, or refuse it with 429 and retry_after when over a limit."""
        if self._floods:
            self.throttled += 1
            raise too_many_requests(self._floods.popleft())
        now = self._clock()
        if self.rate_limits:
            wait = self._wait(bot_id, chat_id, private=private, now=now)
            if wait > 0:
                self.throttled += 1
                raise too_many_requests(max(1, math.ceil(wait)))
        self._window(self._by_bot, bot_id, now, 1.0).append(now)
        self._window(self._by_chat, (bot_id, chat_id), now, 60.0).append(now)
        self.sent.append(SendRecord(now, bot_id, chat_id, method))

    def _wait(self, bot_id: int, chat_id: int, *, private: bool, now: float) -> float:
        waits = [0.0]
        overall = self._window(self._by_bot, bot_id, now, 1.0)
        if len(overall) >= self.bot_messages_per_second:
            waits.append(overall[-self.bot_messages_per_second] + 1.0 - now)
        in_chat = self._window(self._by_chat, (bot_id, chat_id), now, 60.0)
        if private and in_chat:
            waits.append(in_chat[-1] + PRIVATE_CHAT_INTERVAL - now)
        elif not private and len(in_chat) >= GROUP_MESSAGES_PER_MINUTE:
            waits.append(in_chat[-GROUP_MESSAGES_PER_MINUTE] + 60.0 - now)
        return max(waits)

    @staticmethod
    def _window(windows: dict[K, deque[float]], key: K, now: float, span: float) -> deque[float]:
        window = windows.setdefault(key, deque())
        while window and window[0] <= now - span:
            window.popleft()
        return window
