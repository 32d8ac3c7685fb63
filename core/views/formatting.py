"""Numbers, money, durations and statuses written for the reader's locale."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from babel.dates import format_skeleton
from babel.numbers import format_compact_currency, format_decimal, format_percent
from babel.units import format_unit

from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.i18n import N_, current_locale, gettext, ngettext
from core.money import Money
from core.pledges import PledgeStatus

_CAMPAIGN_STATUS = {
    CampaignStatus.DRAFT: N_("Draft"),
    CampaignStatus.IN_REVIEW: N_("In review"),
    CampaignStatus.COMING_SOON: N_("Coming soon"),
    CampaignStatus.LIVE: N_("Live"),
    CampaignStatus.SUCCESSFUL: N_("Funded"),
    CampaignStatus.FAILED: N_("Not funded"),
    CampaignStatus.CANCELLED: N_("Cancelled"),
}

_PLEDGE_STATUS = {
    PledgeStatus.PENDING: N_("Awaiting payment"),
    PledgeStatus.AUTHORIZED: N_("Card saved, charged if funded"),
    PledgeStatus.PAID: N_("Paid"),
    PledgeStatus.FAILED: N_("Payment failed"),
    PledgeStatus.CANCELLED: N_("Cancelled"),
    PledgeStatus.REFUNDED: N_("Refunded"),
    PledgeStatus.EXPIRED: N_("Expired"),
}

_FUNDING = {
    FundingModel.ALL_OR_NOTHING: N_("All or nothing: cards are charged only if the goal is met"),
    FundingModel.FLEXIBLE: N_("Flexible: charged now, kept whatever the outcome"),
}


def more_entries(count: int) -> str:
    """What closes a section cut short: "… and 3 more"."""
    return gettext("… and {count} more").format(count=count)


def labelled(name: str) -> str:
    """A label before its value, "Raised:", with the reader's typography ("Collecté :")."""
    return gettext("{name}:").format(name=name)


def number(value: int) -> str:
    """An integer with the locale's grouping: "1,234" or "1 234"."""
    return format_decimal(value, locale=current_locale.get())


def percent(value: int) -> str:
    """A whole percentage the reader's way: "62%", "62 %" (a no-break space in French).

    Written out here, never inside a message: a bare "%" in a message id reads as a %-format
    placeholder to the catalog's checks ("% o" in "% of"), and translations then fail them."""
    return format_percent(Decimal(value) / 100, locale=current_locale.get())


def rate(basis_points: int) -> str:
    """A rate in hundredths of a percent, with the decimals it has: "5%", "2,5 %"."""
    return format_percent(
        Decimal(basis_points) / 10_000, locale=current_locale.get(), decimal_quantization=False
    )


def backers(count: int) -> str:
    """ "1 backer", "1,234 backers"."""
    return ngettext("{count} backer", "{count} backers", count).format(count=number(count))


def short_money(amount: Money) -> str:
    """An amount rounded to two figures for a chart's axis: "€1.5K", "1,5 k €"."""
    # Ticks step by one, two or five times a power of ten: one decimal tells them apart.
    return format_compact_currency(
        amount.to_major(), amount.currency, locale=current_locale.get(), fraction_digits=1
    )


def day_and_month(day: date) -> str:
    """A day without its year, the reader's way: "Dec 7", "7 déc."."""
    return format_skeleton("MMMd", day, locale=current_locale.get())


def time_left(campaign: Campaign, now: datetime) -> str:
    """ "3 days left", "Launches in 3 hours" while it is coming soon, or the campaign's status
    once it is no longer running."""
    if campaign.status is CampaignStatus.COMING_SOON:
        return launches_in(campaign, now)
    if campaign.status is not CampaignStatus.LIVE:
        return campaign_status(campaign.status)
    left = campaign.ends_at - now
    if left <= timedelta(0):
        return gettext("Ended")
    return gettext("{duration} left").format(duration=duration(left))


def launches_in(campaign: Campaign, now: datetime) -> str:
    """ "Launches in 3 hours"; "Launching now" once its start has come, until the scheduler
    launches it."""
    wait = campaign.starts_at - now
    if wait <= timedelta(0):
        return gettext("Launching now")
    return gettext("Launches in {duration}").format(duration=duration(wait))


def people_waiting(count: int) -> str:
    """ "12 people waiting" for a campaign's launch."""
    return ngettext("{count} person waiting", "{count} people waiting", count).format(
        count=number(count)
    )


def duration(left: timedelta) -> str:
    """ "3 days", "47 hours", "1 minute": a time still to run, in whole days from two days,
    whole hours from an hour, else minutes."""
    seconds = int(left.total_seconds())
    # Crowdfunding counts down in days, then hours, then minutes; never in weeks. A single
    # day would read 47 hours as "1 day", and an early bird's last day matters by the hour.
    if seconds >= 2 * 86_400:
        value, unit = seconds // 86_400, "duration-day"
    elif seconds >= 3_600:
        value, unit = seconds // 3_600, "duration-hour"
    else:
        value, unit = max(seconds // 60, 1), "duration-minute"
    return format_unit(value, unit, locale=current_locale.get())


def campaign_status(status: CampaignStatus) -> str:
    """A campaign status in words."""
    return gettext(_CAMPAIGN_STATUS[status])


def pledge_status(status: PledgeStatus) -> str:
    """A pledge status in words."""
    return gettext(_PLEDGE_STATUS[status])


def funding_model(model: FundingModel) -> str:
    """What a funding model means for the backer's money."""
    return gettext(_FUNDING[model])


def pledged(amount: Money, reward: str | None) -> str:
    """A pledge's amount and what it is for, to go in a sentence: "€79 for “Deluxe edition”"."""
    money = amount.format(current_locale.get())
    if reward is None:
        return money
    return gettext("{amount} for “{reward}”").format(amount=money, reward=reward)


def reward_and_amount(amount: Money, reward: str | None) -> str:
    """A pledge in a list: "Deluxe edition · €79", or the amount alone without a reward."""
    money = amount.format(current_locale.get())
    return f"{reward} · {money}" if reward is not None else money
