"""Drafting a campaign in chat: each answer read and checked, then the draft stored."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from babel.dates import get_month_names

from core.amounts import amount_between, quoted, read_amount
from core.campaigns import Campaign, FundingModel
from core.charges import minimum_charge
from core.errors import DomainError
from core.i18n import N_, SUPPORTED_LOCALES
from core.identity import Caller
from core.money import Money, minor_digits
from core.ports import Clock, UnitOfWorkFactory
from core.shipping import NAMED_COUNTRIES
from core.typed_words import plain
from core.usecases.managing import (
    BLURB_MAX,
    DESCRIPTION_MAX,
    MAX_DURATION,
    SLUG_MAX,
    TIER_DESCRIPTION_MAX,
    TITLE_MAX,
    CampaignDraft,
    TierDraft,
    campaign_from_draft,
    check_text,
    create_campaign,
    field_error,
    validate_tier,
)
from core.usecases.reward_limits import DraftedReward, check_early_bird

DEFAULT_CURRENCY = "EUR"
# Far above any real campaign in any currency (a billion rupiah is about 60,000 euros), so
# it only stops typos, and far inside a 64-bit column even for four-decimal currencies.
AMOUNT_MAX_MAJOR = 1_000_000_000
QUANTITY_MAX = 1_000_000
# A date ends the campaign at the close of that day, UTC (it then stops one minute early).
END_OF_DAY = time(23, 59, tzinfo=UTC)
_DAY = timedelta(days=1)

_DAYS = re.compile(r"^\d{1,3}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_QUANTITY = re.compile(r"^\d{1,7}$")
_YEAR_MONTH = re.compile(r"^(?P<year>\d{4})\s*[-/.]\s*(?P<month>\d{1,2})$", re.ASCII)
_MONTH_YEAR = re.compile(r"^(?P<month>\d{1,2})\s*[-/.]\s*(?P<year>\d{4})$", re.ASCII)
_NAMED_MONTH = re.compile(r"^(?P<name>[^\W\d_]+\.?),?\s*(?P<year>\d{4})$")
# A delivery promised further ahead than this is a typo, not a plan.
DELIVERY_MONTHS_MAX = 10 * 12
# The words for a reward with nothing to send, and for one sent anywhere (accents dropped).
_DIGITAL = frozenset({"digital", "numerique", "none", "aucun", "aucune", "rien"})
_WORLDWIDE = frozenset({"worldwide", "world", "monde", "monde entier", "partout", "tous pays"})

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
    tiers: tuple[DraftedReward, ...] = ()
    description: str = ""


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


def draft_description(text: str) -> str:
    """The longer story, its paragraphs kept; empty when the creator has none to tell."""
    description = text.strip()
    check_text(description, N_("Description"), DESCRIPTION_MAX, required=False)
    return description


def _most(currency: str) -> Money:
    return Money(AMOUNT_MAX_MAJOR * 10 ** minor_digits(currency), currency)


def draft_goal(text: str) -> Money:
    """The goal from "5000 EUR", "£3,000", "3 000,50 €" or "5000" (euros)."""
    goal = read_amount(text, DEFAULT_CURRENCY, any_currency=True)
    return amount_between(text, goal, Money(1, goal.currency), _most(goal.currency))


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
    return draft_reward(parts[0], parts[1], parts[2] if len(parts) == 3 else "", currency)


def draft_reward(title: str, price: str, quantity: str, currency: str) -> TierDraft:
    """A reward from its title, price and, when only so many are offered, quantity."""
    # A reward is paid in one charge: it cannot cost less than the provider's minimum charge.
    typed = read_amount(price, currency)
    amount = amount_between(price, typed, minimum_charge(currency), _most(currency))
    limit = None
    if quantity.strip():
        if not _QUANTITY.match(quantity.strip()) or int(quantity) > QUANTITY_MAX:
            raise field_error(N_("Reward quantity"), _QUANTITY_FORMAT)
        limit = int(quantity)
    tier = TierDraft(_one_line(title), "", amount.amount, quantity_limit=limit)
    validate_tier(tier)
    return tier


def draft_reward_description(text: str) -> str:
    """What a backer of the reward gets, its paragraphs kept; may be empty."""
    description = text.strip()
    check_text(description, N_("Reward description"), TIER_DESCRIPTION_MAX, required=False)
    return description


class UnreadableMonth(DomainError):
    """An estimated delivery that is not a month and a year."""

    template = N_("“{text}” is not a month: write it like 2027-03 or March 2027.")


class MonthInThePast(DomainError):
    """An estimated delivery before the current month."""

    template = N_("“{text}” is in the past: the delivery month must be {first} or later.")


class MonthTooFar(DomainError):
    """An estimated delivery further ahead than anyone can promise."""

    template = N_("“{text}” is too far ahead: the delivery month must be {last} at the latest.")


class UnreadableShipping(DomainError):
    """A shipping answer that is neither digital, worldwide, nor country codes."""

    template = N_(
        "“{text}” is not a shipping answer: write “digital”, “worldwide”, "
        "or two-letter country codes like FR, BE, CH."
    )


@cache
def _month_names() -> dict[str, int]:
    """Every way English and French write a month ("march", "mar", "mars", "fevr", "aout")."""
    names: dict[str, int] = {}
    for locale in SUPPORTED_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    names[plain(name)] = number
    return names


def _month(text: str) -> tuple[int, int] | None:
    """(year, month) from "2027-03", "2027/3", "03/2027", "March 2027", "mars 2027"."""
    if found := _YEAR_MONTH.match(text):
        return int(found["year"]), int(found["month"])
    if found := _MONTH_YEAR.match(text):
        return int(found["year"]), int(found["month"])
    if found := _NAMED_MONTH.match(text):
        number = _month_names().get(plain(found["name"]))
        return (int(found["year"]), number) if number is not None else None
    return None


def _month_index(day: date) -> int:
    """Months since year 0, to compare and count months."""
    return day.year * 12 + day.month - 1


def _iso_month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def draft_delivery(text: str, now: datetime) -> date:
    """The estimated delivery month (its first day): this month or later, within ten years."""
    found = _month(" ".join(text.split()))
    if found is None or not 1 <= found[1] <= 12:
        raise UnreadableMonth(text=quoted(text))
    first = _month_index(now.date())
    last = first + DELIVERY_MONTHS_MAX
    typed = found[0] * 12 + found[1] - 1
    if typed < first:
        raise MonthInThePast(text=quoted(text), first=_iso_month(first))
    if typed > last:
        raise MonthTooFar(text=quoted(text), last=_iso_month(last))
    return date(found[0], found[1], 1)


def draft_shipping(text: str) -> tuple[bool, tuple[str, ...]]:
    """Whether the reward ships, and where: ("digital") nowhere, ("worldwide") anywhere, the
    empty list, or to the countries listed by their ISO codes ("FR, BE CH")."""
    word = plain(text)
    if word in _DIGITAL:
        return False, ()
    if word in _WORLDWIDE:
        return True, ()
    codes = [code.upper() for code in re.split(r"[\s,;]+", text.strip()) if code]
    if not codes or any(code not in NAMED_COUNTRIES for code in codes):
        raise UnreadableShipping(text=quoted(text))
    return True, tuple(dict.fromkeys(codes))


def _slug_base(title: str) -> str:
    # "Ada’s café" reads best as "adas-cafe": apostrophes go, accents lose their marks.
    unquoted = re.sub(r"['’]", "", title)
    bare = unicodedata.normalize("NFKD", unquoted).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", bare).strip("-") or "campaign"


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


def _start(ends_at: datetime, now: datetime) -> datetime:
    """A chat draft's start: now, or up to an hour before when that makes its run whole days.
    A run typed in days counts from the answer, minutes before the draft is made; without this
    a "30" would run 29 days and some hours, and say so once it is approved."""
    run = ends_at - now
    whole = timedelta(days=-(-run // _DAY))
    return ends_at - whole if whole - run < timedelta(hours=1) else now


def _campaign_draft(
    caller: Caller, answers: DraftAnswers, now: datetime, slug: str
) -> CampaignDraft:
    starts_at = _start(answers.ends_at, now)
    return CampaignDraft(
        slug=slug,
        title=answers.title,
        blurb=answers.blurb,
        description=answers.description,
        # Telegram allows longer names than a creator name may be; the start is enough.
        creator_name=caller.display_name.strip()[:TITLE_MAX],
        creator_identities=(caller.identity,),
        category=answers.category,
        goal=answers.goal,
        funding_model=answers.funding_model,
        starts_at=starts_at,
        ends_at=answers.ends_at,
        # An early bird's window counts from the start, and moves with it when the launch does.
        tiers=tuple(reward.launched(starts_at) for reward in answers.tiers),
    )


def preview_campaign(caller: Caller, answers: DraftAnswers, now: datetime) -> Campaign:
    """The campaign the answers describe, unsaved, to show before it is created."""
    return campaign_from_draft(_campaign_draft(caller, answers, now, slug=""))


async def create_from_chat(
    uows: UnitOfWorkFactory, clock: Clock, caller: Caller, answers: DraftAnswers
) -> Campaign:
    """Store the answers as a draft campaign by the caller, starting now, under a free slug;
    an early bird that would now outlast the run is refused by name."""
    now = clock.now()
    for reward in answers.tiers:
        check_early_bird(reward, now, answers.ends_at)
    async with uows() as uow:

        async def taken(slug: str) -> bool:
            return await uow.campaigns.by_slug(slug) is not None

        slug = await slug_for(answers.title, taken)
    return await create_campaign(uows(), _campaign_draft(caller, answers, now, slug))
