"""The last resort: log what went wrong with context, and tell the person without internals."""

from __future__ import annotations

import logging

from telegram import Update

from adapters.telegram.callers import tell
from adapters.telegram.context import BackitContext
from core.i18n import negotiate, use_locale
from core.views.failures import apology

log = logging.getLogger(__name__)


async def on_error(update: object, context: BackitContext) -> None:
    """Log the failure with the update's kind and chat; apologise to the person."""
    if not isinstance(update, Update):
        log.error("telegram error outside an update", exc_info=context.error)
        return
    chat = update.effective_chat
    log.error(
        "handling update %s in chat %s failed",
        update.update_id,
        chat.id if chat else None,
        exc_info=context.error,
    )
    user = update.effective_user
    with use_locale(negotiate(user.language_code if user else None)):
        try:
            await tell(update, apology().text)
        except Exception:  # The apology itself failing must not hide the first error.
            log.warning("could not tell the user about the failure", exc_info=True)
