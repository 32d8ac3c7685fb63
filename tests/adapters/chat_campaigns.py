"""Live campaigns for the chat bots to show, created, published and backed through core."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta

from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.identity import Caller, Identity
from core.money import Money
from core.payments import OutcomeKind, PaymentOutcome
from core.pledges import Pledge
from core.ports import Clock, UnitOfWorkFactory
from core.updates import CreatorUpdate, UpdateAudience
from core.usecases.browsing import campaign_by_slug
from core.usecases.managing import CampaignDraft, TierDraft, create_campaign, publish_campaign
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from core.usecases.seeding import seed_backers

TIERS = (TierDraft("Early bird", "One lamp, cheaper", 5_000, 100), TierDraft("Lamp", "", 7_500))


async def live_campaign(
    uows: UnitOfWorkFactory,
    clock: Clock,
    slug: str = "lamp",
    *,
    creators: tuple[Identity, ...],
    title: str = "The Reading Lamp",
    blurb: str = "A warm lamp for long nights.",
    description: str = "",
    image_url: str | None = None,
    tiers: tuple[TierDraft, ...] = TIERS,
    goal: int = 100_000,
    started: timedelta = timedelta(days=1),
    ends_in: timedelta = timedelta(days=20),
    staff_pick: bool = False,
    backers: int = 0,
    category: str = "design",
    funding_model: FundingModel = FundingModel.FLEXIBLE,
) -> Campaign:
    """A live campaign in euros by Ada, with `backers` demo backers of €10."""
    now = clock.now()
    draft = CampaignDraft(
        slug=slug,
        title=title,
        blurb=blurb,
        description=description,
        creator_name="Ada",
        creator_identities=creators,
        category=category,
        goal=Money(goal, "EUR"),
        funding_model=funding_model,
        starts_at=now - started,
        ends_at=now + ends_in,
        image_url=image_url,
        staff_pick=staff_pick,
        tiers=tiers,
    )
    await create_campaign(uows(), draft)
    campaign = await publish_campaign(uows(), clock, slug)
    if backers:
        await seed_backers(uows, clock, PledgeLimits(), campaign, backers, None, 1_000)
    return await campaign_by_slug(uows(), slug)


async def paid_pledge(
    uows: UnitOfWorkFactory,
    clock: Clock,
    campaign: Campaign,
    caller: Caller,
    amount: int = 1_000,
    referral_code: str | None = None,
    tier_id: int | None = None,
) -> Pledge:
    """A pledge of a custom amount (or for a reward, at its price), paid as if the provider
    had confirmed it."""
    money = None if tier_id is not None else Money(amount, campaign.goal.currency)
    request = PledgeRequest(caller, campaign.id, tier_id, money, referral_code)
    pledge = await start_pledge(uows(), clock, PledgeLimits(), request)
    await apply_payment_outcome(uows(), clock, PaymentOutcome(pledge.id, OutcomeKind.PAID))
    return pledge


async def back_to_draft(uows: UnitOfWorkFactory, campaign: Campaign) -> None:
    """Turn a live campaign back into a draft, as it was before its creator published it."""
    async with uows() as uow:
        assert await uow.campaigns.set_status(
            campaign.id, CampaignStatus.LIVE, CampaignStatus.DRAFT
        )
        await uow.commit()


async def past_updates(
    uows: UnitOfWorkFactory,
    clock: Clock,
    campaign: Campaign,
    texts: Sequence[str],
    *,
    backers_only: Collection[int] = (),
) -> None:
    """Updates posted an hour apart, the last of `texts` the newest; those whose index is in
    `backers_only` for backers alone."""
    async with uows() as uow:
        for index, text in enumerate(texts):
            audience = UpdateAudience.BACKERS if index in backers_only else UpdateAudience.EVERYONE
            at = clock.now() - timedelta(hours=len(texts) - index)
            author = campaign.creator_identities[0]
            await uow.updates.add(CreatorUpdate(0, campaign.id, author, text, audience, at))
        await uow.commit()


async def reward_backed(
    uows: UnitOfWorkFactory,
    clock: Clock,
    campaign: Campaign,
    caller: Caller,
    tier: int,
    outcome: OutcomeKind = OutcomeKind.AUTHORIZED,
) -> Pledge:
    """A pledge for one of a campaign's rewards, its card saved for the deadline (or paid)."""
    request = PledgeRequest(caller, campaign.id, campaign.tiers[tier].id)
    pledge = await start_pledge(uows(), clock, PledgeLimits(), request)
    await apply_payment_outcome(uows(), clock, PaymentOutcome(pledge.id, outcome))
    return pledge
