"""Live campaigns for the Discord bot to show, created, published and backed through core."""

from __future__ import annotations

from datetime import timedelta

from core.campaigns import Campaign, FundingModel
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.payments import OutcomeKind, PaymentOutcome
from core.pledges import Pledge
from core.ports import Clock, UnitOfWorkFactory
from core.usecases.browsing import campaign_detail
from core.usecases.managing import CampaignDraft, TierDraft, create_campaign, publish_campaign
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge

# Ada's Discord account: she created the campaigns below.
CREATOR = Identity(Platform.DISCORD, "700000000000000007")
TIERS = (TierDraft("Early bird", "One lamp, cheaper", 5_000, 100), TierDraft("Lamp", "", 7_500))


async def live_campaign(
    uows: UnitOfWorkFactory,
    clock: Clock,
    slug: str = "lamp",
    *,
    title: str = "The Reading Lamp",
    blurb: str = "A warm lamp for long nights.",
    description: str = "",
    image_url: str | None = None,
    tiers: tuple[TierDraft, ...] = TIERS,
    creators: tuple[Identity, ...] = (CREATOR,),
    category: str = "design",
    started: timedelta = timedelta(days=1),
    ends_in: timedelta = timedelta(days=20),
) -> Campaign:
    """A live campaign in euros with a €1,000 goal, by Ada unless `creators` says otherwise."""
    now = clock.now()
    draft = CampaignDraft(
        slug=slug,
        title=title,
        blurb=blurb,
        description=description,
        creator_name="Ada",
        creator_identities=creators,
        category=category,
        goal=Money(100_000, "EUR"),
        funding_model=FundingModel.FLEXIBLE,
        starts_at=now - started,
        ends_at=now + ends_in,
        image_url=image_url,
        tiers=tiers,
    )
    await create_campaign(uows(), draft)
    await publish_campaign(uows(), clock, slug)
    return (await campaign_detail(uows(), slug, None)).campaign


async def paid_pledge(
    uows: UnitOfWorkFactory, clock: Clock, campaign: Campaign, caller: Caller, amount: int
) -> Pledge:
    """A pledge of a custom amount, paid as if the provider had confirmed it."""
    request = PledgeRequest(caller, campaign.id, None, Money(amount, campaign.goal.currency))
    pledge = await start_pledge(uows(), clock, PledgeLimits(), request)
    await apply_payment_outcome(uows(), clock, PaymentOutcome(pledge.id, OutcomeKind.PAID))
    return pledge
