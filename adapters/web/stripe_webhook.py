"""Stripe's webhook: verified on the raw body, each event applied exactly once."""

from __future__ import annotations

import json
import logging

import stripe
from aiohttp import web

from adapters.web.pledge_routes import SERVICES
from adapters.web.webhook_applier import WebhookApplier

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024
TOLERANCE_SECONDS = 300

APPLIER = web.AppKey("webhook_applier", WebhookApplier)

routes = web.RouteTableDef()


@routes.post("/stripe/webhook")
async def stripe_webhook(request: web.Request) -> web.Response:
    """Verify, translate and apply one event; 400 and no write for anything unverified."""
    services = request.app[SERVICES]
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length)
    # aiohttp enforces client_max_size while reading, for bodies that hide their length.
    payload = await request.read()
    header = request.headers.get("Stripe-Signature", "")
    try:
        # What stripe.Webhook.construct_event does, less building a StripeObject to discard.
        stripe.WebhookSignature.verify_header(
            payload, header, services.webhook_secret, TOLERANCE_SECONDS
        )
        event = json.loads(payload)
    except (ValueError, stripe.SignatureVerificationError):
        log.warning("refused a webhook that failed verification")
        raise web.HTTPBadRequest(text="invalid signature") from None
    outcome = await services.webhooks.outcome_of_event(event)
    if outcome is not None:
        try:
            applied = await request.app[APPLIER].apply(outcome)
        except Exception:
            log.exception(
                "webhook %s %s not applied; Stripe will retry", event["id"], event["type"]
            )
            raise web.HTTPInternalServerError(text="not applied, try again") from None
        log.info(
            "webhook %s %s: pledge %s %s",
            event["id"],
            event["type"],
            outcome.pledge_id,
            "duplicate"
            if applied.duplicate_event
            else "changed"
            if applied.changed
            else "unchanged",
        )
    return web.json_response({"received": True})
