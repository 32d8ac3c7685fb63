"""Review: /submit and a draft's Submit button for creators; Approve and Request changes for
operators, the reason for changes awaited as the operator's next message."""

from __future__ import annotations

from contextlib import suppress

from telegram import Update
from telegram.error import BadRequest

from adapters.telegram.awaited import ALL_WAITS, AWAITING_REASON
from adapters.telegram.context import BackitContext
from adapters.telegram.picking import offer, typed
from adapters.telegram.render import render_reply
from adapters.telegram.sending import send
from core.errors import InvalidField, TextTooLong
from core.identity import Caller
from core.usecases.choosing import Choice, Purpose
from core.usecases.reviewing import approve, request_changes, submit, to_review
from core.views.intents import Approve, RequestChanges, SubmitForReview
from core.views.model import Reply
from core.views.reviews import approved, changes_sent, reason_question, submitted


def _chat_id(update: Update) -> int:
    chat = update.effective_chat
    assert chat is not None
    return chat.id


async def _answer(update: Update) -> None:
    # Answered once core has agreed: a refusal on the way is answered as an alert instead.
    if update.callback_query is not None:
        await update.callback_query.answer()


async def _reply(update: Update, context: BackitContext, reply: Reply) -> None:
    await send(context, _chat_id(update), render_reply(reply))


async def submit_command(update: Update, context: BackitContext, caller: Caller) -> None:
    """/submit [name]: send one of the caller's drafts for review; their drafts to pick from
    when no name is given."""
    if not typed(context):
        await offer(update, context, caller, Purpose.SUBMIT)
        return
    await _submit(update, context, caller, typed(context))


async def _submit(update: Update, context: BackitContext, caller: Caller, choice: Choice) -> None:
    services = context.services
    submission = await submit(
        services.uows, services.clock, services.operators, caller.identity, choice
    )
    await _answer(update)
    await _reply(update, context, submitted(submission))


async def submit_picked(
    update: Update, context: BackitContext, caller: Caller, campaign_id: int
) -> None:
    """A draft picked after /submit."""
    await _submit(update, context, caller, campaign_id)


async def submit_button(
    update: Update, context: BackitContext, caller: Caller, intent: SubmitForReview
) -> None:
    """A draft's dashboard button: Submit for review."""
    await _submit(update, context, caller, intent.campaign_id)


async def _settled(update: Update) -> None:
    """The notice decided on keeps its card and loses its buttons: nobody decides it twice."""
    query = update.callback_query
    if query is not None:
        # Already without buttons, or too old to edit: the answer below says what happened.
        with suppress(BadRequest):
            await query.edit_message_reply_markup(None)


async def approve_button(
    update: Update, context: BackitContext, caller: Caller, intent: Approve
) -> None:
    """An operator's Approve: the campaign published, its creator told (core checks that the
    caller is an operator)."""
    services = context.services
    decision = await approve(
        services.uows,
        services.clock,
        services.operators,
        caller.identity,
        intent.campaign_id,
        services.terms,
    )
    await _answer(update)
    await _settled(update)
    await _reply(update, context, approved(decision))


async def request_changes_button(
    update: Update, context: BackitContext, caller: Caller, intent: RequestChanges
) -> None:
    """An operator's Request changes: the reason is asked for, and awaited as their next
    message."""
    services = context.services
    campaign = await to_review(
        services.uows, services.operators, caller.identity, intent.campaign_id
    )
    assert context.user_data is not None
    for wait in ALL_WAITS:
        context.user_data.pop(wait, None)
    context.user_data[AWAITING_REASON] = campaign.id
    await _answer(update)
    await _reply(update, context, Reply(reason_question(campaign)))


async def reason_typed(update: Update, context: BackitContext, caller: Caller, text: str) -> bool:
    """A message while a reason is awaited: the campaign sent back to its creator with it
    (False when no reason is awaited). A reason too long or empty is asked for again."""
    assert context.user_data is not None
    if AWAITING_REASON not in context.user_data:
        return False
    campaign_id = context.user_data.pop(AWAITING_REASON)
    services = context.services
    try:
        decision = await request_changes(
            services.uows, services.clock, services.operators, caller.identity, campaign_id, text
        )
    except (InvalidField, TextTooLong):
        context.user_data[AWAITING_REASON] = campaign_id
        raise
    await _reply(update, context, changes_sent(decision))
    return True
