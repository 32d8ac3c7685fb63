"""A person's own things: the campaigns they follow, their pledges, their language."""

from __future__ import annotations

from telegram import Update

from adapters.telegram.callers import is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.deep_links import RunCommand
from adapters.telegram.links import deep_link
from adapters.telegram.render import Rendered, keyboard, render_list
from adapters.telegram.sending import edit_or_send, send
from core.i18n import gettext, use_locale
from core.identity import Caller
from core.payments import PaymentUnavailable
from core.usecases.backers import choose_language
from core.usecases.cancelling import cancel_pledge
from core.usecases.following import following
from core.usecases.pledging import my_pledges
from core.views.intents import Action, Intent
from core.views.lists import following_page, pledges_page
from core.views.model import Button

LANGUAGES = {"en": "English", "fr": "Français"}


def _chat_id(update: Update) -> int:
    chat = update.effective_chat
    assert chat is not None
    return chat.id


async def following_command(update: Update, context: BackitContext, caller: Caller) -> None:
    """/following: the campaigns the person follows."""
    services = context.services
    page = following_page(await following(services.uows(), caller), services.clock.now())
    await send(context, _chat_id(update), render_list(page))


async def _pledges(context: BackitContext, caller: Caller) -> Rendered:
    services = context.services
    return render_list(
        pledges_page(await my_pledges(services.uows(), caller), services.clock.now())
    )


async def pledges_command(update: Update, context: BackitContext, caller: Caller) -> None:
    """/mypledges: every pledge with its status, and a way to cancel where the rules allow."""
    await send(context, _chat_id(update), await _pledges(context, caller))


async def _led_to_private(update: Update, context: BackitContext) -> bool:
    """A pledge's buttons pressed in a group lead to the private chat, where pledges are shown."""
    if is_private(update):
        return False
    assert update.callback_query is not None
    await update.callback_query.answer(url=deep_link(context, RunCommand("mypledges")))
    return True


async def cancel_button(
    update: Update, context: BackitContext, caller: Caller, intent: Intent
) -> None:
    """First tap on "Cancel": ask for confirmation, since money may be refunded."""
    if await _led_to_private(update, context):
        return
    pledge_id = str(intent.int_arg(0))
    confirm = Button(gettext("Yes, cancel my pledge"), Intent(Action.CONFIRM_CANCEL, (pledge_id,)))
    assert update.callback_query is not None
    await update.callback_query.answer()
    text = gettext("Cancel this pledge? A payment is refunded; a saved card is released.")
    await send(context, _chat_id(update), Rendered(text, keyboard(((confirm,),))))


async def confirm_cancel_button(
    update: Update, context: BackitContext, caller: Caller, intent: Intent
) -> None:
    """Second tap: cancel through core, then show the updated list."""
    if await _led_to_private(update, context):
        return
    services = context.services
    if services.gateway is None:
        raise PaymentUnavailable()
    await cancel_pledge(services.uows, services.clock, services.gateway, caller, intent.int_arg(0))
    assert update.callback_query is not None
    await update.callback_query.answer(gettext("Your pledge is cancelled."))
    await edit_or_send(update, context, await _pledges(context, caller))


async def language_command(update: Update, context: BackitContext, caller: Caller) -> None:
    """/language fr: speak that language at once; /language alone: buttons to pick one."""
    if context.args:
        code = context.args[0].lower()
        if code in LANGUAGES:
            await _speak(update, context, caller, code)
        else:
            choices = ", ".join(f"/language {key} ({name})" for key, name in LANGUAGES.items())
            await tell(
                update,
                gettext("I do not know that language. Choose one of: {choices}").format(
                    choices=choices
                ),
            )
        return
    rows = tuple(
        (Button(name, Intent(Action.LANGUAGE, (code,))),) for code, name in LANGUAGES.items()
    )
    await send(
        context, _chat_id(update), Rendered(gettext("Choose your language:"), keyboard(rows))
    )


async def language_button(
    update: Update, context: BackitContext, caller: Caller, intent: Intent
) -> None:
    """Remember the chosen language and confirm in it."""
    code = intent.args[0] if intent.args and intent.args[0] in LANGUAGES else None
    await _speak(update, context, caller, code)


async def _speak(update: Update, context: BackitContext, caller: Caller, code: str | None) -> None:
    """Remember the language (None: the app's again) and confirm in it."""
    await choose_language(context.services.uows(), caller, code)
    with use_locale(code or caller.locale):
        await tell(update, gettext("Done: I will speak English with you."))
