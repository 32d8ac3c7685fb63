"""Discord's rate limits: a global limit per bot and a message limit per channel, off by default."""

from __future__ import annotations

import math
import time
from collections import deque
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


@dataclass(frozen=True)
class _Refusal:
    retry_after: float
    via: bool


class RateLimited(DiscordError):
    """A 429, with the headers Discord sends beside it; `via=False` lacks Discord's proxy header."""

    def __init__(
        self,
        retry_after: float,
        *,
        is_global: bool,
        headers: dict[str, str],
        via: bool = True,
    ) -> None:
        super().__init__(429, 0, "You are being rate limited.")
        self.retry_after = retry_after
        self.is_global = is_global
        self.headers = {
            **headers,
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        if via:
            self.headers["Via"] = VIA
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
        self._refusals: deque[_Refusal] = deque()

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

    def refuse_sends(self, count: int, *, retry_after: float = 1.0, via: bool = True) -> None:
        """Answer the next `count` message sends with a 429, limits on or off, as Discord does
        when another process spent the bucket; `via=False` is a 429 that did not come through
        Discord's proxy (a Cloudflare block), which discord.py raises instead of retrying."""
        self._refusals.extend(_Refusal(retry_after, via) for _ in range(count))

    def admit(self, *, counts_globally: bool, channel_id: int | None) -> dict[str, str]:
        """Count a request; the headers to answer with, or RateLimited when over a limit."""
        if channel_id is not None and self._refusals:
            refusal = self._refusals.popleft()
            self.limited += 1
            headers = self._bucket_headers(0, refusal.retry_after)
            raise RateLimited(
                refusal.retry_after, is_global=False, headers=headers, via=refusal.via
            )
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
        return self._bucket_headers(self.messages_per_channel - window.count, reset_after)

    def _bucket_headers(self, remaining: int, reset_after: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.messages_per_channel),
            "X-RateLimit-Remaining": str(max(remaining, 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": _CHANNEL_BUCKET,
        }
