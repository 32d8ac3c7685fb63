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
    label = gettext("Pledge: {reward}").format(reward=tier_label(campaign, tier, now))
    return Reply(text, ((Button(label, url=url),),))


def amount_offer(campaign: Campaign, amount: Money, url: str) -> Reply:
    """A personal pledge link for an amount the person chose, without a reward."""
    shown = amount.format(current_locale.get())
    text = gettext(
        "Back “{title}” with {amount}: one tap takes you to the secure payment page."
    ).format(title=campaign.title, amount=shown)
    label = gettext("Pledge {amount}").format(amount=shown)
    return Reply(text, ((Button(label, url=url),),))


def _bounds(campaign: Campaign, maximum: Money) -> dict[str, str]:
    """The smallest amount that can be charged and the largest pledge, the reader's way."""
    locale = current_locale.get()
    return {
        "minimum": minimum_charge(campaign.goal.currency).format(locale),
        "maximum": maximum.format(locale),
    }


def amount_question(campaign: Campaign, maximum: Money) -> Reply:
    """How much to pledge without a reward, between what can be charged and the largest pledge."""
    text = gettext(
        "How much would you like to pledge to “{title}”? Send an amount between {minimum} "
        "and {maximum}."
    ).format(title=campaign.title, **_bounds(campaign, maximum))
    return Reply(text)


def amount_label() -> str:
    """The label of a form's amount field."""
    return gettext("Amount")


def amount_range(campaign: Campaign, maximum: Money) -> str:
    """The same bounds, short enough to sit under a form's amount field."""
    return gettext("An amount between {minimum} and {maximum}").format(**_bounds(campaign, maximum))


def unexpected_text() -> Reply:
    """What a private message Backit was not waiting for gets: where to go from here."""
    return Reply(gettext("Send /discover to find campaigns, or /help."))
