"""Creating and publishing campaigns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core.campaigns import (
    PUBLISHED,
    UNPUBLISHED,
    Campaign,
    CampaignStatus,
    FundingModel,
    RewardTier,
)
from core.categories import CATEGORIES
from core.errors import CampaignNotFound, InvalidField, TextTooLong
from core.i18n import N_, LazyText
from core.identity import Identity
from core.money import Money
from core.payouts import NO_PAYOUTS, PayoutTerms
from core.ports import Clock, UnitOfWork
from core.secret_codes import new_secret_code
from core.usecases.payouts import payout_account_for

SLUG_MAX = 40
SLUG = re.compile(rf"^[a-z0-9](?:[a-z0-9-]{{0,{SLUG_MAX - 2}}}[a-z0-9])?$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
TITLE_MAX = 80
BLURB_MAX = 200
DESCRIPTION_MAX = 20_000
TIER_TITLE_MAX = 60
TIER_DESCRIPTION_MAX = 1_000
MAX_TIERS = 20
MAX_DURATION = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class TierDraft:
    """A reward tier as a creator describes it."""

    title: str
    description: str
    amount: int
    quantity_limit: int | None = None
    estimated_delivery: date | None = None
    ships: bool = False
    ship_countries: tuple[str, ...] = ()
    # An early bird's window (aware UTC), within the campaign's run; None: open all along.
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    # Listed nowhere, offered only through a link its creator shares: given a code when stored.
    secret: bool = False


@dataclass(frozen=True, slots=True)
class CampaignDraft:
    """A campaign as a creator describes it, before it is checked and stored."""

    slug: str
    title: str
    blurb: str
    description: str
    creator_name: str
    creator_identities: tuple[Identity, ...]
    category: str
    goal: Money
    funding_model: FundingModel
    starts_at: datetime
    ends_at: datetime
    image_url: str | None = None
    staff_pick: bool = False
    stretch_goals: tuple[int, ...] = ()
    tiers: tuple[TierDraft, ...] = field(default_factory=tuple)


def field_error(name: str, reason: str) -> InvalidField:
    """A refusal naming the field and why, both translated when shown."""
    return InvalidField(field=LazyText(name), reason=LazyText(reason))


def check_text(value: str, name: str, limit: int, *, required: bool = True) -> None:
    """Refuse text that is blank (when required) or longer than its limit."""
    if required and not value.strip():
        raise field_error(name, N_("it is required"))
    if len(value) > limit:
        raise TextTooLong(field=LazyText(name), limit=limit)


def validate_draft(draft: CampaignDraft) -> None:
    """Refuse a draft with any missing, malformed or inconsistent field."""
    if not SLUG.match(draft.slug):
        raise field_error(N_("Slug"), N_("use 1 to 40 lowercase letters, digits and dashes"))
    check_text(draft.title, N_("Title"), TITLE_MAX)
    check_text(draft.blurb, N_("Blurb"), BLURB_MAX)
    check_text(draft.description, N_("Description"), DESCRIPTION_MAX, required=False)
    check_text(draft.creator_name, N_("Creator"), TITLE_MAX)
    if draft.category not in CATEGORIES:
        raise field_error(N_("Category"), N_("not a known category"))
    if draft.goal.amount <= 0:
        raise field_error(N_("Goal"), N_("it must be more than zero"))
    if not all(_in_utc(moment) for moment in (draft.starts_at, draft.ends_at)):
        raise field_error(N_("Dates"), N_("they must be in UTC"))
    if not timedelta(0) < draft.ends_at - draft.starts_at <= MAX_DURATION:
        raise field_error(N_("End"), N_("it must be after the start, and at most 90 days later"))
    if draft.image_url is not None and not draft.image_url.startswith("https://"):
        raise field_error(N_("Image"), N_("it must be an https:// address"))
    stretch = draft.stretch_goals
    if list(stretch) != sorted(set(stretch)) or any(s <= draft.goal.amount for s in stretch):
        raise field_error(N_("Stretch goals"), N_("they must rise, each above the goal"))
    if len(draft.tiers) > MAX_TIERS:
        raise field_error(N_("Rewards"), N_("there are too many"))
    for tier in draft.tiers:
        validate_tier(tier)
        validate_window(tier, draft.starts_at, draft.ends_at)


def _in_utc(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


def validate_window(tier: TierDraft, starts_at: datetime, ends_at: datetime) -> None:
    """Refuse a reward window outside the campaign's run, or closing before it opens."""
    moments = [moment for moment in (tier.opens_at, tier.closes_at) if moment is not None]
    if not all(_in_utc(moment) for moment in moments):
        raise field_error(N_("Reward dates"), N_("they must be in UTC"))
    # Outside the run a window means nothing: nobody pledges before the start or after the end.
    opens = tier.opens_at or starts_at
    closes = tier.closes_at or ends_at
    if not starts_at <= opens < closes <= ends_at:
        raise field_error(
            N_("Reward dates"),
            N_("it must open before it closes, within the campaign's run"),
        )


