"""The pledge offer: a personal one-tap button for a reward or an amount, and the question
that asks for an amount."""

from __future__ import annotations

from datetime import datetime

from core.campaigns import Campaign, RewardTier
from core.charges import minimum_charge
from core.i18n import current_locale, gettext
from core.money import Money
from core.views.cards import tier_label
from core.views.model import Button, Reply


def reward_offer(campaign: Campaign, tier: RewardTier, now: datetime, url: str) -> Reply:
    """A reward's personal pledge link, one tap from the payment page."""
    text = gettext(
        "Back “{title}” with {reward}: one tap takes you to the secure payment page."
    ).format(title=campaign.title, reward=tier.title)
    label = gettext("Pledge: {reward}").format(reward=tier_label(tier, now))
    return Reply(text, ((Button(label, url=url),),))


def amount_offer(campaign: Campaign, amount: Money, url: str) -> Reply:
    """A personal pledge link for an amount the person chose, without a reward."""
    shown = amount.format(current_locale.get())
    text = gettext(
        "Back “{title}” with {amount}: one tap takes you to the secure payment page."
    ).format(title=campaign.title, amount=shown)
    label = gettext("Pledge {amount}").format(amount=shown)
    return Reply(text, ((Button(label, url=url),),))


def amount_question(campaign: Campaign, maximum: Money) -> Reply:
    """How much to pledge without a reward, between what can be charged and the largest pledge."""
    locale = current_locale.get()
    text = gettext(
        "How much would you like to pledge to “{title}”? Send an amount between {minimum} "
        "and {maximum}."
    ).format(
        title=campaign.title,
        minimum=minimum_charge(campaign.goal.currency).format(locale),
        maximum=maximum.format(locale),
    )
    return Reply(text)


def unexpected_text() -> Reply:
    """What a private message Backit was not waiting for gets: where to go from here."""
    return Reply(gettext("Send /discover to find campaigns, or /help."))
