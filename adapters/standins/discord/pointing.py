"""Pointing the real discord.py at a stand-in, and back."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import yarl

from adapters.standins.discord.standin import DiscordStandin


@contextlib.contextmanager
def pointed_at(target: DiscordStandin | str) -> Iterator[None]:
    """discord.py's REST base and gateway aimed at a stand-in (or its base URL) meanwhile."""
    # Both are class attributes: every client in the process is affected until the block ends.
    # Imported here: serving the stand-in needs no client library, only pointing one at it does.
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    base_url = (target if isinstance(target, str) else target.base_url).rstrip("/")
    previous = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = f"{base_url}/api/v10"
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws{base_url.removeprefix('http')}/gateway")
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = previous
