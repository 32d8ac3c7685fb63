"""How updates reach a bot: getUpdates long polling, or a webhook."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from adapters.standins.telegram.accounts import Webhook
from adapters.standins.telegram.errors import bad_request, conflict
from adapters.standins.telegram.methods.call import Handler, MethodCall

_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_UPDATE_LIMIT = 100
_DEFAULT_MAX_CONNECTIONS = 40


async def get_updates(call: MethodCall) -> list[dict[str, Any]]:
    """Confirm updates before `offset`, then answer the next ones, holding up to `timeout` s."""
    args, queue = call.args, call.bot.updates
    if call.bot.webhook is not None:
        raise conflict(
            "can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first"
        )
    _allow(call, args.json("allowed_updates"))
    offset = args.optional_integer("offset")
    if offset is not None:
        queue.confirm(offset)
    limit = min(max(args.optional_integer("limit") or _UPDATE_LIMIT, 1), _UPDATE_LIMIT)
    poll = queue.begin_poll()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max(args.optional_integer("timeout") or 0, 0)
    while True:
        if queue.replaced(poll):
            raise conflict(
                "terminated by other getUpdates request; "
                "make sure that only one bot instance is running"
            )
        remaining = deadline - loop.time()
        if queue.pending or remaining <= 0 or call.state.closing:
            return [dict(update) for update in queue.pending[:limit]]
        await queue.arrived.wait(remaining)


async def set_webhook(call: MethodCall) -> bool:
    """Push updates to `url` from now on, with the secret token header when one is set."""
    args = call.args
    secret = args.optional_string("secret_token")
    if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters or is too long")
    url = args.string("url")
    # Telegram wants HTTPS on ports 443, 80, 88 or 8443; local receivers speak plain HTTP.
    if not url.startswith(("https://", "http://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    _allow(call, args.json("allowed_updates"))
    if args.flag("drop_pending_updates"):
        call.bot.updates.drop()
    call.bot.webhook = Webhook(
        url,
        secret,
        args.optional_integer("max_connections") or _DEFAULT_MAX_CONNECTIONS,
        args.optional_string("ip_address"),
    )
    await call.webhooks.follow(call.bot)
    return True


async def delete_webhook(call: MethodCall) -> bool:
    """Stop pushing updates; they wait for getUpdates again."""
    if call.args.flag("drop_pending_updates"):
        call.bot.updates.drop()
    call.bot.webhook = None
    await call.webhooks.stop(call.bot.id)
    return True


async def get_webhook_info(call: MethodCall) -> dict[str, Any]:
    """The WebhookInfo object: an empty URL when polling."""
    bot = call.bot
    info: dict[str, Any] = {
        "url": bot.webhook.url if bot.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(bot.updates.pending),
    }
    if bot.webhook is not None:
        info["max_connections"] = bot.webhook.max_connections
        info["allowed_updates"] = sorted(bot.updates.allowed)
        optional = {
            "ip_address": bot.webhook.ip_address,
            "last_error_date": bot.webhook.last_error_date,
            "last_error_message": bot.webhook.last_error_message,
        }
        info.update({key: value for key, value in optional.items() if value is not None})
    return info


def _allow(call: MethodCall, kinds: Any) -> None:
    if kinds is None:
        return
    if not isinstance(kinds, list) or not all(isinstance(kind, str) for kind in kinds):
        raise bad_request("can't parse allowed_updates JSON object")
    call.bot.updates.allow(kinds)


HANDLERS: dict[str, Handler] = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
