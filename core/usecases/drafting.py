"""Drafting a campaign in chat: each answer read and checked, then the draft stored."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from babel.numbers import list_currencies

from core.campaigns import Campaign, FundingModel
from core.charges import minimum_charge
from core.errors import InvalidAmount, WrongCurrency
from core.i18n import N_
from core.identity import Caller
from core.money import Money, minor_digits
from core.ports import Clock, UnitOfWorkFactory
from core.usecases.managing import (
    BLURB_MAX,
    MAX_DURATION,
    SLUG_MAX,
    TITLE_MAX,
    CampaignDraft,
    TierDraft,
    campaign_from_draft,
    check_text,
    create_campaign,
    field_error,
    validate_tier,
)

DEFAULT_CURRENCY = "EUR"
# Far above any real campaign in any currency (a billion rupiah is about 60,000 euros), so
# it only stops typos, and far inside a 64-bit column even for four-decimal currencies.
AMOUNT_MAX_MAJOR = 1_000_000_000
QUANTITY_MAX = 1_000_000
# A date ends the campaign at the close of that day, UTC (it then stops one minute early).
END_OF_DAY = time(23, 59, tzinfo=UTC)

_MONEY = re.compile(r"^(?P<amount>[\d.,]+)\s*(?P<currency>[A-Za-z]+)?$")
_AMOUNT = re.compile(r"^\d+(?:[.,](?P<decimals>\d+))?$")
_DAYS = re.compile(r"^\d{1,3}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_QUANTITY = re.compile(r"^\d{1,7}$")

_AMOUNT_FORMAT = N_("write digits without thousands separators, like 5000 or 49.90")
_DECIMALS = N_("it has more decimals than its currency allows")
_CURRENCY = N_("use a currency code such as EUR, USD or GBP")
_END_FORMAT = N_("send a number of days from 1 to 90, or a date like 2026-12-24")
_END_RANGE = N_("the date must be after today and at most 90 days away")
_TIER_FORMAT = N_("send “Title | amount”, or “Title | amount | quantity” when it is limited")
_QUANTITY_FORMAT = N_("write a whole number up to a million, like 100")


@dataclass(frozen=True, slots=True)
class DraftAnswers:
    """What a creator answered, each answer already checked on its own."""

    title: str
    blurb: str
    goal: Money
    ends_at: datetime
    category: str
    funding_model: FundingModel
    tiers: tuple[TierDraft, ...] = ()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def draft_title(text: str) -> str:
    """A campaign title on one line, if present and short enough."""
    title = _one_line(text)
    check_text(title, N_("Title"), TITLE_MAX)
    return title


def draft_blurb(text: str) -> str:
    """The one-sentence blurb on one line, if present and short enough."""
    blurb = _one_line(text)
    check_text(blurb, N_("Blurb"), BLURB_MAX)
    return blurb


def _one_minor_unit(currency: str) -> Money:
    return Money(1, currency)


def _money(text: str, default_currency: str, name: str, least: Callable[[str], Money]) -> Money:
    """ "5000", "49,90 usd": an amount from `least` of its currency up, in the named or the
    default currency."""
    found = _MONEY.match(text.strip())
    if found is None:
        raise field_error(name, _AMOUNT_FORMAT)
    currency = (found["currency"] or default_currency).upper()
    if currency not in list_currencies():
        raise field_error(name, _CURRENCY)
    amount = _AMOUNT.match(found["amount"])
    if amount is None:
        raise field_error(name, _AMOUNT_FORMAT)
    if len(amount["decimals"] or "") > minor_digits(currency):
        raise field_error(name, _DECIMALS)
    money = Money.from_major(found["amount"], currency)
    minimum, maximum = least(currency), Money.from_major(str(AMOUNT_MAX_MAJOR), currency)
    if not minimum.amount <= money.amount <= maximum.amount:
        raise InvalidAmount(minimum=minimum, maximum=maximum)
    return money


def draft_goal(text: str) -> Money:
    """The goal from "5000 EUR", "49.90 usd" or "5000" (euros)."""
    return _money(text, DEFAULT_CURRENCY, N_("Goal"), _one_minor_unit)


def draft_end(text: str, now: datetime) -> datetime:
    """When the campaign ends: a number of days from now, or the close of a date (UTC)."""
    text = text.strip()
    if _DAYS.match(text) and 1 <= int(text) <= MAX_DURATION.days:
        return now + timedelta(days=int(text))
    if not _DATE.match(text):
        raise field_error(N_("End"), _END_FORMAT)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise field_error(N_("End"), _END_FORMAT) from None
    latest = now + MAX_DURATION
    if not now.date() < day <= latest.date():
        raise field_error(N_("End"), _END_RANGE)
    # On the ninetieth day the limit comes before the close of the day.
    return min(datetime.combine(day, END_OF_DAY), latest)


def draft_tier(text: str, currency: str) -> TierDraft:
    """A reward from "Title | amount" or "Title | amount | quantity", in the goal's currency."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) not in (2, 3):
        raise field_error(N_("Rewards"), _TIER_FORMAT)
    title = _one_line(parts[0])
    # A reward is paid in one charge: it cannot cost less than the provider's minimum charge.
    amount = _money(parts[1], currency, N_("Reward amount"), minimum_charge)
    if amount.currency != currency:
        raise WrongCurrency(currency=currency)
    quantity = None
    if len(parts) == 3:
        if not _QUANTITY.match(parts[2]) or int(parts[2]) > QUANTITY_MAX:
            raise field_error(N_("Reward quantity"), _QUANTITY_FORMAT)
        quantity = int(parts[2])
    tier = TierDraft(title, "", amount.amount, quantity_limit=quantity)
    validate_tier(tier)
    return tier


