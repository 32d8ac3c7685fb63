"""Stripe's webhooks: verified on the raw body, each event applied exactly once.

Two endpoints, each signed with its own secret: `/stripe/webhook` for the platform's own
payments, `/stripe/connect-webhook` for events about creators' connected accounts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import stripe
from aiohttp import web

from adapters.web.request_body import body_or_none
from adapters.web.services import SERVICES, WebServices
from adapters.web.webhook_applier import WebhookApplier
from core.payments import MalformedEvent, PaymentUnavailable
from core.usecases.payments import record_unusable_event
from core.usecases.payouts import apply_account_update

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024
TOLERANCE_SECONDS = 300

APPLIER = web.AppKey("webhook_applier", WebhookApplier)

T = TypeVar("T")

routes = web.RouteTableDef()


@routes.post("/stripe/webhook")
async def stripe_webhook(request: web.Request) -> web.StreamResponse:
    """Verify, translate and apply one event; 400 and no write for anything unverified."""
    services = request.app[SERVICES]
    outcome = await _read_event(
        request, services.webhook_secret, services.webhooks.outcome_of_event
    )
    if outcome is not None:
        try:
            applied = await request.app[APPLIER].apply(outcome)
        except Exception:
            log.exception(
                "webhook %s %s not applied; Stripe will retry", outcome.event_id, outcome.event_type
            )
            raise web.HTTPInternalServerError(text="not applied, try again") from None
        if applied.anomaly is not None:
            log.error(
                "webhook %s %s: pledge %s not applied, recorded as an anomaly: %s",
                outcome.event_id,
                outcome.event_type,
                outcome.pledge_id,
                applied.anomaly,
            )
        else:
            # The applier says at INFO what each group came to: one line per event would cost
            # a launch spike more than the rest of its handling.
            log.debug(
                "webhook %s %s: pledge %s %s",
                outcome.event_id,
                outcome.event_type,
                outcome.pledge_id,
                "duplicate"
                if applied.duplicate_event
                else "changed"
                if applied.changed
                else "unchanged",
            )
    return _received()


@routes.post("/stripe/connect-webhook")
async def stripe_connect_webhook(request: web.Request) -> web.StreamResponse:
    """Verify and keep news of a creator's account, once; 404 unless creators are paid
    through their own accounts."""
    services = request.app[SERVICES]
    secret, reader = services.connect_webhook_secret, services.connect_webhooks
    if secret is None or reader is None:
        raise web.HTTPNotFound()
    update = await _read_event(request, secret, reader.account_update_of_event)
    if update is not None:
        try:
            changed = await apply_account_update(services.uows(), services.clock, update)
        except Exception:
            log.exception("connect webhook %s not applied; Stripe will retry", update.event_id)
            raise web.HTTPInternalServerError(text="not applied, try again") from None
        log.info(
            "connect webhook %s: account %s %s",
            update.event_id,
            update.state.account_id,
            "changed" if changed else "unchanged",
        )
    return _received()


def _received() -> web.Response:
    return web.json_response({"received": True})


async def _read_event(
    request: web.Request, secret: str, read: Callable[[object], Awaitable[T | None]]
) -> T | None:
    """What a verified event says, as `read` makes it out; None for an event Backit does not
    use, or one it cannot read (recorded once, for an operator). Raises the HTTP error that
    answers a body too large, unverified or not read for now."""
    services = request.app[SERVICES]
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length)
    # aiohttp enforces client_max_size while reading, for bodies that hide their length.
    payload = await body_or_none(request, "stripe webhook")
    if payload is None:
        raise web.HTTPBadRequest()  # nobody is left to read it
    if not _verified(payload, request.headers.get("Stripe-Signature", ""), secret):
        log.warning("refused a webhook that failed verification")
        raise web.HTTPBadRequest(text="invalid signature")
    try:
        return await read(_parsed(payload))
    except MalformedEvent as malformed:
        await _refuse(services, malformed)
        return None
    except PaymentUnavailable:
        log.warning("webhook not read: Stripe is unavailable; Stripe will retry")
        raise web.HTTPServiceUnavailable(text="not read, try again") from None


def _verified(payload: bytes, header: str, secret: str) -> bool:
    """Whether Stripe signed this body with the endpoint's secret, within the tolerance."""
    # The signature comparison raises TypeError on text that is not ASCII; no signature is.
    if not header.isascii():
        return False
    try:
        # What stripe.Webhook.construct_event does, less building a StripeObject to discard.
        stripe.WebhookSignature.verify_header(payload, header, secret, TOLERANCE_SECONDS)
    except (ValueError, stripe.SignatureVerificationError):
        return False
    return True


def _parsed(payload: bytes) -> object:
    """The body as JSON; a signed body that is not JSON is an event that cannot be read."""
    try:
        return json.loads(payload)
    # RecursionError: nesting deeper than the parser's stack.
    except (ValueError, RecursionError):
        raise MalformedEvent("the body is not JSON") from None


async def _refuse(services: WebServices, malformed: MalformedEvent) -> None:
    """Record an authentic event that cannot be read, once, so Stripe can stop sending it."""
    try:
        first = await record_unusable_event(
            services.uows(), services.clock, malformed.anomaly(services.clock.now())
        )
    except Exception:
        log.exception("unreadable webhook %s not recorded; Stripe will retry", malformed.event_id)
        raise web.HTTPInternalServerError(text="not recorded, try again") from None
    if first:
        log.error(
            "webhook %s %s: pledge %s unreadable, recorded as an anomaly: %s",
            malformed.event_id,
            malformed.event_type,
            malformed.pledge_id,
            malformed.reason,
        )
    else:
        log.info("webhook %s %s: duplicate", malformed.event_id, malformed.event_type)