def validate_tier(tier: TierDraft) -> None:
    """Refuse a reward tier with a missing or malformed field."""
    check_text(tier.title, N_("Reward title"), TIER_TITLE_MAX)
    check_text(tier.description, N_("Reward description"), TIER_DESCRIPTION_MAX, required=False)
    if tier.amount <= 0:
        raise field_error(N_("Reward amount"), N_("it must be more than zero"))
    if tier.quantity_limit is not None and tier.quantity_limit < 1:
        raise field_error(N_("Reward quantity"), N_("it must be at least 1"))
    if not all(COUNTRY.match(code) for code in tier.ship_countries):
        raise field_error(N_("Shipping countries"), N_("use two-letter country codes"))


def campaign_from_draft(draft: CampaignDraft) -> Campaign:
    """The draft as an unsaved campaign (id 0), its text trimmed and tiers in the goal currency."""
    currency = draft.goal.currency
    return Campaign(
        id=0,
        slug=draft.slug,
        title=draft.title.strip(),
        blurb=draft.blurb.strip(),
        description=draft.description.strip(),
        creator_name=draft.creator_name.strip(),
        creator_identities=draft.creator_identities,
        category=draft.category,
        goal=draft.goal,
        funding_model=draft.funding_model,
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        image_url=draft.image_url,
        staff_pick=draft.staff_pick,
        stretch_goals=draft.stretch_goals,
        tiers=[
            RewardTier(
                id=0,
                campaign_id=0,
                title=tier.title.strip(),
                description=tier.description.strip(),
                amount=Money(tier.amount, currency),
                quantity_limit=tier.quantity_limit,
                estimated_delivery=tier.estimated_delivery,
                ships=tier.ships,
                ship_countries=tier.ship_countries,
                position=position,
                opens_at=tier.opens_at,
                closes_at=tier.closes_at,
                secret_code=new_secret_code() if tier.secret else None,
            )
            for position, tier in enumerate(draft.tiers)
        ],
    )


async def create_campaign(uow: UnitOfWork, draft: CampaignDraft) -> Campaign:
    """Check a draft and store it as a draft campaign."""
    validate_draft(draft)
    async with uow:
        if await uow.campaigns.by_slug(draft.slug) is not None:
            raise field_error(N_("Slug"), N_("it is taken"))
        campaign = await uow.campaigns.add(campaign_from_draft(draft))
        await uow.commit()
    return campaign


async def publish_campaign(
    uow: UnitOfWork, clock: Clock, slug: str, terms: PayoutTerms = NO_PAYOUTS
) -> Campaign:
    """Publish a draft, or one in review: live at once, or coming soon until its start time;
    with creators paid through their own accounts, only once the creator's can take payments."""
    async with uow:
        campaign = await uow.campaigns.by_slug(slug)
        if campaign is None:
            raise CampaignNotFound(slug=slug)
        if campaign.status in PUBLISHED:
            return campaign
        if campaign.status not in UNPUBLISHED:
            raise field_error(N_("Status"), N_("only a draft can be published"))
        status = await publish_in(uow, campaign, clock.now(), terms)
        if status is None:
            # Someone else published or cancelled it meanwhile: report what it is now.
            current = await uow.campaigns.by_slug(slug)
            if current is None or current.status not in PUBLISHED:
                raise field_error(N_("Status"), N_("only a draft can be published"))
            return current
        await uow.commit()
    campaign.status = status
    return campaign


async def publish_in(
    uow: UnitOfWork, campaign: Campaign, now: datetime, terms: PayoutTerms
) -> CampaignStatus | None:
    """In an open unit of work, publish a campaign not yet published: refused once its end has
    passed, or (creators paid through their own accounts) while the creator's account cannot
    take payments; live, or coming soon until its start. None when someone else changed its
    status meanwhile: nothing is written then."""
    if campaign.ends_at <= now:
        raise field_error(N_("End"), N_("it has already passed"))
    await payout_account_for(uow, campaign, terms)
    status = CampaignStatus.COMING_SOON if campaign.starts_at > now else CampaignStatus.LIVE
    if not await uow.campaigns.set_status(campaign.id, campaign.status, status):
        return None
    return status
