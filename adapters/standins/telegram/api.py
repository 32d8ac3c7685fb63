"""The HTTP face of the stand-in: `/bot{token}/{method}` and `/file/bot{token}/{path}`."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from adapters.standins.telegram.errors import (
    ApiError,
    GarbledAnswer,
    bad_request,
    method_not_found,
    unauthorized,
)
from adapters.standins.telegram.files import StoredDocument, Upload
from adapters.standins.telegram.methods import METHODS, MethodCall
from adapters.standins.telegram.parameters import Arguments
from adapters.standins.telegram.state import TelegramState
from adapters.standins.telegram.webhooks import WebhookSender

# Method names are case-insensitive on Telegram's side.
_BY_LOWER_NAME = {name.lower(): name for name in METHODS}
# An answer cut short: what a bot reads when the connection breaks inside a 200's body.
_GARBLED = b'{"ok":true,"result":{"message_id":'
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class BotApi:
    """Answers Bot API calls the way api.telegram.org does."""

    def __init__(self, state: TelegramState, webhooks: WebhookSender) -> None:
        self._state = state
        self._webhooks = webhooks

    def routes(self) -> list[web.RouteDef]:
        """The routes of the API and of file downloads."""
        return [
            web.route("*", "/bot{token}/{method}", self.call),
            web.get("/file/bot{token}/{path:.+}", self.download),
        ]

    async def call(self, request: web.Request) -> web.Response:
        """Run one method for the bot whose token is in the path."""
        bot = self._state.bots.get(request.match_info["token"])
        name = _BY_LOWER_NAME.get(request.match_info["method"].lower())
        try:
            if bot is None:
                raise unauthorized()
            if name is None:
                raise method_not_found()
            args = Arguments(name, await _parameters(request))
            result = await METHODS[name](MethodCall(self._state, bot, args, self._webhooks))
        except ApiError as error:
            return web.json_response(error.body(), status=error.code)
        except GarbledAnswer:
            return web.Response(body=_GARBLED, content_type="application/json")
        return web.json_response({"ok": True, "result": result})

    async def download(self, request: web.Request) -> web.Response:
        """Serve an uploaded file at the path getFile gave."""
        stored = self._state.files.at_path(request.match_info["path"])
        if request.match_info["token"] not in self._state.bots or stored is None:
            raise web.HTTPNotFound()
        assert stored.data is not None, "only uploaded files have a download path"
        content_type = stored.mime_type if isinstance(stored, StoredDocument) else "image/jpeg"
        return web.Response(body=stored.data, content_type=content_type)


async def _parameters(request: web.Request) -> dict[str, Any]:
    """The call's parameters from the query string and a form, multipart or JSON body."""
    parameters: dict[str, Any] = dict(request.query)
    if not request.can_read_body:
        return parameters
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON encoded request") from None
        if isinstance(body, dict):
            parameters.update(body)
    elif request.content_type in _FORMS:
        try:
            form = await request.post()
        except web.HTTPRequestEntityTooLarge:
            raise ApiError(413, "Request Entity Too Large") from None
        except ValueError:
            raise bad_request("can't parse multipart/form-data request") from None
        for name, value in form.items():
            if isinstance(value, web.FileField):
                data = value.file.read()
                parameters[name] = Upload(value.filename, value.content_type, data)
            else:
                parameters[name] = value
    # Like Telegram, a body of any other type is ignored.
    return parameters
