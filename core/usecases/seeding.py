"""Seeding: demo backing for a catalog, through the same pledge and payment paths as real money."""

from __future__ import annotations

from core.backers import Backer
from core.campaigns import Campaign, FundingModel
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.payments import OutcomeKind, PaymentOutcome
from core.ports import Clock, UnitOfWorkFactory
from core.usecases.backers import new_referral_code
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge


async def seed_backers(
    uows: UnitOfWorkFactory,
    clock: Clock,
    limits: PledgeLimits,
    campaign: Campaign,
    count: int,
    tier_id: int | None,
    amount: int | None,
) -> None:
    """Back a campaign with `count` demo backers, who are never sent a message."""
    kind = (
        OutcomeKind.AUTHORIZED
        if campaign.funding_model is FundingModel.ALL_OR_NOTHING
        else OutcomeKind.PAID
    )
    async with uows() as uow:
        # Numbered from the stored count, so seeding the same campaign twice never collides.
        stored = await uow.campaigns.get(campaign.id)
        first = stored.backers_count if stored else 0
        backers = []
        for number in range(first + 1, first + count + 1):
            # A non-numeric id can never be a real platform account.
            identity = Identity(Platform.TELEGRAM, f"demo-{campaign.slug}-{number}")
            backers.append(
                await uow.backers.add(
                    Backer(
                        0,
                        identity,
                        f"Demo backer {number}",
                        "en",
                        new_referral_code(),
                        reachable=False,
                    )
                )
            )
        await uow.commit()
    for backer in backers:
        pledge = await start_pledge(
            uows(),
            clock,
            limits,
            PledgeRequest(
                caller=Caller(backer.identity, backer.display_name, backer.locale),
                campaign_id=campaign.id,
                tier_id=tier_id,
                amount=Money(amount, campaign.goal.currency) if amount is not None else None,
            ),
        )
        await apply_payment_outcome(uows(), clock, PaymentOutcome(pledge.id, kind))
