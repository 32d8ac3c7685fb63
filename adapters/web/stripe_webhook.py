"""Stripe's webhook: verified on the raw body, each event applied exactly once."""

from __future__ import annotations

import logging

import stripe
from aiohttp import web

from adapters.web.pledge_routes import SERVICES
from core.usecases.payments import apply_payment_outcome

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024
TOLERANCE_SECONDS = 300

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
        event = stripe.Webhook.construct_event(
            payload, header, services.webhook_secret, tolerance=TOLERANCE_SECONDS
        )
    except (ValueError, stripe.SignatureVerificationError):
        log.warning("refused a webhook that failed verification")
        raise web.HTTPBadRequest(text="invalid signature") from None
    outcome = await services.webhooks.outcome_of_event(event.to_dict())
    if outcome is not None:
        applied = await apply_payment_outcome(services.uows(), services.clock, outcome)
        log.info(
            "webhook %s %s: pledge %s %s",
            event.id,
            event.type,
            outcome.pledge_id,
            "duplicate"
            if applied.duplicate_event
            else "changed"
            if applied.changed
            else "unchanged",
        )
    return web.json_response({"received": True})
