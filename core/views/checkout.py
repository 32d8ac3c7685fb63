"""What the provider's checkout page says a pledge is for, in the backer's language."""

from __future__ import annotations

from dataclasses import dataclass

from core.campaigns import Campaign, RewardTier
from core.i18n import current_locale, gettext
from core.moments import date_time
from core.money import Money
from core.payments import CheckoutMode


@dataclass(frozen=True, slots=True)
class CheckoutWording:
    """The words on the checkout page: the line paid for, and what saving a card means."""

    # The reward's title, or a pledge without one.
    item_name: str
    # The campaign's title, under the item's name.
    item_description: str
    # Beside the button when the card is only saved (the provider says nothing of a charge to
    # come); None when it is charged at once, the amount being on the page.
    submit_message: str | None


def checkout_wording(
    campaign: Campaign, tier: RewardTier | None, amount: Money, mode: CheckoutMode
) -> CheckoutWording:
    """The checkout page's words for one pledge, in the current locale."""
    item = tier.title if tier is not None else gettext("Pledge without a reward")
    if mode is CheckoutMode.PAYMENT:
        return CheckoutWording(item, campaign.title, None)
    if tier is not None:
        terms = gettext(
            "Your card will be charged {amount} for “{reward}” of “{title}” only if it reaches "
            "its goal by {end}."
        )
    else:
        terms = gettext(
            "Your card will be charged {amount} for your pledge to “{title}” only if it reaches "
            "its goal by {end}."
        )
    message = terms.format(
        amount=amount.format(current_locale.get()),
        reward=item,
        title=campaign.title,
        end=date_time(campaign.ends_at),
    )
    return CheckoutWording(item, campaign.title, message)


def top_up_wording(campaign: Campaign, tier: RewardTier | None, total: Money) -> CheckoutWording:
    """The checkout page's words for the difference that raises a paid pledge, in the current
    locale: what the pledge comes to, on the campaign's line."""
    money = total.format(current_locale.get())
    if tier is None:
        item = gettext("Pledge raised to {amount}").format(amount=money)
    else:
        item = gettext("Pledge raised to {amount} for “{reward}”").format(
            amount=money, reward=tier.title
        )
    return CheckoutWording(item, campaign.title, None)
