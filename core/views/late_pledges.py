"""What a creator is asked and told while opening a campaign to late pledges."""

from __future__ import annotations

from babel.lists import format_list

from core.campaigns import Campaign, RewardTier
from core.i18n import current_locale, gettext
from core.moments import date_time


def late_period_question(title: str) -> str:
    """Asks how long a campaign takes late pledges."""
    return gettext(
        "For how many days should “{title}” take late pledges? Send a number from 1 to 90. "
        "/cancel to stop."
    ).format(title=title)


def late_price_question(tier: RewardTier) -> str:
    """Asks a reward's price to late backers, beside its price during the campaign."""
    return gettext(
        "Late price for “{reward}” (it was {price})? Send an amount, or /skip to leave it out "
        "of late pledges."
    ).format(reward=tier.title, price=tier.amount.format(current_locale.get()))


def late_period_label() -> str:
    """A form field's name for the late period."""
    return gettext("Days of late pledges (1 to 90)")


def late_price_label(tier: RewardTier) -> str:
    """A form field's name for a reward's late price."""
    return gettext("{reward}, late price").format(reward=tier.title)


def late_price_hint(tier: RewardTier) -> str:
    """Under a reward's late price field: its price during the campaign, and how to leave it
    out."""
    return gettext("It was {price}. Leave empty: not offered late.").format(
        price=tier.amount.format(current_locale.get())
    )


def late_pledges_opened(campaign: Campaign) -> str:
    """Late pledges are open: until when, and for which rewards at which prices."""
    assert campaign.late_until is not None, "said once late pledges are open"
    locale = current_locale.get()
    rewards = [
        gettext("{reward} at {price}").format(
            reward=tier.title, price=tier.late_amount.format(locale)
        )
        for tier in campaign.tiers
        if tier.late_amount is not None
    ]
    return gettext("“{title}” takes late pledges until {date}: {rewards}.").format(
        title=campaign.title,
        date=date_time(campaign.late_until),
        rewards=format_list(rewards, locale=locale),
    )


def late_pledges_unchanged() -> str:
    """The creator stopped before late pledges were opened."""
    return gettext("Late pledges are unchanged.")
