"""The aiohttp application and the server that runs it inside `backit run`."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from adapters.web import pages, payout_routes, pictures, pledge_routes, stripe_webhook
from adapters.web.locale import request_locale
from adapters.web.malformed_requests import log_malformed_requests_briefly
from adapters.web.pledge_routes import SUCCESS_THROTTLE
from adapters.web.security_headers import add_security_headers
from adapters.web.services import SERVICES, WebServices
from adapters.web.stripe_webhook import APPLIER, MAX_BODY
from adapters.web.throttle import ClientThrottle
from adapters.web.webhook_applier import WebhookApplier
from core.i18n import use_locale

log = logging.getLogger(__name__)
# How long a stop waits for requests in flight (a slow client's, say) before cutting them off.
SHUTDOWN_TIMEOUT = 10.0

health = web.RouteTableDef()


@health.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    """Alive and able to reach the database."""
    async with request.app[SERVICES].uows(read_only=True) as uow:
        await uow.campaigns.get(0)
    return web.json_response({"status": "ok"})


@web.middleware
async def not_found_as_a_page(request: web.Request, handler: Handler) -> web.StreamResponse:
    """An address that leads nowhere gets a page in the reader's language, not a bare line."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        with use_locale(request_locale(request)):
            return pages.not_found_page()


def create_app(services: WebServices) -> web.Application:
    """Every inbound HTTP route of Backit, in one application."""
    log_malformed_requests_briefly()
    app = web.Application(client_max_size=MAX_BODY, middlewares=[not_found_as_a_page])
    app.on_response_prepare.append(add_security_headers)
    app[SERVICES] = services
    app[SUCCESS_THROTTLE] = ClientThrottle()
    applier = app[APPLIER] = WebhookApplier(services.uows, services.clock)
    app.cleanup_ctx.append(applier.running)
    app.add_routes(health)
    app.add_routes(stripe_webhook.routes)
    app.add_routes(pledge_routes.routes)
    app.add_routes(pictures.routes)
    app.add_routes(payout_routes.routes)
    return app


class WebServer:
    """Serves an application on a host and port until stopped."""

    name = "web server"

    def __init__(
        self,
        app: web.Application,
        host: str,
        port: int,
        shutdown_timeout: float = SHUTDOWN_TIMEOUT,
    ) -> None:
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=shutdown_timeout)
        self._host, self._port = host, port

    @property
    def port(self) -> int:
        """The port actually bound (useful when 0 asked for any free one)."""
        return int(self._runner.addresses[0][1])

    async def start(self) -> None:
        """Bind and start serving."""
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, self._port).start()
        log.info("web server listening on http://%s:%d", self._host, self.port)

    async def stop(self) -> None:
        """Finish in-flight requests and release the socket."""
        await self._runner.cleanup()
