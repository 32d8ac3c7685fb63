"""A token bucket per client address, for pages that cost a request to the payment provider."""

from __future__ import annotations

import ipaddress
import time
from collections import OrderedDict
from collections.abc import Callable

from aiohttp import web

from core.rate_limits import Rate

# Ten visits at once, then one every six seconds: more than a backer's browser ever needs.
PAGE_RATE = Rate(10, 60.0)
# Buckets kept at most; the least recently seen client is forgotten first (and so forgiven).
MAX_CLIENTS = 10_000
# Longer than any address, so that a bucket's key stays small whatever a header says.
_MAX_ADDRESS = 64


class ClientThrottle:
    """Allows each client a burst of `rate.count` requests, refilled over `rate.seconds`."""

    def __init__(
        self,
        rate: Rate = PAGE_RATE,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate
        self._max_clients = max_clients
        self._clock = clock
        # Per client: tokens left and when they were counted, least recently seen first.
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def allow(self, client: str) -> bool:
        """Take one of the client's tokens; False when none is left."""
        now = self._clock()
        tokens, counted = self._buckets.pop(client, (float(self._rate.count), now))
        refill = (now - counted) * self._rate.count / self._rate.seconds
        tokens = min(float(self._rate.count), tokens + refill)
        allowed = tokens >= 1
        self._buckets[client] = (tokens - 1 if allowed else tokens, now)
        while len(self._buckets) > self._max_clients:
            self._buckets.popitem(last=False)
        return allowed


def client_address(request: web.Request) -> str:
    """Who is asking: the peer, or, when the peer is a reverse proxy on this machine, the
    address that proxy forwarded for (the last of X-Forwarded-For: the one it added)."""
    peer = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded and _is_loopback(peer):
        return forwarded.rsplit(",", 1)[-1].strip()[:_MAX_ADDRESS]
    return peer


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
