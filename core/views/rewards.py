"""What a card says about each reward and each stretch goal."""

from __future__ import annotations

from datetime import datetime

from babel import Locale
from babel.dates import format_skeleton
from babel.lists import format_list

from core.campaigns import Campaign, RewardTier
from core.i18n import current_locale, gettext, ngettext
from core.moments import date_time
from core.money import Money
from core.views.formatting import backers, day_and_month, duration, number
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


def window(tier: RewardTier, now: datetime) -> str | None:
    """ "opens Dec 10", "closed", or "closes in 2 days" for an early bird still open; None for a
    reward open all the campaign long."""
    # Short: it is part of a button label, at most 64 characters on Telegram.
    if tier.opens_at is not None and not tier.has_opened(now):
        return gettext("opens {day}").format(day=day_and_month(tier.opens_at))
    if tier.has_closed(now):
        return gettext("closed")
    if tier.closes_at is None:
        return None
    return gettext("closes in {duration}").format(duration=duration(tier.closes_at - now))


def window_fact(tier: RewardTier, now: datetime) -> str | None:
    """When a reward opens or closes, to the minute; None for one open all the campaign long."""
    if tier.opens_at is not None and not tier.has_opened(now):
        return gettext("Opens on {date}").format(date=date_time(tier.opens_at))
    if tier.closes_at is None:
        return None
    if tier.has_closed(now):
        return gettext("Closed on {date}").format(date=date_time(tier.closes_at))
    return gettext("Until {date}").format(date=date_time(tier.closes_at))


def availability(tier: RewardTier, now: datetime) -> str | None:
    """ "3 left", "Sold out", when units held at checkout may come back, and when an early bird
    closes; or why a reward cannot be chosen yet or any more. None: unlimited, always open."""
    if not tier.is_open(now):
        return window(tier, now)
    parts = (stock(tier, now), window(tier, now))
    return " · ".join(part for part in parts if part) or None


def stock(tier: RewardTier, now: datetime) -> str | None:
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


def reward_facts(tier: RewardTier, now: datetime, *, ended: bool) -> tuple[str, ...]:
    """When and where a reward comes, its uptake, and until the campaign ends, when it opens or
    closes: the lines after its description."""
    facts = (
        delivery(tier),
        shipping(tier.ships, tier.ship_countries),
        uptake(tier, ended=ended),
        None if ended else window_fact(tier, now),
    )
    return tuple(fact for fact in facts if fact)


def reward_entry(
    tier: RewardTier,
    now: datetime,
    *,
    ended: bool,
    price: Money | None = None,
    secret_marked: bool = False,
) -> Entry:
    """One reward: its title and price (`price`, a late one, instead of its own), then whether
    it is secret when `secret_marked`, what it is, when and where it comes, its uptake."""
    heading = f"{tier.title} · {(price or tier.amount).format(current_locale.get())}"
    marked = (gettext("Secret: offered by link only"),) if secret_marked and tier.secret else ()
    described = (tier.description,) if tier.description else ()
    return Entry(heading, (*marked, *described, *reward_facts(tier, now, ended=ended)))


def rewards_section(
    tiers: list[RewardTier],
    now: datetime,
    *,
    ended: bool,
    late: bool = False,
    secrets_marked: bool = False,
) -> Section | None:
    """The rewards shown spelled out, at their late prices while late pledges are taken, with
    what is left until the campaign has `ended`, secret ones said to be when `secrets_marked`;
    None without any."""
    if not tiers:
        return None
    entries = tuple(
        reward_entry(
            tier, now, ended=ended, price=tier.price(late=late), secret_marked=secrets_marked
        )
        for tier in tiers
    )
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
