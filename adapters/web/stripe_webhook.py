"""Stripe's webhook: verified on the raw body, each event applied exactly once."""

from __future__ import annotations

import json
import logging

import stripe
from aiohttp import web

from adapters.web.pledge_routes import SERVICES
from adapters.web.request_body import body_or_none
from adapters.web.services import WebServices
from adapters.web.webhook_applier import WebhookApplier
from core.payments import MalformedEvent, PaymentUnavailable
from core.usecases.payments import record_unusable_event

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024
TOLERANCE_SECONDS = 300

APPLIER = web.AppKey("webhook_applier", WebhookApplier)

routes = web.RouteTableDef()


@routes.post("/stripe/webhook")
async def stripe_webhook(request: web.Request) -> web.StreamResponse:
    """Verify, translate and apply one event; 400 and no write for anything unverified."""
    services = request.app[SERVICES]
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length)
    # aiohttp enforces client_max_size while reading, for bodies that hide their length.
    payload = await body_or_none(request, "stripe webhook")
    if payload is None:
        return web.Response(status=400)  # nobody is left to read it
    if not _verified(payload, request.headers.get("Stripe-Signature", ""), services):
        log.warning("refused a webhook that failed verification")
        raise web.HTTPBadRequest(text="invalid signature")
    try:
        outcome = await services.webhooks.outcome_of_event(_parsed(payload))
    except MalformedEvent as malformed:
        return await _refuse(services, malformed)
    except PaymentUnavailable:
        log.warning("webhook not read: Stripe is unavailable; Stripe will retry")
        raise web.HTTPServiceUnavailable(text="not read, try again") from None
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
            log.info(
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
    return web.json_response({"received": True})


def _verified(payload: bytes, header: str, services: WebServices) -> bool:
    """Whether Stripe signed this body with Backit's secret, within the tolerance."""
    # The signature comparison raises TypeError on text that is not ASCII; no signature is.
    if not header.isascii():
        return False
    try:
        # What stripe.Webhook.construct_event does, less building a StripeObject to discard.
        stripe.WebhookSignature.verify_header(
            payload, header, services.webhook_secret, TOLERANCE_SECONDS
        )
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


async def _refuse(services: WebServices, malformed: MalformedEvent) -> web.Response:
    """Record an authentic event that cannot be read, once, and tell Stripe to stop sending it."""
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
    return web.json_response({"received": True})
