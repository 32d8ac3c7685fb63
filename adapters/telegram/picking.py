"""Campaign pickers: a command given no campaign offers the relevant ones as buttons."""

from __future__ import annotations

from html import escape

from telegram import Update

from adapters.telegram.callers import is_private
from adapters.telegram.context import BackitContext
from adapters.telegram.render import Rendered, render_list
from adapters.telegram.sending import edit_or_send, send
from core.identity import Caller, Platform
from core.usecases.choosing import Purpose, campaigns_to_pick
from core.views.pickers import campaign_picker


def typed(context: BackitContext) -> str:
    """The campaign name typed after a command, all its words (empty when none)."""
    return " ".join(context.args or ())


async def offer(update: Update, context: BackitContext, caller: Caller, purpose: Purpose) -> None:
    """Send the campaigns to pick from for `purpose`, the chat's own where it has some."""
    services = context.services
    chat = update.effective_chat
    assert chat is not None
    here = None if is_private(update) else (Platform.TELEGRAM, str(chat.id))
    campaigns = await campaigns_to_pick(
        services.uows, services.clock, purpose, caller.identity, here
    )
    page = campaign_picker(purpose, campaigns, services.clock.now())
    await send(context, chat.id, render_list(page))


async def settle(update: Update, context: BackitContext, text: str) -> None:
    """After a pick: the picker becomes the outcome, so nobody picks from it again by mistake."""
    await edit_or_send(update, context, Rendered(escape(text), None))
    if update.callback_query is not None:
        await update.callback_query.answer()
