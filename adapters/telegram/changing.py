"""Changing one's pledge from its card: the rewards to move to, another amount, the move."""

from __future__ import annotations

from telegram import Update

from adapters.telegram.awaited import AWAITING_AMOUNT, AWAITING_CHANGE, AWAITING_REASON
from adapters.telegram.context import BackitContext
from adapters.telegram.notices import notice_parts
from adapters.telegram.sending import send
from core.errors import InvalidAmount
from core.identity import Caller
from core.usecases.changing import (
    ChangeRequest,
    PledgeChange,
    change_pledge,
    pledge_to_change,
    with_amount,
)
from core.usecases.pledging import custom_amount
from core.views.intents import ChangeAmount, ChangePledge, ChangeTo
from core.views.model import Notice
from core.views.pledge_changes import amount_question, change_choices, change_reply


async def _send(update: Update, context: BackitContext, notice: Notice) -> None:
    chat = update.effective_chat
    assert chat is not None
    for part in notice_parts(notice):
        await send(context, chat.id, part)


async def _answer(update: Update) -> None:
    # Answered once core has agreed: a refusal on the way is answered as an alert instead.
    assert update.callback_query is not None
    await update.callback_query.answer()


def _result(context: BackitContext, change: PledgeChange) -> Notice:
    return change_reply(change, context.services.top_up_url(change))


async def change_button(
    update: Update, context: BackitContext, caller: Caller, intent: ChangePledge
) -> None:
    """ "Change my pledge": the other rewards, each a button that moves the pledge there."""
    services = context.services
    found = await pledge_to_change(services.uows, services.clock, caller, intent.pledge_id)
    await _answer(update)
    await _send(update, context, change_choices(found.pledge, found.campaign, services.clock.now()))


async def change_to_button(
    update: Update, context: BackitContext, caller: Caller, intent: ChangeTo
) -> None:
    """A reward chosen for the pledge: moved there once, however often it is pressed."""
    services = context.services
    request = ChangeRequest(caller, intent.pledge_id, intent.tier_id)
    change = await change_pledge(
        services.uows, services.clock, services.gateway, services.limits, request
    )
    await _answer(update)
    await _send(update, context, _result(context, change))


async def change_amount_button(
    update: Update, context: BackitContext, caller: Caller, intent: ChangeAmount
) -> None:
    """ "Another amount": ask for it; the next message is the answer."""
    services = context.services
    found = await pledge_to_change(services.uows, services.clock, caller, intent.pledge_id)
    assert context.user_data is not None
    # One amount is awaited at a time: this one, not a new pledge's.
    context.user_data.pop(AWAITING_AMOUNT, None)
    context.user_data.pop(AWAITING_REASON, None)
    context.user_data[AWAITING_CHANGE] = found.pledge.id
    await _answer(update)
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(amount_question(found.pledge, found.campaign))


async def amount_typed(update: Update, context: BackitContext, caller: Caller, text: str) -> bool:
    """A message while another amount is awaited: the pledge changed to it (False when no
    amount is awaited)."""
    assert context.user_data is not None
    if AWAITING_CHANGE not in context.user_data:
        return False
    # Any refusal but a wrong amount ends the wait, as for a new pledge's amount.
    pledge_id = context.user_data.pop(AWAITING_CHANGE)
    services = context.services
    found = await pledge_to_change(services.uows, services.clock, caller, pledge_id)
    try:
        amount = custom_amount(text, found.campaign, services.limits)
    except InvalidAmount:
        context.user_data[AWAITING_CHANGE] = pledge_id
        raise
    request = with_amount(caller, found.pledge, found.campaign, amount)
    change = await change_pledge(
        services.uows, services.clock, services.gateway, services.limits, request
    )
    await _send(update, context, _result(context, change))
    return True
