"""The Telegram bot as a part of `backit run`: polling, or webhook on the shared web server."""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Update

from adapters.telegram.application import BackitApplication
from adapters.telegram.chat_order import ChatOrderedUpdates
from adapters.telegram.commands import set_menus
from adapters.telegram.deep_links import OpenCampaign, RunCommand
from adapters.telegram.links import bot_link
from adapters.web.request_body import body_or_none

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)


class TelegramBot:
    """Starts and stops an Application inside the running event loop."""

    name = "telegram bot"

    def __init__(
        self,
        application: BackitApplication,
        *,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        poll_timeout: float = 10,
        stop_timeout: float = 10,
    ) -> None:
        self.application = application
        self._webhook_url = webhook_url
        self._webhook_secret = webhook_secret
        self._poll_timeout = poll_timeout
        self._stop_timeout = stop_timeout
        # Whether updates posted to the webhook are taken: only between start and stop.
        self._taking = False

    async def start(self) -> None:
        """Connect, set the command menus, and begin receiving updates."""
        await self.application.initialize()
        await set_menus(self.application.bot)
        await self.application.start()
        self._taking = True
        if self._webhook_url is not None:
            await self.application.bot.set_webhook(
                self._webhook_url, secret_token=self._webhook_secret
            )
            log.info("telegram: receiving updates by webhook as @%s", self.application.bot.username)
        else:
            assert self.application.updater is not None, "polling needs the updater"
            await self.application.updater.start_polling(
                poll_interval=0, timeout=int(self._poll_timeout), drop_pending_updates=False
            )
            log.info("telegram: polling as @%s", self.application.bot.username)

    async def stop(self) -> None:
        """Stop receiving, give the updates in hand `stop_timeout` seconds, drop the rest
        (logged), and disconnect."""
        self._taking = False
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            updates = self.application.update_processor
            assert isinstance(updates, ChatOrderedUpdates), "built by build_application"
            await updates.finish(self._stop_timeout)
            await self.application.stop()
        await self.application.shutdown()

    def pledges_url(self) -> str | None:
        """The private chat with the bot, opening on the person's pledges; None until the bot
        has connected and so knows its username."""
        try:
            username = self.application.bot.username
        except RuntimeError:
            return None
        return bot_link(username, RunCommand("mypledges"))

    def campaign_link(self, slug: str, referral_code: str | None) -> str | None:
        """The t.me link opening a campaign's card in the bot, crediting `referral_code`; None
        until the bot has started and so knows its own name."""
        try:
            username = self.application.bot.username
        except RuntimeError:
            # python-telegram-bot learns the name from getMe, in initialize().
            return None
        return bot_link(username, OpenCampaign(slug, referral_code))

    def webhook_routes(self) -> web.RouteTableDef:
        """The route Telegram posts updates to, checking the secret token header."""
        routes = web.RouteTableDef()

        @routes.post(WEBHOOK_PATH)
        async def receive(request: web.Request) -> web.Response:
            """Queue one update from Telegram; anything without the secret is refused."""
            sent = request.headers.get(SECRET_HEADER, "")
            # compare_digest raises TypeError on text that is not ASCII; the secret is ASCII.
            if (
                not self._webhook_secret
                or not sent.isascii()
                or not hmac.compare_digest(sent, self._webhook_secret)
            ):
                raise web.HTTPForbidden()
            if not self._taking:
                # Stopping: Telegram keeps the update and posts it again, to the next process.
                raise web.HTTPServiceUnavailable()
            body = await body_or_none(request, "telegram webhook")
            if body is None:
                return web.Response(status=400)  # nobody is left to read it
            update = self._update_of(body)
            if update is None:
                raise web.HTTPBadRequest()
            await self.application.update_queue.put(update)
            return web.Response()

        return routes

    def _update_of(self, body: bytes) -> Update | None:
        """The update a body holds; None (logged in one line) when it holds none."""
        try:
            data = json.loads(body)
        # RecursionError: nesting deeper than the parser's stack.
        except (ValueError, RecursionError):
            log.warning("telegram webhook: refused a body that is not JSON")
            return None
        if not isinstance(data, dict):
            log.warning("telegram webhook: refused JSON that is not an object")
            return None
        try:
            return Update.de_json(data, self.application.bot)
        # The library's reader raises whatever its input leads to (KeyError, TypeError,
        # AttributeError, OverflowError...): any of them means the update cannot be read.
        except Exception as error:
            log.warning("telegram webhook: refused an unreadable update (%s)", type(error).__name__)
            return None
