"""Starting a pledge: validate it, reserve the reward, and record it as pending."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from core.amounts import amount_between, read_amount
from core.backers import Backer
from core.campaigns import Campaign, CampaignStatus, RewardTier
from core.charges import minimum_charge
from core.errors import (
    CampaignNotFound,
    CampaignNotLaunched,
    CampaignNotLive,
    DomainError,
    InvalidAmount,
    LatePledgesClosed,
    NotOfferedLate,
    SecretLinkInvalid,
    TierClosed,
    TierNotFound,
    TierNotOpenYet,
    TierReserved,
    TierSoldOut,
    WrongCurrency,
)
from core.identity import Caller
from core.money import Money
from core.pledges import Pledge, PledgeStatus, current_pledge
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.usecases.backers import ensure_backer
from core.usecases.browsing import shown_by_id


@dataclass(frozen=True, slots=True)
class PledgeLimits:
    """The largest pledge accepted, in major units, per currency."""

    default_max_major: int = 10_000
    max_major_by_currency: Mapping[str, int] = field(default_factory=dict)

    def maximum(self, currency: str) -> Money:
        """The largest accepted pledge in a currency."""
        major = self.max_major_by_currency.get(currency, self.default_max_major)
        return Money.from_major(str(major), currency)


@dataclass(frozen=True, slots=True)
class PledgeRequest:
    """A person asking to back a campaign, for a tier or a custom amount."""

    caller: Caller
    campaign_id: int
    tier_id: int | None = None
    # None means the tier's price; required when there is no tier.
    amount: Money | None = None
    referral_code: str | None = None
    # Identifies the signed link the pledge started from, so following it twice reuses it.
    link_key: str | None = None


def pledge_amount(
    campaign: Campaign,
    request: PledgeRequest,
    limits: PledgeLimits,
    now: datetime,
    *,
    held_tier: int | None = None,
) -> Money:
    """The amount a request comes to, checked; `held_tier` is a reward the pledge holds a unit
    of already, so none need be left."""
    currency = campaign.goal.currency
    if request.amount is not None and request.amount.currency != currency:
        raise WrongCurrency(currency=currency)
    minimum = price = minimum_charge(currency)
    if request.tier_id is not None:
        tier = campaign.tier(request.tier_id)
        if tier is None:
            raise TierNotFound()
        tier_price = tier.price(late=campaign.late_open(now))
        if tier_price is None:
            raise NotOfferedLate(title=tier.title)
        if not tier.offered(now) and tier.id != held_tier:
            raise refusal(tier, now)
        price = tier_price
        # A tier priced below what the provider can charge (priced before that was checked)
        # is refused at its price rather than charged more than it says.
        minimum = max(tier_price, minimum, key=lambda money: money.amount)
    amount = request.amount if request.amount is not None else price
    maximum = limits.maximum(currency)
    no_amount_given = request.tier_id is None and request.amount is None
    if no_amount_given or not minimum.amount <= amount.amount <= maximum.amount:
        raise InvalidAmount(minimum=minimum, maximum=maximum)
    return amount


def refusal(tier: RewardTier, now: datetime) -> DomainError:
    """Why a tier cannot be pledged for at `now`: not open yet, closed, or nothing left."""
    if tier.opens_at is not None and not tier.has_opened(now):
        return TierNotOpenYet(date=tier.opens_at)
    if tier.closes_at is not None and tier.has_closed(now):
        return TierClosed(date=tier.closes_at)
    return no_unit_left(tier, now)


async def claim_unit(uow: UnitOfWork, campaign_id: int, tier_id: int, now: datetime) -> None:
    """Take a unit of a reward for a pledge made at `now`, or refuse with the reason."""
    # A single conditional update, on stock and window together: a limited tier is never
    # oversold, and no unit is taken at a moment the tier is not open.
    if await uow.tiers.claim(tier_id, now):
        return
    # Read again: the last units went, or the window changed, while this request was on its way.
    latest = await uow.campaigns.get(campaign_id)
    tier = latest.tier(tier_id) if latest is not None else None
    assert tier is not None, "a tier is never deleted from a live campaign"
    raise refusal(tier, now)


def no_unit_left(tier: RewardTier, now: datetime) -> TierSoldOut:
    """The refusal for a tier with nothing left: sold out, or held by others' checkouts."""
    wait = tier.checkout_wait(now)
    if wait is None:
        return TierSoldOut(title=tier.title)
    return TierReserved(title=tier.title, minutes=wait)


def refuse_unless_open(campaign: Campaign, now: datetime) -> None:
    """Refuse a pledge to a campaign taking none now: naming its launch when it is coming
    soon, or when its late period closed."""
    if campaign.accepts_pledges(now):
        return
    if campaign.status is CampaignStatus.COMING_SOON:
        raise CampaignNotLaunched(title=campaign.title, date=campaign.starts_at)
    if campaign.late_until is not None:
        raise LatePledgesClosed(title=campaign.title, date=campaign.late_until)
    raise CampaignNotLive(title=campaign.title)


@dataclass(frozen=True, slots=True)
class PledgeStart:
    """The pledge a request leads to, and whether this request started it."""

    pledge: Pledge
    started: bool


async def start_pledge(
    uow: UnitOfWork, clock: Clock, limits: PledgeLimits, request: PledgeRequest
) -> Pledge:
    """Record a pending pledge and hold its reward unit; the same link reuses its pledge."""
    return (await begin_pledge(uow, clock, limits, request)).pledge