def _slug_base(title: str) -> str:
    # "Ada’s café" reads best as "adas-cafe": apostrophes go, accents lose their marks.
    unquoted = re.sub(r"['’]", "", title)
    plain = unicodedata.normalize("NFKD", unquoted).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "campaign"


def _shortened(slug: str, limit: int) -> str:
    """At most `limit` characters, dropping a cut last word when there are others."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    if slug[limit] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut.rstrip("-")


async def slug_for(title: str, taken: Callable[[str], Awaitable[bool]]) -> str:
    """A slug from the title (lowercase ascii and dashes), with "-2", "-3"… if it is taken."""
    base = _slug_base(title)
    slug, number = _shortened(base, SLUG_MAX), 1
    while await taken(slug):
        number += 1
        suffix = f"-{number}"
        slug = _shortened(base, SLUG_MAX - len(suffix)) + suffix
    return slug


def _campaign_draft(
    caller: Caller, answers: DraftAnswers, now: datetime, slug: str
) -> CampaignDraft:
    return CampaignDraft(
        slug=slug,
        title=answers.title,
        blurb=answers.blurb,
        description="",
        # Telegram allows longer names than a creator name may be; the start is enough.
        creator_name=caller.display_name.strip()[:TITLE_MAX],
        creator_identities=(caller.identity,),
        category=answers.category,
        goal=answers.goal,
        funding_model=answers.funding_model,
        starts_at=now,
        ends_at=answers.ends_at,
        tiers=answers.tiers,
    )


def preview_campaign(caller: Caller, answers: DraftAnswers, now: datetime) -> Campaign:
    """The campaign the answers describe, unsaved, to show before it is created."""
    return campaign_from_draft(_campaign_draft(caller, answers, now, slug=""))


async def create_from_chat(
    uows: UnitOfWorkFactory, clock: Clock, caller: Caller, answers: DraftAnswers
) -> Campaign:
    """Store the answers as a draft campaign by the caller, starting now, under a free slug."""
    async with uows() as uow:

        async def taken(slug: str) -> bool:
            return await uow.campaigns.by_slug(slug) is not None

        slug = await slug_for(answers.title, taken)
    return await create_campaign(uows(), _campaign_draft(caller, answers, clock.now(), slug))
