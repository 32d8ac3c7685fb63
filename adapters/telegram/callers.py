"""Who sent an update, in which language, and handling their refusals politely."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Chat, Update

from adapters.telegram.context import BackitContext
from adapters.telegram.limits import CALLBACK_ANSWER_LIMIT, cut
from core.errors import DomainError
from core.i18n import negotiate, use_locale
from core.identity import Caller, Identity, Platform

Handler = Callable[[Update, BackitContext, Caller], Awaitable[None]]
PtbHandler = Callable[[Update, BackitContext], Coroutine[Any, Any, None]]


def identity_of(user_id: int) -> Identity:
    """A Telegram user as a platform identity."""
    return Identity(Platform.TELEGRAM, str(user_id))


async def caller_of(update: Update, context: BackitContext) -> Caller:
    """The person behind an update, speaking the language they chose or their app's."""
    user = update.effective_user
    assert user is not None, "handlers are registered for updates that have a sender"
    identity = identity_of(user.id)
    chosen = await context.services.reads.chosen_locale(identity)
    return Caller(identity, user.full_name, negotiate(chosen or user.language_code))


def is_private(update: Update) -> bool:
    """Whether the update comes from a one-to-one chat with the bot."""
    chat = update.effective_chat
    return chat is not None and chat.type == Chat.PRIVATE


async def tell(update: Update, text: str) -> None:
    """Answer briefly: a toast for a button, a reply for a message."""
    if update.callback_query is not None:
        await update.callback_query.answer(cut(text, CALLBACK_ANSWER_LIMIT), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


def for_caller(handler: Handler) -> PtbHandler:
    """Run a handler in the caller's language; a domain refusal becomes a polite answer."""

    @functools.wraps(handler)
    async def wrapped(update: Update, context: BackitContext) -> None:
        with context.services.reads.one_reading():
            await _as_caller(handler, update, context)

    return wrapped


async def _as_caller(handler: Handler, update: Update, context: BackitContext) -> None:
    caller = await caller_of(update, context)
    with use_locale(caller.locale):
        try:
            await handler(update, context, caller)
        except DomainError as error:
            await tell(update, error.user_message())
