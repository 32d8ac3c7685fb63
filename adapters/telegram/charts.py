"""A campaign's progress chart on Telegram: the picture of its funding day by day, as a photo."""

from __future__ import annotations

from html import escape

from telegram import InputFile, Message, Update
from telegram.constants import ParseMode

from adapters.telegram.callers import tell
from adapters.telegram.context import BackitContext
from core.errors import CampaignNotFound
from core.i18n import gettext
from core.identity import Caller
from core.views.intents import FundingChart


async def chart_button(
    update: Update, context: BackitContext, caller: Caller, intent: FundingChart
) -> None:
    """A card's or a dashboard's Progress button: the chart, in the chat it was pressed in."""
    services = context.services
    shown = await services.progress_charts.shown(
        intent.campaign_id, caller.identity, services.operators
    )
    chat = update.effective_chat
    if shown is None or chat is None:
        raise CampaignNotFound(slug=str(intent.campaign_id))
    _, chart = shown

    async def send_photo(photo: str | InputFile) -> Message:
        return await context.bot.send_photo(
            chat.id,
            photo,
            caption=f"<b>{escape(chart.title)}</b>\n{escape(chart.summary)}",
            parse_mode=ParseMode.HTML,
        )

    if await context.chart_photos.show(chart, send_photo) is None:
        await tell(update, gettext("The chart cannot be drawn just now. Please try again soon."))
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
