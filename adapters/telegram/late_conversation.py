"""A dashboard's "Open late pledges": the creator gives a late period, then a late price for
each reward (or skips it), and the campaign takes late pledges."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from html import escape

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from adapters.telegram.callers import caller_of, is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.render import Rendered
from adapters.telegram.sending import send
from core.campaigns import Campaign
from core.errors import DomainError
from core.i18n import gettext, use_locale
from core.money import Money
from core.usecases.late_pledges import late_campaign, late_days, open_late_pledges
from core.usecases.pledging import custom_amount
from core.views.intents import OpenLatePledges, StaleButton, decode
from core.views.late_pledges import (
    late_period_question,
    late_pledges_opened,
    late_pledges_unchanged,
    late_price_question,
)

PERIOD, PRICING = range(2)
# What the creator has answered so far.
ANSWERS = "late_pledges"


@dataclass(slots=True)
class _Answers:
    """The campaign as it was when asked about, the period and the prices given so far."""

    campaign: Campaign
    days: int = 0
    prices: dict[int, Money] = field(default_factory=dict)
    # The position of the reward whose late price is asked now.
    asked: int = 0


async def _say(update: Update, context: BackitContext, text: str) -> None:
    """A message of its own, also after a button (whose press `tell` would answer)."""
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, Rendered(escape(text), None))


async def begin(update: Update, context: BackitContext) -> int:
    """The dashboard's button: check the caller may open late pledges, then ask the period."""
    caller = await caller_of(update, context)
    query = update.callback_query
    assert query is not None
    with use_locale(caller.locale):
        try:
            intent = decode(query.data or "")
            if not isinstance(intent, OpenLatePledges):
                raise StaleButton()
            if not is_private(update):
                await tell(update, gettext("Open late pledges in a private chat with me."))
                return ConversationHandler.END
            services = context.services
            campaign = await late_campaign(
                services.uows, services.operators, caller, intent.campaign_id
            )
        except DomainError as error:
            await tell(update, error.user_message())
            return ConversationHandler.END
        await query.answer()
        assert context.user_data is not None
        context.user_data[ANSWERS] = _Answers(campaign)
        await _say(update, context, late_period_question(campaign.title))
        return PERIOD


async def period_given(update: Update, context: BackitContext) -> int:
    """The period in days: checked, then the first reward's late price asked."""
    caller = await caller_of(update, context)
    message = update.effective_message
    assert message is not None
    assert context.user_data is not None
    answers: _Answers = context.user_data[ANSWERS]
    with use_locale(caller.locale):
        try:
            answers.days = late_days(message.text or "")
        except DomainError as error:
            await tell(update, error.user_message())
            return PERIOD
        return await _next_price(update, context, answers)


async def price_given(update: Update, context: BackitContext) -> int:
    """A reward's late price: checked, then the next one asked."""
    caller = await caller_of(update, context)
    message = update.effective_message
    assert message is not None
    assert context.user_data is not None
    answers: _Answers = context.user_data[ANSWERS]
    with use_locale(caller.locale):
        tier = answers.campaign.tiers[answers.asked]
        try:
            price = custom_amount(message.text or "", answers.campaign, context.services.limits)
        except DomainError as error:
            await tell(update, error.user_message())
            return PRICING
        answers.prices[tier.id] = price
        answers.asked += 1
        return await _next_price(update, context, answers)


async def skipped(update: Update, context: BackitContext) -> int:
    """/skip: this reward is not offered late."""
    caller = await caller_of(update, context)
    assert context.user_data is not None
    answers: _Answers = context.user_data[ANSWERS]
    answers.asked += 1
    with use_locale(caller.locale):
        return await _next_price(update, context, answers)


async def _next_price(update: Update, context: BackitContext, answers: _Answers) -> int:
    """Ask the next reward's late price; after the last, open late pledges."""
    tiers = answers.campaign.tiers
    if answers.asked < len(tiers):
        await _say(update, context, late_price_question(tiers[answers.asked]))
        return PRICING
    assert context.user_data is not None
    context.user_data.pop(ANSWERS, None)
    services = context.services
    caller = await caller_of(update, context)
    try:
        opened = await open_late_pledges(
            services.uows,
            services.clock,
            services.limits,
            services.operators,
            caller,
            answers.campaign.id,
            answers.days,
            answers.prices,
        )
    except DomainError as error:
        await tell(update, error.user_message())
        return ConversationHandler.END
    await _say(update, context, late_pledges_opened(opened))
    return ConversationHandler.END


async def cancelled(update: Update, context: BackitContext) -> int:
    """/cancel: late pledges stay as they were."""
    caller = await caller_of(update, context)
    assert context.user_data is not None
    context.user_data.pop(ANSWERS, None)
    with use_locale(caller.locale):
        await tell(update, late_pledges_unchanged())
    return ConversationHandler.END


def late_conversation() -> ConversationHandler[BackitContext]:
    """The conversation, to register before the general button and text handlers."""
    with warnings.catch_warnings():
        # PTB warns that its button is then tracked per chat and user, not per message: that is
        # what this conversation wants (one campaign's answers per creator at a time).
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                # Every button of that action: a malformed one is answered as stale here.
                CallbackQueryHandler(begin, pattern=f"^{OpenLatePledges.code}(?::|$)"),
            ],
            states={
                PERIOD: [MessageHandler(filters.TEXT & ~filters.COMMAND, period_given)],
                PRICING: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, price_given),
                    CommandHandler("skip", skipped),
                ],
            },
            fallbacks=[CommandHandler("cancel", cancelled)],
            # The button again while answering starts over, as /update does.
            allow_reentry=True,
            name="late_pledges",
        )
