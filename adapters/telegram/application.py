"""The python-telegram-bot Application: handlers registered, services attached."""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from adapters.chat_services import ChatServices
from adapters.telegram import browsing, community, inline, pledging, update_archive
from adapters.telegram.buttons import button
from adapters.telegram.chat_order import ChatOrderedUpdates
from adapters.telegram.context import (
    CARD_PHOTOS_KEY,
    CHART_PHOTOS_KEY,
    CONTEXT_TYPES,
    SERVICES_KEY,
    BackitContext,
)
from adapters.telegram.cover_conversation import cover_conversation
from adapters.telegram.errors import on_error
from adapters.telegram.late_conversation import late_conversation
from adapters.telegram.launch_conversation import launch_conversation
from adapters.telegram.newcampaign_conversation import newcampaign_conversation
from adapters.telegram.pacing import TELEGRAM_LIMITS, ChatPacing
from adapters.telegram.personal import personal_commands
from adapters.telegram.photos import Photos
from adapters.telegram.update_conversation import update_conversation
from core.rate_limits import RateLimiter, SendLimits

BackitApplication = Application[
    ExtBot[Any], BackitContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], None
]
BackitApplicationBuilder = ApplicationBuilder[
    ExtBot[Any], BackitContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], None
]
# Chats served at once. Each mostly waits on Telegram or the database, and a group waiting out
# its rate limit holds one; beyond a few dozen they would only queue for database connections.
CONCURRENT_CHATS = 32


def build_application(
    token: str,
    services: ChatServices,
    *,
    base_url: str | None,
    polling: bool,
    limits: SendLimits | None = TELEGRAM_LIMITS,
    limiter: RateLimiter | None = None,
) -> BackitApplication:
    """An Application for the token, pointed at `base_url` (a stand-in) when given, answering
    chats side by side on `limiter`, the token's budget that other senders in the process
    share, or else on one of its own within `limits` (None: unpaced, for a benchmark on a
    stand-in)."""
    # httpx logs every request URL at INFO, and those URLs carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    builder: BackitApplicationBuilder = (
        ApplicationBuilder()
        .token(token)
        .context_types(CONTEXT_TYPES)
        .job_queue(None)
        .concurrent_updates(ChatOrderedUpdates(CONCURRENT_CHATS))
    )
    if limiter is None and limits is not None:
        limiter = RateLimiter(limits, CONCURRENT_CHATS)
    if limiter is not None:
        builder = builder.rate_limiter(ChatPacing(limiter))
    if base_url:
        builder = builder.base_url(f"{base_url.rstrip('/')}/bot").base_file_url(
            f"{base_url.rstrip('/')}/file/bot"
        )
    if not polling:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data[SERVICES_KEY] = services
    # File ids are the bot's own: each bot keeps the ones Telegram gave it.
    application.bot_data[CARD_PHOTOS_KEY] = Photos(services.card_images.png, "card.png")
    application.bot_data[CHART_PHOTOS_KEY] = Photos(services.progress_charts.png, "progress.png")
    register(application)
    return application


def register(application: BackitApplication) -> None:
    """Every handler Backit answers with."""
    commands = {
        "start": browsing.start,
        "help": browsing.start,
        "discover": browsing.discover,
        "search": browsing.search,
        "campaign": browsing.campaign,
        "updates": update_archive.updates,
        "link": community.link,
        "unlink": community.unlink,
        "announce": community.announce,
        **personal_commands(),
    }
    # Conversations first: their own buttons must not reach the general button handler.
    application.add_handler(update_conversation())
    application.add_handler(newcampaign_conversation())
    application.add_handler(cover_conversation())
    application.add_handler(launch_conversation())
    application.add_handler(late_conversation())
    for name, handler in commands.items():
        application.add_handler(CommandHandler(name, handler))
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(InlineQueryHandler(inline.inline_query))
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, pledging.amount_typed
        )
    )
    application.add_error_handler(on_error)
