"""Pushing each bot's updates to its webhook, one at a time and in order, retrying failures."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

import aiohttp

from adapters.standins.telegram.accounts import BotAccount, Webhook
from adapters.standins.telegram.state import TelegramState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
# Telegram retries for hours with growing pauses; the stand-in keeps the shape, shorter.
DEFAULT_RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0)
# How long a delivery waits for updates before checking again that it is still wanted.
_IDLE_WAIT = 60.0


class WebhookSender:
    """One delivery task per bot with a webhook; every task is cancelled on close."""

    def __init__(self, state: TelegramState, retry_delays: Sequence[float], timeout: float) -> None:
        self._state = state
        self._retry_delays = tuple(retry_delays) or DEFAULT_RETRY_DELAYS
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def open(self) -> None:
        """Open the HTTP client; called when the stand-in starts serving."""
        self._session = aiohttp.ClientSession(timeout=self._timeout)

    async def close(self) -> None:
        """Stop every delivery and close the HTTP client."""
        for bot_id in list(self._tasks):
            await self.stop(bot_id)
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def follow(self, bot: BotAccount) -> None:
        """(Re)start delivering a bot's updates to its current webhook."""
        await self.stop(bot.id)
        webhook = bot.webhook
        if webhook is not None:
            task = asyncio.get_running_loop().create_task(self._deliver(bot, webhook))
            self._tasks[bot.id] = task

    async def stop(self, bot_id: int) -> None:
        """Stop delivering a bot's updates."""
        task = self._tasks.pop(bot_id, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver(self, bot: BotAccount, webhook: Webhook) -> None:
        failures = 0
        while True:
            if not bot.updates.pending:
                await bot.updates.arrived.wait(_IDLE_WAIT)
                continue
            update = bot.updates.pending[0]
            error = await self._post(webhook, update)
            if error is None:
                bot.updates.confirm(update["update_id"] + 1)
                failures = 0
                continue
            webhook.last_error_date = self._state.now()
            webhook.last_error_message = error
            await asyncio.sleep(self._retry_delays[min(failures, len(self._retry_delays) - 1)])
            failures += 1

    async def _post(self, webhook: Webhook, update: dict[str, Any]) -> str | None:
        """None when the webhook took the update, else why not, in Telegram's words."""
        assert self._session is not None, "the webhook sender is not open"
        headers = {SECRET_HEADER: webhook.secret_token} if webhook.secret_token else {}
        try:
            async with self._session.post(webhook.url, json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientConnectionError:
            return "Connection refused"
