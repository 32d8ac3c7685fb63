"""Stripe's REST API over aiohttp: routes, API-key auth, idempotency and Stripe's error shape."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from adapters.standins.stripe import checkout_sessions, connect, payments
from adapters.standins.stripe.errors import ParamError, StripeError, not_found
from adapters.standins.stripe.expansion import expand
from adapters.standins.stripe.forms import decode
from adapters.standins.stripe.idempotency import IdempotencyKeys, SavedResponse
from adapters.standins.stripe.ids import new_id
from adapters.standins.stripe.listing import LIST_PARAMS, page
from adapters.standins.stripe.params import Params
from adapters.standins.stripe.state import Origin, StripeObject, StripeState

PARAMS = web.RequestKey("params", Params)
ORIGIN = web.RequestKey("origin", Origin)

# How "No such ..." errors name each type, as Stripe's messages do.
_KIND_NAMES = {"payment_method": "PaymentMethod", "setup_intent": "setupintent"}


class StripeApi:
    """The `/v1` routes over the stand-in's state."""

    def __init__(
        self,
        state: StripeState,
        keys: IdempotencyKeys,
        api_key: str,
        public_url: Callable[[], str],
    ) -> None:
        self.state = state
        self.keys = keys
        self.api_key = api_key
        self.public_url = public_url

    def routes(self) -> list[web.RouteDef]:
        """Every route of the API, then Stripe's answer to any other `/v1` URL."""
        retrieve = self._retrieve
        return [
            web.post("/v1/checkout/sessions", self.create_session),
            web.get("/v1/checkout/sessions", self.list_sessions),
            web.get("/v1/checkout/sessions/{id}", retrieve("checkout.session")),
            web.post("/v1/checkout/sessions/{id}/expire", self.expire_session),
            web.post("/v1/customers", self.create_customer),
            web.get("/v1/customers/{id}", retrieve("customer")),
            web.get("/v1/setup_intents/{id}", retrieve("setup_intent")),
            web.get("/v1/payment_methods/{id}", retrieve("payment_method")),
            web.post("/v1/payment_methods/{id}/attach", self.attach_payment_method),
            web.post("/v1/payment_intents", self.create_payment_intent),
            web.get("/v1/payment_intents/{id}", retrieve("payment_intent")),
            web.get("/v1/charges/{id}", retrieve("charge")),
            web.post("/v1/accounts", self.create_account),
            web.get("/v1/accounts/{id}", self.retrieve_account),
            web.post("/v1/accounts/{id}", self.update_account),
            web.post("/v1/accounts/{id}/login_links", self.create_login_link),
            web.post("/v1/account_links", self.create_account_link),
            web.get("/v1/transfers/{id}", retrieve("transfer")),
            web.get("/v1/application_fees/{id}", retrieve("application_fee")),
            web.get("/v1/disputes/{id}", retrieve("dispute")),
            web.post("/v1/refunds", self.create_refund),
            web.get("/v1/refunds/{id}", retrieve("refund")),
            web.get("/v1/events", self.list_events),
            web.get("/v1/events/{id}", self.retrieve_event),
            web.route("*", "/v1/{tail:.*}", self.unknown_url),
        ]

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Authenticate, decode parameters, replay idempotent POSTs, answer errors as Stripe."""
        if not request.path.startswith("/v1/"):
            return await handler(request)
        request_id = new_id("req")
        try:
            api_key = self._authenticate(request)
            checkout_sessions.expire_due_sessions(self.state)
            form = await request.post() if request.method == "POST" else request.query
            params = Params(decode((k, v) for k, v in form.items() if isinstance(v, str)))
            key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
            request[PARAMS] = params
            request[ORIGIN] = Origin(request_id, key)
            if key:
                response = await self._idempotent(request, handler, api_key, key)
            else:
                response = await handler(request)
        except StripeError as error:
            response = _error(error)
        response.headers["Request-Id"] = request_id
        response.headers["Stripe-Version"] = request.headers.get(
            "Stripe-Version", self.state.api_version
        )
        return response

    async def _idempotent(
        self, request: web.Request, handler: Handler, api_key: str, key: str
    ) -> web.StreamResponse:
        endpoint = f"{request.method} {request.path}"
        params = request[PARAMS].values
        saved = self.keys.replay(api_key, key, endpoint, params, self.state.now())
        answer: web.StreamResponse
        if saved is not None:
            answer = _json_bytes(saved.body, status=saved.status)
            answer.headers["Idempotent-Replayed"] = "true"
            answer.headers["Original-Request"] = saved.request_id
        else:
            try:
                answer = await handler(request)
            except ParamError as error:
                # As on Stripe: nothing ran, so nothing is saved; a fixed retry may reuse the key.
                return _error(error)
            except StripeError as error:
                answer = _error(error)
            assert isinstance(answer, web.Response)
            assert isinstance(answer.body, bytes)
            request_id = request[ORIGIN].request_id or ""
            saved = SavedResponse(
                endpoint, params, answer.status, answer.body, request_id, self.state.now()
            )
            self.keys.save(api_key, key, saved)
        answer.headers["Idempotency-Key"] = key
        return answer

    def _authenticate(self, request: web.Request) -> str:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or not token:
            raise StripeError(
                401,
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                "YOUR_SECRET_KEY').",
            )
        if token != self.api_key:
            hidden = f"{token[:8]}{'*' * max(len(token) - 12, 0)}{token[-4:]}"
            raise StripeError(401, f"Invalid API Key provided: {hidden}")
        return token

    async def create_session(self, request: web.Request) -> web.Response:
        """`POST /v1/checkout/sessions`."""
        params = request[PARAMS]
        session = checkout_sessions.create_session(self.state, params, self.public_url())
        return self._object(session, params)

    async def list_sessions(self, request: web.Request) -> web.Response:
        """`GET /v1/checkout/sessions`."""
        params = request[PARAMS]
        return self._object(checkout_sessions.list_sessions(self.state, params), params)

    async def expire_session(self, request: web.Request) -> web.Response:
        """`POST /v1/checkout/sessions/{id}/expire`."""
        params = request[PARAMS]
        params.only()
        session = self._get("checkout.session", request.match_info["id"])
        expired = checkout_sessions.expire_session(self.state, session, request[ORIGIN])
        return self._object(expired, params)

    async def create_customer(self, request: web.Request) -> web.Response:
        """`POST /v1/customers`."""
        params = request[PARAMS]
        return self._object(payments.create_customer(self.state, params, request[ORIGIN]), params)

    async def attach_payment_method(self, request: web.Request) -> web.Response:
        """`POST /v1/payment_methods/{id}/attach`."""
        params = request[PARAMS]
        method_id = request.match_info["id"]
        method = payments.test_payment_method(self.state, method_id) or self._get(
            "payment_method", method_id
        )
        attached = payments.attach_payment_method(self.state, method, params, request[ORIGIN])
        return self._object(attached, params)

    async def create_payment_intent(self, request: web.Request) -> web.Response:
        """`POST /v1/payment_intents`."""
        params = request[PARAMS]
        intent = payments.create_payment_intent(self.state, params, request[ORIGIN])
        return self._object(intent, params)

    async def create_account(self, request: web.Request) -> web.Response:
        """`POST /v1/accounts`."""
        params = request[PARAMS]
        return self._object(connect.create_account(self.state, params), params)

    async def retrieve_account(self, request: web.Request) -> web.Response:
        """`GET /v1/accounts/{id}`."""
        params = request[PARAMS]
        params.only()
        return self._object(connect.find_account(self.state, request.match_info["id"]), params)

    async def update_account(self, request: web.Request) -> web.Response:
        """`POST /v1/accounts/{id}`."""
        params = request[PARAMS]
        account = connect.find_account(self.state, request.match_info["id"])
        updated = connect.update_account(self.state, account, params, request[ORIGIN])
        return self._object(updated, params)

    async def create_login_link(self, request: web.Request) -> web.Response:
        """`POST /v1/accounts/{id}/login_links`."""
        params = request[PARAMS]
        account = connect.find_account(self.state, request.match_info["id"])
        link = connect.create_login_link(self.state, account, params, self.public_url())
        return self._object(link, params)

    async def create_account_link(self, request: web.Request) -> web.Response:
        """`POST /v1/account_links`."""
        params = request[PARAMS]
        link = connect.create_account_link(self.state, params, self.public_url())
        return self._object(link, params)

    async def create_refund(self, request: web.Request) -> web.Response:
        """`POST /v1/refunds`."""
        params = request[PARAMS]
        return self._object(payments.create_refund(self.state, params, request[ORIGIN]), params)

    async def list_events(self, request: web.Request) -> web.Response:
        """`GET /v1/events`, newest first, by type, time and webhook delivery."""
        params = request[PARAMS]
        params.only(*LIST_PARAMS, "type", "types", "delivery_success")
        pattern, types = params.text("type"), params.strings("types")
        if pattern and types:
            raise ParamError("types", "You may only specify one of these parameters: type, types.")
        delivered = params.boolean("delivery_success")
        events = [
            event
            for event in reversed(self.state.events.values())
            if (pattern is None or fnmatch.fnmatchcase(event["type"], pattern))
            and (types is None or event["type"] in types)
            and (delivered is None or (event["pending_webhooks"] == 0) == delivered)
        ]
        return self._object(page(events, params, "/v1/events"), params)

    async def retrieve_event(self, request: web.Request) -> web.Response:
        """`GET /v1/events/{id}`."""
        params = request[PARAMS]
        params.only()
        event = self.state.events.get(request.match_info["id"])
        if event is None:
            raise not_found("event", request.match_info["id"])
        return self._object(event, params)

    async def unknown_url(self, request: web.Request) -> web.Response:
        """Stripe's 404 for a URL it does not serve."""
        raise StripeError(
            404,
            f"Unrecognized request URL ({request.method}: {request.path}). Please see "
            "https://stripe.com/docs or we can help at https://support.stripe.com/.",
        )

    def _retrieve(self, object_type: str) -> Handler:
        async def retrieve(request: web.Request) -> web.Response:
            params = request[PARAMS]
            params.only()
            return self._object(self._get(object_type, request.match_info["id"]), params)

        return retrieve

    def _get(self, object_type: str, object_id: str) -> StripeObject:
        obj = self.state.find(object_type, object_id)
        if obj is None:
            raise not_found(_KIND_NAMES.get(object_type, object_type), object_id)
        return obj

    def _object(self, obj: StripeObject, params: Params) -> web.Response:
        return _json(expand(obj, params.expand(), self.state.objects.get))


def _json(body: dict[str, Any], *, status: int = 200) -> web.Response:
    return _json_bytes(json.dumps(body, indent=2).encode(), status=status)


def _json_bytes(body: bytes, *, status: int) -> web.Response:
    return web.Response(body=body, status=status, content_type="application/json")


def _error(error: StripeError) -> web.Response:
    return _json(error.body(), status=error.status)
