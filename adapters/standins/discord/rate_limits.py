"""Discord's rate limits: a global limit per bot and a message limit per channel, off by default."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from adapters.standins.discord.errors import DiscordError

# discord.py waits and retries a 429 only when this header says it came through Discord's proxy.
VIA = "1.1 google"
_CHANNEL_BUCKET = "3c2b0d9f5e6a4b1c8d7e0f1a2b3c4d5e"


@dataclass(frozen=True)
class Send:
    """One request the bot made, when, and how the stand-in answered."""

    at: float
    method: str
    route: str
    channel_id: int | None
    status: int


class RateLimited(DiscordError):
    """A 429, with the headers Discord sends beside it."""

    def __init__(self, retry_after: float, *, is_global: bool, headers: dict[str, str]) -> None:
        super().__init__(429, 0, "You are being rate limited.")
        self.retry_after = retry_after
        self.is_global = is_global
        self.headers = {
            **headers,
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Scope": "global" if is_global else "user",
            "Via": VIA,
        }
        if is_global:
            self.headers["X-RateLimit-Global"] = "true"

    def body(self) -> dict[str, Any]:
        """Discord's 429 body, with the seconds to wait."""
        return {
            **super().body(),
            "retry_after": round(self.retry_after, 3),
            "global": self.is_global,
        }


class _Window:
    def __init__(self, started: float) -> None:
        self.started = started
        self.count = 0


class RateLimits:
    """Counts requests in fixed windows, as Discord's buckets do, once a test switches them on."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.enabled = False
        self.global_per_second = 50
        self.messages_per_channel = 5
        self.channel_window = 5.0
        self.sends: list[Send] = []
        self.limited = 0
        self._clock = clock
        self._global: _Window | None = None
        self._channels: dict[int, _Window] = {}

    def enable(
        self, *, global_per_second: int = 50, messages_per_channel: int = 5, per: float = 5.0
    ) -> None:
        """Switch the limits on: so many requests a second per bot, so many messages per channel."""
        self.enabled = True
        self.global_per_second = global_per_second
        self.messages_per_channel = messages_per_channel
        self.channel_window = per
        self._global = None
        self._channels.clear()

    def disable(self) -> None:
        """Switch the limits off."""
        self.enabled = False

    def admit(self, *, counts_globally: bool, channel_id: int | None) -> dict[str, str]:
        """Count a request; the headers to answer with, or RateLimited when over a limit."""
        if not self.enabled:
            return {}
        now = self._clock()
        if counts_globally:
            window = self._global = self._current(self._global, now, 1.0)
            if window.count >= self.global_per_second:
                self.limited += 1
                raise RateLimited(window.started + 1.0 - now, is_global=True, headers={})
            window.count += 1
        if channel_id is None:
            return {}
        window = self._channels[channel_id] = self._current(
            self._channels.get(channel_id), now, self.channel_window
        )
        reset_after = window.started + self.channel_window - now
        if window.count >= self.messages_per_channel:
            self.limited += 1
            raise RateLimited(
                reset_after, is_global=False, headers=self._headers(window, reset_after)
            )
        window.count += 1
        return self._headers(window, reset_after)

    def record(self, method: str, route: str, channel_id: int | None, status: int) -> None:
        """Log a request the bot made."""
        self.sends.append(Send(self._clock(), method, route, channel_id, status))

    def _current(self, window: _Window | None, now: float, length: float) -> _Window:
        if window is None or now >= window.started + length:
            return _Window(now)
        return window

    def _headers(self, window: _Window, reset_after: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.messages_per_channel),
            "X-RateLimit-Remaining": str(max(self.messages_per_channel - window.count, 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": _CHANNEL_BUCKET,
        }
