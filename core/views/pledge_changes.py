"""Changing one's own pledge: the choices, the question before a second pledge, the result."""

from __future__ import annotations

from datetime import datetime

from core.campaigns import Campaign, FundingModel, RewardTier
from core.i18n import current_locale, gettext
from core.money import Money
from core.pledges import Pledge, can_change, can_change_to
from core.usecases.changing import PledgeChange, TopUpDue
from core.views.cards import pledge_summary, tier_label
from core.views.formatting import pledged
from core.views.intents import ChangeAmount, ChangeTo
from core.views.model import Button, Notice


def _change_to(pledge: Pledge, tier: RewardTier, label: str, now: datetime) -> Button:
    return Button(label, ChangeTo(pledge.id, tier.id), available=tier.offered(now))


def change_choices(pledge: Pledge, campaign: Campaign, now: datetime) -> Notice:
    """The rewards a pledge may move to, each a button that moves it there."""
    rewards = tuple(
        (_change_to(pledge, tier, tier_label(campaign, tier, now), now),)
        for tier in campaign.shown_tiers()
        if tier.id != pledge.tier_id and can_change_to(pledge, campaign, tier.amount.amount)
    )
    amount = Button(gettext("Another amount"), ChangeAmount(pledge.id))
    buttons = (*rewards, (amount,))
    if campaign.funding_model is FundingModel.ALL_OR_NOTHING:
        text = gettext(
            "You pledged {pledge}. Choose another reward or amount: your saved card is charged "
            "the new amount at the deadline, only if the campaign reaches its goal."
        )
    elif pledge.topped_up:
        text = gettext(
            "You backed this with {pledge}. Choose a larger reward or amount: you pay the "
            "difference, and your pledge changes once it is paid."
        )
    else:
        text = gettext(
            "You backed this with {pledge}. Choose another reward or amount: for less, the "
            "difference is refunded to your card; for more, you pay the difference, and your "
            "pledge changes once it is paid."
        )
    text = text.format(pledge=pledge_summary(pledge, campaign))
    return Notice(
        title=gettext("Change your pledge to “{title}”").format(title=campaign.title),
        text=text,
        buttons=buttons,
    )


def amount_rule(pledge: Pledge, campaign: Campaign) -> str | None:
    """What another amount does to the pledge's reward; None without one."""
    tier = campaign.tier(pledge.tier_id) if pledge.tier_id is not None else None
    if tier is None:
        return None
    return gettext("From {price} it keeps “{reward}”; below, it has no reward.").format(
        price=tier.amount.format(current_locale.get()), reward=tier.title
    )


def amount_question(pledge: Pledge, campaign: Campaign) -> str:
    """What to ask, in a chat, for another amount."""
    question = gettext("How much should your pledge be now? Send an amount, e.g. 25.")
    rule = amount_rule(pledge, campaign)
    return f"{question} {rule}" if rule else question


def already_backed(
    pledge: Pledge, campaign: Campaign, tier: RewardTier, second_pledge_url: str, now: datetime
) -> Notice:
    """Before a second pledge on a campaign: change the first to this reward, or add one?"""
    # While late pledges are taken, a second pledge is at the reward's late price.
    price = tier.price(late=campaign.late_open(now)) or tier.amount
    choice = gettext("{reward}, {amount}").format(
        reward=tier.title, amount=price.format(current_locale.get())
    )
    mine = pledge_summary(pledge, campaign)
    second = (Button(gettext("Add a second pledge"), url=second_pledge_url),)
    if (
        pledge.tier_id == tier.id
        or tier.secret
        or not can_change(pledge, campaign, now)
        or not can_change_to(pledge, campaign, tier.amount.amount)
    ):
        # The same reward again, a secret one (had only as a pledge of its own), or a pledge
        # that may not come to it: a second pledge is the way.
        text = gettext("You already backed this with {pledge}. Add a second pledge for {choice}?")
        return Notice(campaign.title, text.format(pledge=mine, choice=choice), (second,))
    text = gettext(
        "You already backed this with {pledge}: change your pledge to {choice}, or add a "
        "second pledge?"
    )
    label = gettext("Change to {choice}").format(choice=choice)
    change = _change_to(pledge, tier, label, now)
    return Notice(campaign.title, text.format(pledge=mine, choice=choice), ((change,), second))


def change_result(
    pledge: Pledge, campaign: Campaign, changed: bool, refunded: Money | None = None
) -> Notice:
    """What a change came to: the pledge as it now is, and any money refunded."""
    summary = pledge_summary(pledge, campaign)
    if not changed:
        text = gettext("Your pledge already is {pledge}: nothing changed.")
        return Notice(campaign.title, text.format(pledge=summary))
    if refunded is not None:
        text = gettext(
            "Your pledge to “{title}” is now {pledge}. {refund} is refunded to your card: "
            "your bank shows it within a few days."
        ).format(title=campaign.title, pledge=summary, refund=refunded.format(current_locale.get()))
        return Notice(gettext("Pledge changed"), text)
    text = gettext(
        "Your pledge to “{title}” is now {pledge}. Your saved card is charged this amount at "
        "the deadline, only if the campaign reaches its goal."
    )
    return Notice(gettext("Pledge changed"), text.format(title=campaign.title, pledge=summary))


def change_reply(change: PledgeChange, top_up_url: str | None) -> Notice:
    """What a change request comes to: its result, or for a paid pledge going up, the link to
    pay the difference (`top_up_url`, made for the change's top-up when there is one)."""
    if change.top_up is None:
        return change_result(change.pledge, change.campaign, change.changed, change.refunded)
    assert top_up_url is not None, "a change with a top-up due comes with the top-up's link"
    return top_up_offer(change.pledge, change.campaign, change.top_up, top_up_url)


def top_up_offer(pledge: Pledge, campaign: Campaign, due: TopUpDue, url: str) -> Notice:
    """A paid pledge going up: the difference to pay on a personal page, before anything moves."""
    tier = campaign.tier(due.tier_id) if due.tier_id is not None else None
    locale = current_locale.get()
    text = gettext(
        "Your pledge is {pledge}. To make it {new}, pay the {difference} difference: your "
        "pledge changes once it is paid."
    ).format(
        pledge=pledge_summary(pledge, campaign),
        new=pledged(due.amount, tier.title if tier is not None else None),
        difference=due.difference.format(locale),
    )
    pay = Button(
        gettext("Pay the {difference} difference").format(difference=due.difference.format(locale)),
        url=url,
    )
    return Notice(
        gettext("Change your pledge to “{title}”").format(title=campaign.title), text, ((pay,),)
    )
