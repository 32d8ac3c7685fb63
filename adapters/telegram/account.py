"""A person's own things: the campaigns they follow, their pledges, their language."""

from __future__ import annotations

from telegram import Update

from adapters.telegram.callers import is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.deep_links import RunCommand
from adapters.telegram.links import deep_link
from adapters.telegram.render import Rendered, render_list, render_reply
from adapters.telegram.sending import edit_or_send, send
from core.identity import Caller
from core.payments import PaymentUnavailable
from core.usecases.backers import choose_language
from core.usecases.cancelling import cancel_pledge, pledge_to_cancel
from core.usecases.following import following
from core.usecases.pledging import my_pledges
from core.views.cancelling import cancel_question, cancelled, kept
from core.views.intents import CancelPledge, ConfirmCancel, KeepPledge, Language
from core.views.languages import LANGUAGE_NAMES, language_chosen, language_picker, unknown_language
from core.views.lists import following_page, pledges_page


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
    update: Update, context: BackitContext, caller: Caller, intent: CancelPledge
) -> None:
    """First tap on "Cancel": ask, with the amount and campaign, since money may be refunded."""
    if await _led_to_private(update, context):
        return
    services = context.services
    pledge, campaign = await pledge_to_cancel(
        services.uows, services.clock, caller, intent.pledge_id
    )
    assert update.callback_query is not None
    await update.callback_query.answer()
    await send(context, _chat_id(update), render_reply(cancel_question(pledge, campaign)))


async def confirm_cancel_button(
    update: Update, context: BackitContext, caller: Caller, intent: ConfirmCancel
) -> None:
    """ "Cancel pledge": cancel through core, then show the updated list."""
    if await _led_to_private(update, context):
        return
    services = context.services
    if services.gateway is None:
        raise PaymentUnavailable()
    await cancel_pledge(services.uows, services.clock, services.gateway, caller, intent.pledge_id)
    assert update.callback_query is not None
    await update.callback_query.answer(cancelled().text)
    await edit_or_send(update, context, await _pledges(context, caller))


async def keep_button(
    update: Update, context: BackitContext, caller: Caller, intent: KeepPledge
) -> None:
    """ "Keep it": the question gives way to the answer, and nothing changes."""
    if await _led_to_private(update, context):
        return
    await edit_or_send(update, context, render_reply(kept()))
    assert update.callback_query is not None
    await update.callback_query.answer()


async def language_command(update: Update, context: BackitContext, caller: Caller) -> None:
    """/language fr: speak that language at once; /language alone: buttons to pick one."""
    if not context.args:
        await send(context, _chat_id(update), render_reply(language_picker()))
        return
    code = context.args[0].lower()
    if code in LANGUAGE_NAMES:
        await _speak(update, context, caller, code)
    else:
        await tell(update, unknown_language().text)


async def language_button(
    update: Update, context: BackitContext, caller: Caller, intent: Language
) -> None:
    """Remember the chosen language and confirm in it."""
    await _speak(update, context, caller, intent.locale)


async def _speak(update: Update, context: BackitContext, caller: Caller, code: str) -> None:
    """Remember the language and confirm in it."""
    await choose_language(context.services.uows(), caller, code)
    await tell(update, language_chosen(code).text)
