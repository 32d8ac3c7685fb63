"""The Discord bot as a part of `backit run`: logged in, connected, and closed on the way out."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.client import BackitClient

log = logging.getLogger(__name__)
# Opens the Discord app (or web client) on the person's direct messages.
DIRECT_MESSAGES_URL = "https://discord.com/channels/@me"
# Login, command sync, the gateway handshake and the servers' arrival.
READY_WITHIN = 60.0


def point_at(api_base: str | None, gateway_url: str | None) -> None:
    """Send discord.py's REST calls and gateway connection elsewhere (a stand-in), when given."""
    # discord.py keeps both as class attributes: this applies to every client of the process.
    if api_base:
        Route.BASE = api_base.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class DiscordBot:
    """Logs a client in and keeps its gateway connection running until stopped."""

    name = "discord bot"

    def __init__(
        self,
        client: BackitClient,
        token: str,
        *,
        ready_within: float = READY_WITHIN,
        stop_timeout: float = 10,
    ) -> None:
        self.client = client
        self._token = token
        self._ready_within = ready_within
        self._stop_timeout = stop_timeout
        self._connection: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Log in, sync the commands, connect, and return once the servers are known."""
        await self.client.login(self._token)
        self._connection = asyncio.create_task(self.client.connect(), name="discord gateway")
        ready = asyncio.create_task(self.client.wait_until_ready())
        try:
            done, _ = await asyncio.wait(
                {self._connection, ready},
                timeout=self._ready_within,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            ready.cancel()
        if self._connection in done:
            self._connection.result()
        if ready not in done:
            raise TimeoutError(f"discord: not connected within {self._ready_within:g} s")
        self._connection.add_done_callback(_report_end)

    def pledges_url(self) -> str:
        """Discord's direct messages, where the bot writes a person their receipts."""
        # Which channel a pledge began in is not kept: the direct messages are where its
        # receipt arrives.
        return DIRECT_MESSAGES_URL

    async def stop(self) -> None:
        """Give the interactions in hand `stop_timeout` seconds (starting no new one), then
        close the gateway and the HTTP session."""
        work = self.client.in_hand
        await work.finish(self._stop_timeout)
        if work.dropped or work.cut_short:
            log.warning(
                "discord: stopped with %d interactions left unanswered and %d cut short",
                work.dropped,
                work.cut_short,
            )
        await self.client.close()
        if self._connection is not None:
            with contextlib.suppress(asyncio.CancelledError, discord.DiscordException):
                await self._connection


def _report_end(connection: asyncio.Task[None]) -> None:
    # discord.py reconnects by itself; its connection only ends for good on close or a
    # fatal refusal (a revoked token, intents not granted), which must not go unseen.
    if not connection.cancelled() and connection.exception() is not None:
        log.error("discord: the gateway connection ended", exc_info=connection.exception())
