"""Changing one's pledge from its card: the rewards to move to, and the move itself."""

from __future__ import annotations

from telegram import Update

from adapters.telegram.context import BackitContext
from adapters.telegram.notices import notice_parts
from adapters.telegram.sending import send
from core.identity import Caller
from core.usecases.changing import ChangeRequest, change_pledge, pledge_to_change
from core.views.intents import Intent
from core.views.model import Notice
from core.views.pledge_changes import change_choices, change_result


async def _show(update: Update, context: BackitContext, notice: Notice) -> None:
    chat = update.effective_chat
    assert chat is not None
    assert update.callback_query is not None
    # Answered once core has agreed: a refusal on the way is answered as an alert instead.
    await update.callback_query.answer()
    for part in notice_parts(notice):
        await send(context, chat.id, part)


async def change_button(
    update: Update, context: BackitContext, caller: Caller, intent: Intent
) -> None:
    """ "Change my pledge": the other rewards, each a button that moves the pledge there."""
    services = context.services
    found = await pledge_to_change(services.uows, services.clock, caller, intent.int_arg(0))
    await _show(update, context, change_choices(found.pledge, found.campaign, services.clock.now()))


async def change_to_button(
    update: Update, context: BackitContext, caller: Caller, intent: Intent
) -> None:
    """A reward chosen for the pledge: moved there once, however often it is pressed."""
    services = context.services
    request = ChangeRequest(caller, intent.int_arg(0), intent.int_arg(1))
    change = await change_pledge(services.uows, services.clock, services.limits, request)
    await _show(update, context, change_result(change.pledge, change.campaign, change.changed))
