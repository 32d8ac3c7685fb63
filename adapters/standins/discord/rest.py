"""Discord's REST API v10 over aiohttp: routes, bot-token auth, limits and Discord's error shape."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from adapters.standins.discord.attachments import Upload, read_multipart, too_large
from adapters.standins.discord.contract import Contract, Violation
from adapters.standins.discord.errors import (
    DiscordError,
    FormErrors,
    from_violations,
    unauthorized,
)
from adapters.standins.discord.rate_limits import RateLimited, RateLimits
from adapters.standins.discord.resources import Resources
from adapters.standins.discord.wire import BODY, json_response

PREFIX = "/api/v10"
# Interaction callbacks and webhook calls carry their token in the URL, not a bot token,
# and do not count against the bot's global limit.
_TOKEN_IN_URL = ("/interactions/", "/webhooks/")
_PUBLIC = ("/gateway",)
# The routes whose bodies are messages (or, for callbacks, hold one in `data`).
_MESSAGE_ROUTES = ("/interactions/", "/webhooks/", "/channels/")
# Responses checked against the spec per method, route and status: the same code answers
# every later one, and checking each of a 10,000-message fan-out would dominate its run.
_RESPONSE_CHECKS = 200
_REMEMBERED_BODIES = 1024
# A message's answer cut short, as a bot reads it when the connection breaks inside the body.
_GARBLED = b'{"id": "'


class DiscordApi:
    """The `/api/v10` routes, wrapped in what every Discord request goes through."""

    def __init__(
        self,
        resources: Resources,
        rate_limits: RateLimits,
        contract: Contract | None,
        violations: list[str],
        garbled: dict[int, int],
    ) -> None:
        self.resources = resources
        # How many more messages posted to each channel get a garbled answer, though posted.
        self.garbled = garbled
        self.rate_limits = rate_limits
        self.contract = contract
        self.violations = violations
        # A fan-out sends one body to thousands of channels: each distinct body is checked once.
        self._request_verdicts: dict[tuple[str, str, bytes], list[Violation]] = {}
        self._responses_checked: dict[tuple[str, str, int], int] = {}

    def routes(self) -> list[web.RouteDef]:
        """Every route, literal paths before the patterns that would swallow them."""
        r = self.resources
        webhook = "/webhooks/{webhook_id}/{webhook_token}"
        table: list[tuple[str, str, Handler]] = [
            ("GET", "/users/@me", r.me),
            ("POST", "/users/@me/channels", r.open_dm),
            ("GET", "/users/{user_id}", r.user),
            ("GET", "/oauth2/applications/@me", r.application),
            ("GET", "/gateway", r.gateway),
            ("GET", "/gateway/bot", r.gateway_bot),
            ("GET", "/applications/{application_id}/commands", r.commands),
            ("PUT", "/applications/{application_id}/commands", r.overwrite_commands),
            ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", r.commands),
            (
                "PUT",
                "/applications/{application_id}/guilds/{guild_id}/commands",
                r.overwrite_commands,
            ),
            ("POST", "/interactions/{interaction_id}/{interaction_token}/callback", r.callback),
            ("POST", webhook, r.follow_up),
            ("GET", webhook + "/messages/@original", r.webhook_message),
            ("PATCH", webhook + "/messages/@original", r.edit_webhook_message),
            ("DELETE", webhook + "/messages/@original", r.delete_webhook_message),
            ("GET", webhook + "/messages/{message_id}", r.webhook_message),
            ("PATCH", webhook + "/messages/{message_id}", r.edit_webhook_message),
            ("DELETE", webhook + "/messages/{message_id}", r.delete_webhook_message),
            ("GET", "/channels/{channel_id}", r.channel),
            ("GET", "/channels/{channel_id}/messages", r.messages),
            ("POST", "/channels/{channel_id}/messages", r.send),
            ("GET", "/channels/{channel_id}/messages/{message_id}", r.message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", r.edit),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", r.delete),
            ("GET", "/guilds/{guild_id}", r.guild),
            ("GET", "/guilds/{guild_id}/channels", r.guild_channels),
            ("GET", "/guilds/{guild_id}/members/{user_id}", r.member),
            ("GET", "/guilds/{guild_id}/roles", r.roles),
        ]
        routes = [web.route(method, PREFIX + path, handler) for method, path, handler in table]
        return [*routes, web.route("*", PREFIX + "/{tail:.*}", _not_found)]

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Authenticate, limit, read and check the body, answer errors as Discord does."""
        if not request.path.startswith(PREFIX + "/"):
            return await handler(request)
        route = _route(request)
        channel_id = _limited_channel(request, route)
        headers: dict[str, str] = {}
        try:
            self._authenticate(request, route)
            headers = self.rate_limits.admit(
                counts_globally=not route.startswith(_TOKEN_IN_URL), channel_id=channel_id
            )
            request[BODY] = await self._body(request, route)
            response = await handler(request)
        except DiscordError as error:
            if isinstance(error, RateLimited):
                headers.update(error.headers)
            response = json_response(error.body(), status=error.status)
        response.headers.update(headers)
        self._check_response(request.method, route, response)
        if channel_id is not None and response.status == 200 and self.garbled.get(channel_id):
            self.garbled[channel_id] -= 1
            response = web.Response(body=_GARBLED, headers=response.headers)
        if "Authorization" in request.headers or route.startswith(_TOKEN_IN_URL):
            self.rate_limits.record(request.method, route, channel_id, response.status)
        return response

    def _authenticate(self, request: web.Request, route: str) -> None:
        if route.startswith(_TOKEN_IN_URL) or route in _PUBLIC:
            return
        expected = f"Bot {self.resources.world.application.token}"
        if request.headers.get("Authorization") != expected:
            raise unauthorized()

    async def _body(self, request: web.Request, route: str) -> Any:
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        uploads: dict[int, Upload] = {}
        if request.content_type.startswith("multipart/"):
            body, uploads = await read_multipart(request)
            raw = json.dumps(body).encode()
        else:
            try:
                raw = await request.read()
            except web.HTTPRequestEntityTooLarge:
                raise too_large() from None
            if not raw:
                return None
            try:
                body = json.loads(raw)
            except ValueError:
                raise DiscordError(400, 50109, "The request body contains invalid JSON.") from None
        self._check_request(request, route, raw, body)
        self._attach(request, route, body, uploads)
        return body

    def _attach(
        self, request: web.Request, route: str, body: Any, uploads: dict[int, Upload]
    ) -> None:
        """Replace the message's `attachments` with the files they name, uploaded or kept."""
        if not route.startswith(_MESSAGE_ROUTES):
            return
        callback = route.endswith("/callback") and isinstance(body, dict)
        message = body.get("data") if callback else body
        if not isinstance(message, dict):
            if uploads:
                raise DiscordError(400, 50006, "Cannot send an empty message")
            return
        form = FormErrors()
        origin = str(request.url.origin())
        attachments = self.resources.world.attachments.resolve(
            form, message.get("attachments"), uploads, origin
        )
        form.raise_if_any()
        if attachments is not None:
            message["attachments"] = attachments

    def _check_request(self, request: web.Request, route: str, raw: bytes, body: Any) -> None:
        if self.contract is not None and self.contract.covers(request.method, route):
            key = (request.method, route, raw)
            if key not in self._request_verdicts:
                if len(self._request_verdicts) >= _REMEMBERED_BODIES:
                    self._request_verdicts.clear()
                self._request_verdicts[key] = self.contract.check_request(
                    request.method, route, body
                )
            if self._request_verdicts[key]:
                raise from_violations(self._request_verdicts[key])

    def _check_response(self, method: str, route: str, response: web.StreamResponse) -> None:
        # The stand-in's own answers must match Discord's spec; a mismatch is a stand-in bug.
        if self.contract is None or not self.contract.covers(method, route):
            return
        seen = (method, route, response.status)
        self._responses_checked[seen] = checked = self._responses_checked.get(seen, 0) + 1
        if checked > _RESPONSE_CHECKS:
            return
        assert isinstance(response, web.Response)
        body = (
            json.loads(response.body)
            if isinstance(response.body, bytes) and response.body
            else None
        )
        for violation in self.contract.check_response(method, route, response.status, body):
            self.violations.append(f"{method} {route} {response.status}: {violation}")


def _route(request: web.Request) -> str:
    resource = request.match_info.route.resource
    canonical = resource.canonical if resource is not None else request.path
    return canonical.removeprefix(PREFIX)


def _limited_channel(request: web.Request, route: str) -> int | None:
    # Discord limits how fast a bot posts into one channel, beside its global limit.
    if request.method == "POST" and route == "/channels/{channel_id}/messages":
        return (
            int(request.match_info["channel_id"])
            if request.match_info["channel_id"].isdigit()
            else None
        )
    return None


async def _not_found(_request: web.Request) -> web.Response:
    return json_response({"message": "404: Not Found", "code": 0}, status=404)
