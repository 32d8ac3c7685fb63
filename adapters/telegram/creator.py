"""Creator tools: their campaigns with live figures, and what each ambassador brought."""

from __future__ import annotations

from html import escape

from telegram import Update

from adapters.telegram.context import BackitContext
from adapters.telegram.picking import offer, typed
from adapters.telegram.render import Rendered, render_list
from adapters.telegram.sending import send
from core.i18n import current_locale, gettext, ngettext
from core.identity import Caller
from core.usecases.ambassadors import ambassadors, my_campaigns
from core.usecases.choosing import Choice, Purpose
from core.views.lists import campaigns_page


async def mycampaigns(update: Update, context: BackitContext, caller: Caller) -> None:
    """/mycampaigns: the caller's campaigns with their live figures."""
    services = context.services
    page = campaigns_page(await my_campaigns(services.uows, caller), services.clock.now())
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, render_list(page))


async def ambassadors_command(update: Update, context: BackitContext, caller: Caller) -> None:
    """/ambassadors [name]: backers and money each share link brought (yours only, unless
    you created the campaign); your campaigns to pick from when no name is given."""
    if not typed(context):
        await offer(update, context, caller, Purpose.AMBASSADORS)
        return
    await _report(update, context, caller, typed(context))


async def ambassadors_picked(
    update: Update, context: BackitContext, caller: Caller, campaign_id: int
) -> None:
    """A campaign picked after /ambassadors."""
    await _report(update, context, caller, campaign_id)
    if update.callback_query is not None:
        await update.callback_query.answer()


async def _report(update: Update, context: BackitContext, caller: Caller, choice: Choice) -> None:
    services = context.services
    report = await ambassadors(services.uows, services.operators, caller, choice)
    locale = current_locale.get()
    title = gettext("Ambassadors of “{title}”").format(title=report.campaign.title)
    lines = [f"<b>{escape(title)}</b>", ""]
    for row in report.rows:
        line = ngettext(
            "{name}: {count} backer, {amount}", "{name}: {count} backers, {amount}", row.backers
        ).format(name=row.name, count=row.backers, amount=row.amount.format(locale))
        lines.append(escape(line))
    if not report.rows:
        lines.append(escape(gettext("Nobody has backed through a share link yet.")))
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, Rendered("\n".join(lines), None))
