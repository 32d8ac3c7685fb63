"""What a card says about each reward and each stretch goal."""

from __future__ import annotations

from datetime import datetime

from babel import Locale
from babel.dates import format_skeleton
from babel.lists import format_list

from core.campaigns import Campaign, RewardTier
from core.i18n import current_locale, gettext, ngettext
from core.money import Money
from core.views.formatting import backers, number
from core.views.model import Entry, Section

# Countries named on a card before the rest are counted: a worldwide list would bury the reward.
COUNTRIES_NAMED = 8


def delivery(tier: RewardTier) -> str | None:
    """ "Estimated delivery: March 2027" in the reader's words, or None when not given."""
    if tier.estimated_delivery is None:
        return None
    month = format_skeleton("yMMMM", tier.estimated_delivery, locale=current_locale.get())
    return gettext("Estimated delivery: {month}").format(month=month)


def shipping(ships: bool, countries: tuple[str, ...]) -> str:
    """Where a reward ships, by country name (anywhere Checkout reaches when none is listed),
    or that it is digital."""
    if not ships:
        return gettext("Digital, no shipping")
    if not countries:
        return gettext("Ships worldwide")
    locale = current_locale.get()
    territories = Locale.parse(locale).territories
    names = [territories.get(code, code) for code in countries[:COUNTRIES_NAMED]]
    others = len(countries) - len(names)
    if others:
        names.append(
            ngettext("{count} other country", "{count} other countries", others).format(
                count=number(others)
            )
        )
    return gettext("Ships to {countries}").format(countries=format_list(names, locale=locale))


def availability(tier: RewardTier, now: datetime) -> str | None:
    """ "3 left", "Sold out", or when units held at checkout may come back; None: unlimited."""
    wait = tier.checkout_wait(now)
    if wait is not None:
        # Short: it is part of a button label, at most 64 characters on Telegram.
        return gettext("At checkout · try again in {count} min").format(count=number(wait))
    if tier.sold_out:
        return gettext("Sold out")
    if tier.remaining is not None:
        return gettext("{count} left").format(count=number(tier.remaining))
    return None


def uptake(tier: RewardTier, *, ended: bool) -> str:
    """How many backers chose a reward, and until the campaign ends, what is left of a limited
    one."""
    parts = [backers(tier.claimed)]
    if ended:
        return parts[0]
    if tier.sold_out:
        parts.append(gettext("Sold out"))
    elif tier.remaining is not None and tier.quantity_limit is not None:
        parts.append(
            gettext("{count} of {limit} left").format(
                count=number(tier.remaining), limit=number(tier.quantity_limit)
            )
        )
    return " · ".join(parts)


def reward_facts(tier: RewardTier, *, ended: bool) -> tuple[str, ...]:
    """When and where a reward comes, and its uptake: the lines after its description."""
    facts = (delivery(tier), shipping(tier.ships, tier.ship_countries), uptake(tier, ended=ended))
    return tuple(fact for fact in facts if fact)


def reward_entry(tier: RewardTier, *, ended: bool) -> Entry:
    """One reward: its title and price, then what it is, when and where it comes, its uptake."""
    heading = f"{tier.title} · {tier.amount.format(current_locale.get())}"
    described = (tier.description,) if tier.description else ()
    return Entry(heading, (*described, *reward_facts(tier, ended=ended)))


def rewards_section(campaign: Campaign, *, ended: bool) -> Section | None:
    """Every reward spelled out, with what is left until the campaign has `ended`; None for a
    campaign without rewards."""
    if not campaign.tiers:
        return None
    entries = tuple(reward_entry(tier, ended=ended) for tier in campaign.tiers)
    return Section(gettext("Rewards"), entries)


def stretch_entry(campaign: Campaign, amount: int) -> Entry:
    """ "✓ €6,000 reached", or "€8,000: €1,200 to go"."""
    locale = current_locale.get()
    goal = Money(amount, campaign.goal.currency).format(locale)
    if campaign.raised >= amount:
        return Entry(gettext("✓ {amount} reached").format(amount=goal))
    missing = Money(amount - campaign.raised, campaign.goal.currency).format(locale)
    return Entry(gettext("{amount}: {missing} to go").format(amount=goal, missing=missing))


def stretch_section(campaign: Campaign) -> Section | None:
    """The stretch goals, lowest first, each reached or not; None when there are none."""
    if not campaign.stretch_goals:
        return None
    entries = tuple(stretch_entry(campaign, amount) for amount in sorted(campaign.stretch_goals))
    return Section(gettext("Stretch goals"), entries)
