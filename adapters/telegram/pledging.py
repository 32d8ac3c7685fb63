"""Backing: the personal pledge button, and custom amounts typed in the private chat."""

from __future__ import annotations

from html import escape

from telegram import Update

from adapters.telegram.awaited import AWAITING_AMOUNT, AWAITING_CHANGE
from adapters.telegram.callers import for_caller, is_private
from adapters.telegram.changing import amount_typed as changed_to_amount
from adapters.telegram.context import BackitContext
from adapters.telegram.deep_links import ContinuePledge
from adapters.telegram.links import deep_link
from adapters.telegram.notices import notice_parts
from adapters.telegram.render import Rendered, keyboard
from adapters.telegram.sending import send
from core.errors import InvalidAmount
from core.i18n import gettext
from core.identity import Caller
from core.payments import PaymentUnavailable
from core.usecases.pledging import custom_amount, offer_pledge
from core.views.cards import tier_label
from core.views.intents import Intent
from core.views.model import Button
from core.views.pledge_changes import already_backed


async def offer_reward(
    update: Update, context: BackitContext, caller: Caller, payload: ContinuePledge
) -> None:
    """In private: the personal one-tap button for a reward, or a question for an amount."""
    services = context.services
    offer = await offer_pledge(
        services.uows, services.clock, caller, payload.campaign_id, payload.tier_id
    )
    if offer.tier is None:
        await ask_amount(update, context, payload.campaign_id, payload.referral_code)
        return
    url = services.personal_link(
        offer.backer.id, offer.campaign.id, offer.tier.id, None, payload.referral_code
    )
    if url is None:
        raise PaymentUnavailable()
    chat = update.effective_chat
    assert chat is not None
    if offer.backed is not None:
        question = already_backed(
            offer.backed, offer.campaign, offer.tier, url, services.clock.now()
        )
        for part in notice_parts(question):
            await send(context, chat.id, part)
        return
    text = gettext("Back “{title}” with {reward}: one tap takes you to the secure payment page.")
    button = Button(
        gettext("Pledge: {reward}").format(reward=tier_label(offer.tier, services.clock.now())),
        url=url,
    )
    await send(
        context,
        chat.id,
        Rendered(
            text.format(title=escape(offer.campaign.title), reward=escape(offer.tier.title)),
            keyboard(((button,),)),
        ),
    )


async def ask_amount(
    update: Update, context: BackitContext, campaign_id: int, referral_code: str | None
) -> None:
    """Ask how much to pledge without a reward; the next message is the answer."""
    assert context.user_data is not None
    # One amount is awaited at a time: this one, not another for a pledge being changed.
    context.user_data.pop(AWAITING_CHANGE, None)
    context.user_data[AWAITING_AMOUNT] = (campaign_id, referral_code)
    chat = update.effective_chat
    assert chat is not None
    # A message, not a toast: a pressed button is answered already, and the question stays.
    await chat.send_message(gettext("How much would you like to pledge? Send an amount, e.g. 25."))


async def pledge_button(
    update: Update, context: BackitContext, caller: Caller, intent: Intent
) -> None:
    """A reward button that arrived as a callback: one with nothing left, which core refuses
    with the reason (or offers, if a unit came back), or payments are not configured."""
    campaign_id, tier_id = intent.int_arg(0), intent.int_arg(1)
    services = context.services
    await offer_pledge(services.uows, services.clock, caller, campaign_id, tier_id)
    assert update.callback_query is not None
    if not is_private(update):
        link = deep_link(context, ContinuePledge(campaign_id, tier_id))
        await update.callback_query.answer(url=link)
        return
    # Answered once the offer is sent: a refusal on the way is answered as an alert instead.
    await offer_reward(update, context, caller, ContinuePledge(campaign_id, tier_id))
    await update.callback_query.answer()


async def custom_button(
    update: Update, context: BackitContext, caller: Caller, intent: Intent
) -> None:
    """ "Pledge without a reward": ask the amount in private, or lead there from a group."""
    if not is_private(update):
        link = deep_link(context, ContinuePledge(intent.int_arg(0), None))
        assert update.callback_query is not None
        await update.callback_query.answer(url=link)
        return
    offer = await offer_pledge(
        context.services.uows, context.services.clock, caller, intent.int_arg(0), None
    )
    if update.callback_query is not None:
        await update.callback_query.answer()
    await ask_amount(update, context, offer.campaign.id, None)


@for_caller
async def amount_typed(update: Update, context: BackitContext, caller: Caller) -> None:
    """A message in private while an amount is awaited: check it and give the pledge button."""
    assert context.user_data is not None
    message = update.effective_message
    if message is None or message.text is None:
        return
    if await changed_to_amount(update, context, caller, message.text):
        return
    if AWAITING_AMOUNT not in context.user_data:
        return
    # Any refusal but a wrong amount ends the wait: a campaign that has closed meanwhile must
    # not answer every later message.
    campaign_id, referral_code = context.user_data.pop(AWAITING_AMOUNT)
    services = context.services
    offer = await offer_pledge(services.uows, services.clock, caller, campaign_id, None)
    try:
        amount = custom_amount(message.text, offer.campaign, services.limits)
    except InvalidAmount:
        context.user_data[AWAITING_AMOUNT] = (campaign_id, referral_code)
        raise
    url = services.personal_link(offer.backer.id, campaign_id, None, amount.amount, referral_code)
    if url is None:
        raise PaymentUnavailable()
    shown = amount.format(caller.locale)
    button = Button(gettext("Pledge {amount}").format(amount=shown), url=url)
    text = gettext("Back “{title}” with {amount}: one tap takes you to the secure payment page.")
    await send(
        context,
        message.chat_id,
        Rendered(
            text.format(title=escape(offer.campaign.title), amount=escape(shown)),
            keyboard(((button,),)),
        ),
    )
