"""Creator tools: their campaigns, a campaign's dashboard, and what each share link brought."""

from __future__ import annotations

from telegram import Update

from adapters.telegram.callers import tell
from adapters.telegram.context import BackitContext
from adapters.telegram.render import render_card, render_list
from adapters.telegram.sending import send
from core.i18n import gettext
from core.identity import Caller
from core.usecases.ambassadors import (
    AmbassadorReport,
    ambassadors,
    ambassadors_by_id,
    dashboard,
    my_campaigns,
)
from core.views.creator import ambassadors_page, dashboard_card, my_campaigns_page
from core.views.intents import Intent


def _chat_id(update: Update) -> int:
    chat = update.effective_chat
    assert chat is not None
    return chat.id


async def _answer(update: Update) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()


async def mycampaigns(update: Update, context: BackitContext, caller: Caller) -> None:
    """/mycampaigns: the caller's campaigns with their figures, each opening its dashboard."""
    services = context.services
    page = my_campaigns_page(await my_campaigns(services.uows, caller), services.clock.now())
    await send(context, _chat_id(update), render_list(page))


async def manage_button(
    update: Update, context: BackitContext, caller: Caller, intent: Intent
) -> None:
    """A campaign of /mycampaigns: its dashboard, with the creator's tools."""
    services = context.services
    board = await dashboard(services.uows, services.operators, caller, intent.int_arg(0))
    await send(context, _chat_id(update), render_card(dashboard_card(board, services.clock.now())))
    await _answer(update)


async def _send_report(update: Update, context: BackitContext, report: AmbassadorReport) -> None:
    url = context.services.share_url(report.campaign.slug, report.referral_code)
    await send(context, _chat_id(update), render_list(ambassadors_page(report, url)))


async def ambassadors_command(update: Update, context: BackitContext, caller: Caller) -> None:
    """/ambassadors <name>: every share link's results for the creator; a backer's own link
    and results otherwise."""
    if not context.args:
        await tell(update, gettext("Usage: /ambassadors <name>"))
        return
    services = context.services
    report = await ambassadors(services.uows, services.operators, caller, context.args[0].lower())
    await _send_report(update, context, report)


async def ambassadors_button(
    update: Update, context: BackitContext, caller: Caller, intent: Intent
) -> None:
    """A dashboard's Ambassadors button."""
    services = context.services
    report = await ambassadors_by_id(services.uows, services.operators, caller, intent.int_arg(0))
    await _send_report(update, context, report)
    await _answer(update)
