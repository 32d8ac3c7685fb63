"""Creator tools: their campaigns, a campaign's dashboard, and what each share link brought."""

from __future__ import annotations

import html
from functools import partial

from telegram import InputFile, Update
from telegram.constants import ParseMode

from adapters.telegram.callers import is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.deep_links import RevealReward
from adapters.telegram.links import deep_link
from adapters.telegram.picking import offer, typed
from adapters.telegram.render import render_card, render_list, render_reply
from adapters.telegram.sending import send
from core.campaigns import RewardTier
from core.i18n import gettext
from core.identity import Caller
from core.usecases.ambassadors import AmbassadorReport, ambassadors, dashboard, my_campaigns
from core.usecases.choosing import Choice, Purpose
from core.usecases.exporting import export_backers
from core.views.backer_sheet import backer_sheet
from core.views.creator import ambassadors_page, dashboard_card, my_campaigns_page
from core.views.intents import Ambassadors, ExportBackers, Manage


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


async def payouts_command(update: Update, context: BackitContext, caller: Caller) -> None:
    """/payouts [country]: the caller's payout account, opened in that country the first
    time, with the link to set it up or to its dashboard."""
    country = " ".join(context.args or ()) or None
    reply = await context.services.payouts_answer(caller, country)
    await send(context, _chat_id(update), render_reply(reply))


def secret_link(context: BackitContext, tier: RewardTier) -> str:
    """The t.me link that opens the bot on a secret reward."""
    assert tier.secret_code is not None
    return deep_link(context, RevealReward(tier.secret_code))


async def manage_button(
    update: Update, context: BackitContext, caller: Caller, intent: Manage
) -> None:
    """A campaign of /mycampaigns: its dashboard, with the creator's tools."""
    services = context.services
    board = await dashboard(services.uows, services.operators, caller, intent.campaign_id)
    card = dashboard_card(board, services.clock.now(), partial(secret_link, context))
    await send(context, _chat_id(update), render_card(card))
    await _answer(update)


async def _send_report(update: Update, context: BackitContext, report: AmbassadorReport) -> None:
    url = context.services.share_url(report.campaign.slug, report.referral_code)
    await send(context, _chat_id(update), render_list(ambassadors_page(report, url)))


async def ambassadors_command(update: Update, context: BackitContext, caller: Caller) -> None:
    """/ambassadors [name]: every share link's results for the creator; a backer's own link
    and results otherwise; the caller's campaigns to pick from when no name is given."""
    if not typed(context):
        await offer(update, context, caller, Purpose.AMBASSADORS)
        return
    await _report(update, context, caller, typed(context))


async def ambassadors_picked(
    update: Update, context: BackitContext, caller: Caller, campaign_id: int
) -> None:
    """A campaign picked after /ambassadors."""
    await _report(update, context, caller, campaign_id)
    await _answer(update)


async def _report(update: Update, context: BackitContext, caller: Caller, choice: Choice) -> None:
    services = context.services
    report = await ambassadors(services.uows, services.operators, caller, choice)
    await _send_report(update, context, report)


async def ambassadors_button(
    update: Update, context: BackitContext, caller: Caller, intent: Ambassadors
) -> None:
    """A dashboard's Ambassadors button."""
    await _report(update, context, caller, intent.campaign_id)
    await _answer(update)


async def export_button(
    update: Update, context: BackitContext, caller: Caller, intent: ExportBackers
) -> None:
    """A dashboard's Export backers button: the list as a CSV file, in the private chat only."""
    services = context.services
    export = await export_backers(
        services.uows, services.clock, services.operators, caller, intent.campaign_id
    )
    sheet = backer_sheet(export)
    # Shipping addresses are personal data: the file goes to the person's private chat (whose id
    # is theirs), never to the group a button might have been pressed in.
    await context.bot.send_document(
        int(caller.identity.user_id),
        InputFile(sheet.data, filename=sheet.filename),
        caption=html.escape(sheet.caption),
        parse_mode=ParseMode.HTML,
    )
    if is_private(update):
        await _answer(update)
    else:
        await tell(update, gettext("The list of backers is in our private chat."))
