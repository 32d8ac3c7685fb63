"""Group admins link campaigns to their group and switch announcements on or off."""

from __future__ import annotations

from telegram import ChatMember, Update

from adapters.telegram.callers import for_caller, is_private, tell
from adapters.telegram.context import BackitContext
from core.i18n import gettext
from core.identity import Caller, Platform
from core.usecases.communities import Place, link_campaign, set_announcements, unlink_campaign

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


async def _asked(
    update: Update, context: BackitContext, caller: Caller, usage: str
) -> tuple[Place, str] | None:
    """The group and the command's word, or None once the person has been told what is wrong."""
    place = await _place(update, context, caller)
    if place is None:
        return None
    if not context.args:
        await tell(update, usage)
        return None
    return place, context.args[0].lower()


@for_caller
async def link(update: Update, context: BackitContext, caller: Caller) -> None:
    """/link <name>: show a campaign first here and announce its milestones."""
    asked = await _asked(update, context, caller, gettext("Usage: /link <name>"))
    if asked is not None:
        campaign = await link_campaign(context.services.uows, *asked)
        done = gettext("“{title}” is linked to this group.")
        await tell(update, done.format(title=campaign.title))


@for_caller
async def unlink(update: Update, context: BackitContext, caller: Caller) -> None:
    """/unlink <name>: stop showing and announcing a campaign here."""
    asked = await _asked(update, context, caller, gettext("Usage: /unlink <name>"))
    if asked is not None:
        campaign = await unlink_campaign(context.services.uows, *asked)
        done = gettext("“{title}” is no longer linked here.")
        await tell(update, done.format(title=campaign.title))


@for_caller
async def announce(update: Update, context: BackitContext, caller: Caller) -> None:
    """/announce on|off: milestone and update announcements in this group."""
    asked = await _asked(update, context, caller, gettext("Usage: /announce on|off"))
    if asked is None:
        return
    place, choice = asked
    if choice not in ("on", "off"):
        await tell(update, gettext("Usage: /announce on|off"))
        return
    await set_announcements(context.services.uows, place, choice == "on")
    if choice == "on":
        await tell(update, gettext("Announcements are on in this group."))
    else:
        await tell(update, gettext("Announcements are off in this group."))