async def begin_pledge(
    uow: UnitOfWork, clock: Clock, limits: PledgeLimits, request: PledgeRequest
) -> PledgeStart:
    """Record a pending pledge and hold its reward unit, or find the pledge holding it already:
    the same link's, or the same person's still at checkout for the same reward."""
    now = clock.now()
    async with uow:
        if request.link_key is not None:
            existing = await uow.pledges.by_link_key(request.link_key)
            if existing is not None:
                return PledgeStart(existing, started=False)
        campaign = await uow.campaigns.get(request.campaign_id)
        if campaign is None:
            raise CampaignNotFound(slug=str(request.campaign_id))
        refuse_unless_open(campaign, now)
        backer = await ensure_backer(uow, request.caller)
        if request.tier_id is not None:
            # One unit of a reward per person at checkout, however many links they follow:
            # their requests take turns here, so each one after the first sees its pledge.
            await uow.backers.hold(backer.id)
            held = await uow.pledges.at_checkout(backer.id, request.tier_id)
            if held is not None:
                return PledgeStart(held, started=False)
        amount = pledge_amount(campaign, request, limits, now)
        referral_code = await _valid_referral(uow, request.referral_code, backer.referral_code)
        # Recorded before the unit is claimed: the same link followed at the same moment in
        # another request waits here for that one to commit, and takes its pledge instead.
        pledge = await uow.pledges.add(
            Pledge(
                id=0,
                backer_id=backer.id,
                campaign_id=campaign.id,
                tier_id=request.tier_id,
                amount=amount,
                status=PledgeStatus.PENDING,
                created_at=now,
                updated_at=now,
                referral_code=referral_code,
                link_key=request.link_key,
                late=campaign.late_open(now),
            )
        )
        if pledge is None:
            assert request.link_key is not None, "only a link key can be taken already"
            # Leaving without commit also gives back anything this attempt wrote.
            existing = await uow.pledges.by_link_key(request.link_key)
            assert existing is not None, "a taken link key belongs to a committed pledge"
            return PledgeStart(existing, started=False)
        if request.tier_id is not None:
            await claim_unit(uow, campaign.id, request.tier_id, now)
        await uow.commit()
    return PledgeStart(pledge, started=True)


@dataclass(frozen=True, slots=True)
class PledgeOffer:
    """A reward (or a custom amount) a person may back right now, and who they are."""

    backer: Backer
    campaign: Campaign
    tier: RewardTier | None
    # Their current pledge to the campaign: a second one is asked about before it is made.
    backed: Pledge | None = None


async def offer_pledge(
    uows: UnitOfWorkFactory,
    clock: Clock,
    caller: Caller,
    campaign_id: int,
    tier_id: int | None,
    secret_code: str | None = None,
) -> PledgeOffer:
    """Check a tap on a reward before a personal pledge link is made for it: a secret reward
    only with the code that revealed it."""
    async with uows() as uow:
        # Nobody pledges to a draft: to all but its creators it is not even there.
        campaign = await shown_by_id(uow, campaign_id, caller.identity, ())
        refuse_unless_open(campaign, clock.now())
        tier = campaign.tier(tier_id) if tier_id is not None else None
        if tier_id is not None and tier is None:
            raise TierNotFound()
        if tier is not None and tier.secret and tier.secret_code != secret_code:
            # Told apart from an unknown code, a tier id would tell which rewards are secret.
            raise SecretLinkInvalid()
        if tier is not None and tier.price(late=campaign.late_open(clock.now())) is None:
            raise NotOfferedLate(title=tier.title)
        backer = await ensure_backer(uow, caller)
        # The person's own pledge at checkout is no reason to refuse: their link leads back to it.
        if (
            tier is not None
            and not tier.offered(clock.now())
            and await uow.pledges.at_checkout(backer.id, tier.id) is None
        ):
            raise refusal(tier, clock.now())
        backed = current_pledge(await uow.pledges.of_backer(backer.id), campaign.id)
        await uow.commit()
    return PledgeOffer(backer, campaign, tier, backed)


def custom_amount(text: str, campaign: Campaign, limits: PledgeLimits) -> Money:
    """Read an amount a person typed ("25", "12,50", "£12.50", "1 000") in the campaign's
    currency, from the provider's minimum charge to the largest pledge."""
    currency = campaign.goal.currency
    typed = read_amount(text, currency, example="25")
    return amount_between(text, typed, minimum_charge(currency), limits.maximum(currency))


async def _valid_referral(uow: UnitOfWork, code: str | None, own_code: str) -> str | None:
    # An unknown or self-referring code is dropped rather than blocking the pledge.
    if code is None or code == own_code:
        return None
    return code if await uow.backers.by_referral_code(code) is not None else None


async def my_pledges(uow: UnitOfWork, caller: Caller) -> Sequence[tuple[Pledge, Campaign]]:
    """A person's pledges, newest first, each with its campaign."""
    async with uow:
        backer = await uow.backers.by_identity(caller.identity)
        if backer is None:
            return []
        result: list[tuple[Pledge, Campaign]] = []
        campaigns: dict[int, Campaign] = {}
        for pledge in await uow.pledges.of_backer(backer.id):
            if pledge.campaign_id not in campaigns:
                found = await uow.campaigns.get(pledge.campaign_id)
                if found is None:
                    continue
                campaigns[pledge.campaign_id] = found
            result.append((pledge, campaigns[pledge.campaign_id]))
    return result
