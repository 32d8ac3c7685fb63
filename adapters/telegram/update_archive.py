"""/updates: a campaign's past updates, newest first, a page at a time."""

from __future__ import annotations

from telegram import Update

from adapters.telegram.callers import for_caller, is_private
from adapters.telegram.context import BackitContext
from adapters.telegram.picking import offer, typed
from adapters.telegram.render import render_list
from adapters.telegram.sending import edit_or_send, send
from core.identity import Caller
from core.usecases.choosing import Choice, Purpose
from core.usecases.update_archive import archive
from core.views.intents import Updates
from core.views.updates import archive_page


@for_caller
async def updates(update: Update, context: BackitContext, caller: Caller) -> None:
    """/updates [name]: the first page; in a group, public updates only; live campaigns to
    pick from when no name is given."""
    if not typed(context):
        await offer(update, context, caller, Purpose.UPDATES)
        return
    await _first_page(update, context, caller, typed(context))


async def updates_picked(
    update: Update, context: BackitContext, caller: Caller, campaign_id: int
) -> None:
    """A campaign picked after /updates."""
    await _first_page(update, context, caller, campaign_id)
    if update.callback_query is not None:
        await update.callback_query.answer()


async def _first_page(
    update: Update, context: BackitContext, caller: Caller, choice: Choice
) -> None:
    services = context.services
    page = await archive(
        services.uows, services.operators, caller.identity, choice, shared=not is_private(update)
    )
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, render_list(archive_page(page)))


async def updates_button(
    update: Update, context: BackitContext, caller: Caller, intent: Updates
) -> None:
    """A paging button (or a dashboard's "All updates"): the page, in place of the list."""
    services = context.services
    page = await archive(
        services.uows,
        services.operators,
        caller.identity,
        intent.campaign_id,
        intent.offset,
        shared=not is_private(update),
    )
    rendered = render_list(archive_page(page))
    if intent.turn:
        await edit_or_send(update, context, rendered)
    else:
        chat = update.effective_chat
        assert chat is not None
        await send(context, chat.id, rendered)
    if update.callback_query is not None:
        await update.callback_query.answer()
