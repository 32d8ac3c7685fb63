"""Backing: the personal pledge button, and custom amounts typed in the private chat."""

from __future__ import annotations

from contextlib import suppress

from telegram import Update
from telegram.error import BadRequest

from adapters.telegram.awaited import AWAITING_AMOUNT, AWAITING_CHANGE, AWAITING_REASON, LAST_OFFER
from adapters.telegram.callers import for_caller, is_private
from adapters.telegram.changing import amount_typed as changed_to_amount
from adapters.telegram.context import BackitContext
from adapters.telegram.deep_links import ContinuePledge
from adapters.telegram.links import deep_link, group_urls
from adapters.telegram.notices import notice_parts
from adapters.telegram.referrals import referral_for
from adapters.telegram.render import render_reply
from adapters.telegram.reviewing import reason_typed
from adapters.telegram.sending import send
from core.campaigns import Campaign
from core.identity import Caller
from core.payments import PaymentUnavailable
from core.usecases.pledging import custom_amount, offer_pledge
from core.views.intents import Pledge, PledgeCustom
from core.views.pledge_changes import already_backed
from core.views.pledge_offers import amount_offer, amount_question, reward_offer, unexpected_text


async def offer_reward(
    update: Update,
    context: BackitContext,
    caller: Caller,
    payload: ContinuePledge,
    secret_code: str | None = None,
) -> None:
    """In private: the personal one-tap button for a reward (a secret one with the code that
    revealed it), or a question for an amount."""
    services = context.services
    offer = await offer_pledge(
        services.uows, services.clock, caller, payload.campaign_id, payload.tier_id, secret_code
    )
    if offer.tier is None:
        await ask_amount(update, context, offer.campaign, payload.referral_code)
        return
    url = services.personal_link(
        offer.backer.id, offer.campaign.id, offer.tier.id, None, payload.referral_code
    )
    if url is None:
        raise PaymentUnavailable()
    chat = update.effective_chat
    assert chat is not None
    now = services.clock.now()
    if offer.backed is not None:
        for part in notice_parts(
            already_backed(offer.backed, offer.campaign, offer.tier, url, now)
        ):
            await send(context, chat.id, part)
        return
    reply = reward_offer(offer.campaign, offer.tier, now, url)
    await send(context, chat.id, render_reply(reply))


async def ask_amount(
    update: Update, context: BackitContext, campaign: Campaign, referral_code: str | None
) -> None:
    """Ask how much to pledge without a reward; the next messages are answers."""
    assert context.user_data is not None
    # One amount is awaited at a time: this one, not another for a pledge being changed.
    context.user_data.pop(AWAITING_CHANGE, None)
    context.user_data.pop(AWAITING_REASON, None)
    context.user_data[AWAITING_AMOUNT] = (campaign.id, referral_code)
    context.user_data.pop(LAST_OFFER, None)
    chat = update.effective_chat
    assert chat is not None
    # A message, not a toast: a pressed button is answered already, and the question stays.
    maximum = context.services.limits.maximum(campaign.goal.currency)
    question = amount_question(campaign, maximum)
    await send(context, chat.id, render_reply(question))


async def pledge_button(
    update: Update, context: BackitContext, caller: Caller, intent: Pledge
) -> None:
    """A reward button that arrived as a callback: one with nothing left, which core refuses
    with the reason (or offers, if a unit came back), or payments are not configured."""
    services = context.services
    await offer_pledge(
        services.uows,
        services.clock,
        caller,
        intent.campaign_id,
        intent.tier_id,
        intent.secret_code,
    )
    assert update.callback_query is not None
    if not is_private(update):
        await update.callback_query.answer(url=group_urls(context)(intent))
        return
    referral = referral_for(context, intent.campaign_id)
    # Answered once the offer is sent: a refusal on the way is answered as an alert instead.
    continued = ContinuePledge(intent.campaign_id, intent.tier_id, referral)
    await offer_reward(update, context, caller, continued, intent.secret_code)
    await update.callback_query.answer()


async def custom_button(
    update: Update, context: BackitContext, caller: Caller, intent: PledgeCustom
) -> None:
    """ "Pledge without a reward": ask the amount in private, or lead there from a group."""
    if not is_private(update):
        link = deep_link(context, ContinuePledge(intent.campaign_id, None))
        assert update.callback_query is not None
        await update.callback_query.answer(url=link)
        return
    offer = await offer_pledge(
        context.services.uows, context.services.clock, caller, intent.campaign_id, None
    )
    if update.callback_query is not None:
        await update.callback_query.answer()
    await ask_amount(update, context, offer.campaign, referral_for(context, offer.campaign.id))


async def _retire(context: BackitContext, chat_id: int, message_id: int) -> None:
    """Take the button off an offer a newer amount replaced: one live link at a time."""
    # Deleted by the person meanwhile, or already without a button: nothing to retire.
    with suppress(BadRequest):
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)


@for_caller
async def amount_typed(update: Update, context: BackitContext, caller: Caller) -> None:
    """A message in private: while an amount is awaited, check it and give the pledge button
    (a later amount replaces the offer); otherwise, say where to go from here."""
    assert context.user_data is not None
    message = update.effective_message
    if message is None or message.text is None:
        return
    if await reason_typed(update, context, caller, message.text):
        return
    if await changed_to_amount(update, context, caller, message.text):
        return
    if AWAITING_AMOUNT not in context.user_data:
        await send(context, message.chat_id, render_reply(unexpected_text()))
        return
    # Any refusal but a wrong amount ends the wait: a campaign that has closed meanwhile must
    # not answer every later message.
    campaign_id, referral_code = context.user_data.pop(AWAITING_AMOUNT)
    services = context.services
    offer = await offer_pledge(services.uows, services.clock, caller, campaign_id, None)
    context.user_data[AWAITING_AMOUNT] = (campaign_id, referral_code)
    # A wrong amount keeps the wait, and so does a right one: a second amount replaces it.
    amount = custom_amount(message.text, offer.campaign, services.limits)
    url = services.personal_link(offer.backer.id, campaign_id, None, amount.amount, referral_code)
    if url is None:
        raise PaymentUnavailable()
    replaced = context.user_data.pop(LAST_OFFER, None)
    if replaced is not None:
        await _retire(context, message.chat_id, replaced)
    reply = amount_offer(offer.campaign, amount, url)
    sent = await send(context, message.chat_id, render_reply(reply))
    context.user_data[LAST_OFFER] = sent.message_id
