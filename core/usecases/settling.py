"""After a campaign ends: charge, release or refund its pledges, each exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.payments import ChargeResult, OutcomeKind, PaymentOutcome, PaymentRefs
from core.payouts import NO_PAYOUTS, Destination, PayoutTerms
from core.pledges import Pledge, PledgeStatus
from core.ports import Clock, PaymentGateway, UnitOfWorkFactory
from core.usecases.payments import apply_payment_outcome
from core.usecases.payouts import settlement_destination


@dataclass(frozen=True, slots=True)
class Settlement:
    """What settling one campaign did."""

    campaign: Campaign
    charged: int = 0
    declined: int = 0
    released: int = 0
    refunded: int = 0


async def settle_campaign(
    uows: UnitOfWorkFactory,
    clock: Clock,
    gateway: PaymentGateway,
    campaign: Campaign,
    terms: PayoutTerms = NO_PAYOUTS,
) -> Settlement:
    """Charge a funded all-or-nothing campaign's saved cards, release an unfunded one's,
    and refund a cancelled flexible one's payments; safe to run again after a crash."""
    aon = campaign.funding_model is FundingModel.ALL_OR_NOTHING
    if aon and campaign.status is CampaignStatus.SUCCESSFUL:
        return await _charge_all(uows, clock, gateway, campaign, terms)
    if aon and campaign.status in (CampaignStatus.FAILED, CampaignStatus.CANCELLED):
        released = 0
        for pledge in await _pledges(uows, campaign, PledgeStatus.AUTHORIZED):
            await apply_payment_outcome(
                uows(), clock, PaymentOutcome(pledge.id, OutcomeKind.CANCELLED)
            )
            released += 1
        return Settlement(campaign, released=released)
    if not aon and campaign.status is CampaignStatus.CANCELLED:
        paid = await _pledges(uows, campaign, PledgeStatus.PAID)
        for pledge in paid:
            await refund_pledge(uows, clock, gateway, pledge)
        return Settlement(campaign, refunded=len(paid))
    return Settlement(campaign)


async def settle_due(
    uows: UnitOfWorkFactory,
    clock: Clock,
    gateway: PaymentGateway,
    terms: PayoutTerms = NO_PAYOUTS,
) -> Sequence[Settlement]:
    """Settle every ended campaign that still holds pledges to charge, release or refund."""
    async with uows() as uow:
        campaigns = await uow.campaigns.needing_settlement()
    return [await settle_campaign(uows, clock, gateway, campaign, terms) for campaign in campaigns]


async def refund_pledge(
    uows: UnitOfWorkFactory, clock: Clock, gateway: PaymentGateway, pledge: Pledge
) -> None:
    """Refund what is left of a paid pledge and lower the total accordingly."""
    # One key per pledge: running this twice asks the provider once.
    await gateway.refund(pledge, f"backit-pledge-{pledge.id}-refund")
    await apply_payment_outcome(
        uows(),
        clock,
        PaymentOutcome(pledge.id, OutcomeKind.REFUNDED, refunded_total=pledge.amount.amount),
    )


async def _pledges(
    uows: UnitOfWorkFactory, campaign: Campaign, status: PledgeStatus
) -> Sequence[Pledge]:
    async with uows() as uow:
        return await uow.pledges.of_campaign(campaign.id, frozenset({status}))


async def _charge_all(
    uows: UnitOfWorkFactory,
    clock: Clock,
    gateway: PaymentGateway,
    campaign: Campaign,
    terms: PayoutTerms,
) -> Settlement:
    charged = declined = 0
    for pledge in await _pledges(uows, campaign, PledgeStatus.AUTHORIZED):
        if pledge.customer_id is None or pledge.payment_method_id is None:
            # No card was ever saved (a demo backer outside the sandbox, say): nothing to
            # charge, so it fails and the backer, if real, is offered the retry link.
            result = ChargeResult(False, None, "no_saved_card")
        else:
            # The key is per pledge, so a crash and a rerun never charge a card twice.
            key = f"backit-pledge-{pledge.id}-charge"
            destination = await _destination(uows, campaign, terms, pledge)
            result = await gateway.charge_saved_card(pledge, key, destination)
        kind = OutcomeKind.PAID if result.succeeded else OutcomeKind.FAILED
        refs = PaymentRefs(payment_intent_id=result.payment_intent_id)
        await apply_payment_outcome(uows(), clock, PaymentOutcome(pledge.id, kind, refs=refs))
        charged += result.succeeded
        declined += not result.succeeded
    return Settlement(campaign, charged=charged, declined=declined)


async def _destination(
    uows: UnitOfWorkFactory, campaign: Campaign, terms: PayoutTerms, pledge: Pledge
) -> Destination | None:
    """The creator's account a deadline charge pays, recorded on the pledge before asking."""
    async with uows() as uow:
        destination = await settlement_destination(uow, campaign, terms, pledge.amount)
        if destination is not None:
            await uow.pledges.set_destination(
                pledge.id, destination.account_id, destination.fee.amount
            )
            await uow.commit()
    return destination
