"""Group admins link campaigns to their group and switch announcements on or off."""

from __future__ import annotations

from telegram import ChatMember, Update

from adapters.telegram.callers import for_caller, is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.picking import offer, settle, typed
from core.i18n import gettext
from core.identity import Caller, Platform
from core.usecases.choosing import Choice, Purpose
from core.usecases.communities import (
    NotChatAdmin,
    Place,
    link_campaign,
    set_announcements,
    unlink_campaign,
)
from core.views.communities import unlinked

ADMINS = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def _place(update: Update, context: BackitContext, caller: Caller) -> Place | None:
    """The group and whether the caller administers it, asked of Telegram itself."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or is_private(update):
        await tell(update, gettext("This command works in a group."))
        return None
    member = await context.bot.get_chat_member(chat.id, user.id)
    return Place(
        Platform.TELEGRAM,
        str(chat.id),
        chat.title or "",
        caller.locale,
        caller_is_admin=member.status in ADMINS,
        caller=caller.identity,
    )


async def _linking(
    update: Update, context: BackitContext, caller: Caller, purpose: Purpose
) -> Place | None:
    """The group, once the caller is known to administer it; given no name, they are offered
    the campaigns to pick from instead (None)."""
    place = await _place(update, context, caller)
    if place is None:
        return None
    if not place.caller_is_admin:
        raise NotChatAdmin()
    if update.callback_query is None and not typed(context):
        await offer(update, context, caller, purpose)
        return None
    return place


async def _link(update: Update, context: BackitContext, caller: Caller, choice: Choice) -> None:
    place = await _linking(update, context, caller, Purpose.LINK)
    if place is not None:
        campaign = await link_campaign(context.services.uows, place, choice)
        done = gettext("“{title}” is linked to this group.").format(title=campaign.title)
        await (settle(update, context, done) if isinstance(choice, int) else tell(update, done))


async def _unlink(update: Update, context: BackitContext, caller: Caller, choice: Choice) -> None:
    place = await _linking(update, context, caller, Purpose.UNLINK)
    if place is not None:
        campaign = await unlink_campaign(context.services.uows, place, choice)
        done = unlinked(campaign.title)
        await (settle(update, context, done) if isinstance(choice, int) else tell(update, done))


@for_caller
async def link(update: Update, context: BackitContext, caller: Caller) -> None:
    """/link [name]: show a campaign first here and announce its milestones (picked from a
    list when no name is given)."""
    await _link(update, context, caller, typed(context))


@for_caller
async def unlink(update: Update, context: BackitContext, caller: Caller) -> None:
    """/unlink [name]: stop showing and announcing a campaign here."""
    await _unlink(update, context, caller, typed(context))


async def link_picked(
    update: Update, context: BackitContext, caller: Caller, campaign_id: int
) -> None:
    """A campaign picked after /link."""
    await _link(update, context, caller, campaign_id)


async def unlink_picked(
    update: Update, context: BackitContext, caller: Caller, campaign_id: int
) -> None:
    """A campaign picked after /unlink."""
    await _unlink(update, context, caller, campaign_id)


@for_caller
async def announce(update: Update, context: BackitContext, caller: Caller) -> None:
    """/announce on|off: milestone and update announcements in this group."""
    place = await _place(update, context, caller)
    if place is None:
        return
    choice = (context.args or [""])[0].lower()
    if choice not in ("on", "off"):
        await tell(update, gettext("Usage: /announce on|off"))
        return
    await set_announcements(context.services.uows, place, choice == "on")
    if choice == "on":
        await tell(update, gettext("Announcements are on in this group."))
    else:
        await tell(update, gettext("Announcements are off in this group."))
