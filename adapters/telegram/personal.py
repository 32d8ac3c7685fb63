"""Answers for one person alone: given in the private chat, and only pointed at from a group."""

from __future__ import annotations

from telegram import Update

from adapters.telegram import account, creator, reviewing
from adapters.telegram.callers import Handler, PtbHandler, for_caller, is_private
from adapters.telegram.context import BackitContext
from adapters.telegram.deep_links import RunCommand
from adapters.telegram.links import deep_link
from adapters.telegram.render import Rendered, keyboard
from adapters.telegram.sending import send
from core.i18n import gettext
from core.identity import Caller
from core.views.model import Button

# The commands whose answers name a person's pledges, follows, campaigns or settings; each has a
# deep link (deep_links.PERSONAL_COMMANDS).
PERSONAL: dict[str, Handler] = {
    "following": account.following_command,
    "mypledges": account.pledges_command,
    "mycampaigns": creator.mycampaigns,
    "payouts": creator.payouts_command,
    "ambassadors": creator.ambassadors_command,
    "submit": reviewing.submit_command,
    "language": account.language_command,
}


async def point_to_private(update: Update, context: BackitContext, command: str) -> None:
    """In a group: a short reply leading to the private chat, where the answer is given."""
    chat = update.effective_chat
    assert chat is not None
    text = gettext("I answer this in our private chat, for you alone.")
    button = Button(gettext("Open the private chat"), url=deep_link(context, RunCommand(command)))
    await send(context, chat.id, Rendered(text, keyboard(((button,),))))


def _in_private(command: str, handler: Handler) -> Handler:
    async def answered_in_private(update: Update, context: BackitContext, caller: Caller) -> None:
        if is_private(update):
            await handler(update, context, caller)
        else:
            await point_to_private(update, context, command)

    return answered_in_private


def personal_commands() -> dict[str, PtbHandler]:
    """Each personal command's handler: answered in private, pointed at from a group."""
    return {name: for_caller(_in_private(name, handler)) for name, handler in PERSONAL.items()}


async def run_from_link(
    update: Update, context: BackitContext, caller: Caller, payload: RunCommand
) -> None:
    """A personal command opened by a deep link: run as if typed, without arguments."""
    # The start payload is the link's only argument, not the command's.
    context.args = []
    await PERSONAL[payload.command](update, context, caller)
