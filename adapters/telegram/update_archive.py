"""/updates: a campaign's past updates, newest first, a page at a time."""

from __future__ import annotations

from telegram import Update

from adapters.telegram.callers import for_caller, is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.render import render_list
from adapters.telegram.sending import edit_or_send, send
from core.i18n import gettext
from core.identity import Caller
from core.usecases.update_archive import archive_by_id, archive_by_slug
from core.views.intents import Intent
from core.views.updates import archive_page, turns_page


@for_caller
async def updates(update: Update, context: BackitContext, caller: Caller) -> None:
    """/updates <name>: the first page; in a group, public updates only."""
    if not context.args:
        await tell(update, gettext("Usage: /updates <name>"))
        return
    services = context.services
    page = await archive_by_slug(
        services.uows,
        services.operators,
        caller.identity,
        context.args[0].lower(),
        shared=not is_private(update),
    )
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, render_list(archive_page(page)))


async def updates_button(
    update: Update, context: BackitContext, caller: Caller, intent: Intent
) -> None:
    """A paging button (or a dashboard's "All updates"): the page, in place of the list."""
    services = context.services
    page = await archive_by_id(
        services.uows,
        services.operators,
        caller.identity,
        intent.int_arg(0),
        intent.int_arg(1),
        shared=not is_private(update),
    )
    rendered = render_list(archive_page(page))
    if turns_page(intent):
        await edit_or_send(update, context, rendered)
    else:
        chat = update.effective_chat
        assert chat is not None
        await send(context, chat.id, rendered)
    if update.callback_query is not None:
        await update.callback_query.answer()
