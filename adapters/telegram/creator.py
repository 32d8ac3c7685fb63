"""Creator tools: their campaigns with live figures, and what each ambassador brought."""

from __future__ import annotations

from html import escape

from telegram import Update

from adapters.telegram.callers import tell
from adapters.telegram.context import BackitContext
from adapters.telegram.render import Rendered, render_list
from adapters.telegram.sending import send
from core.i18n import current_locale, gettext, ngettext
from core.identity import Caller
from core.usecases.ambassadors import ambassadors, my_campaigns
from core.views.lists import campaigns_page


async def mycampaigns(update: Update, context: BackitContext, caller: Caller) -> None:
    """/mycampaigns: the caller's campaigns with their live figures."""
    services = context.services
    page = campaigns_page(await my_campaigns(services.uows, caller), services.clock.now())
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, render_list(page))


async def ambassadors_command(update: Update, context: BackitContext, caller: Caller) -> None:
    """/ambassadors <name>: backers and money each share link brought (yours only, unless
    you created the campaign)."""
    if not context.args:
        await tell(update, gettext("Usage: /ambassadors <name>"))
        return
    services = context.services
    report = await ambassadors(services.uows, services.operators, caller, context.args[0].lower())
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
