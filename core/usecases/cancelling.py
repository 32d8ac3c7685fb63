"""Cancelling: a backer takes back a pledge, or a creator calls a campaign off."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from core import notifications
from core.campaigns import UNDERWAY, Campaign, CampaignStatus
from core.errors import CampaignNotFound, CannotCancel, NotAllowed, PledgeNotFound
from core.i18n import N_, LazyText
from core.identity import Caller, Identity
from core.outbox import Audience
from core.payments import OutcomeKind, PaymentOutcome
from core.pledges import Pledge, PledgeStatus
from core.ports import Clock, PaymentGateway, UnitOfWorkFactory
from core.usecases.payments import apply_payment_outcome
from core.usecases.settling import Settlement, refund_pledge, settle_campaign

# In a campaign's last day, a backer may not pull it back under its goal.
FINAL_STRETCH = timedelta(hours=24)


def _refusal(pledge: Pledge, campaign: Campaign, clock: Clock) -> CannotCancel | None:
    now = clock.now()
    if not campaign.is_open(now):
        return CannotCancel(reason=LazyText(N_("the campaign has ended.")))
    if pledge.status not in (PledgeStatus.PENDING, PledgeStatus.AUTHORIZED, PledgeStatus.PAID):
        return CannotCancel(reason=LazyText(N_("it is no longer active.")))
    if pledge.withheld:
        # The provider refunds no charge its bank is disputing: the dispute decides.
        return CannotCancel(reason=LazyText(N_("your bank is handling a dispute about it.")))
    funded_now = campaign.raised >= campaign.goal.amount
    funded_after = campaign.raised - pledge.backed_amount >= campaign.goal.amount
    if campaign.ends_at - now < FINAL_STRETCH and funded_now and not funded_after:
        return CannotCancel(
            reason=LazyText(N_("in its last day, the campaign would fall below its goal."))
        )
    return None


async def pledge_to_cancel(
    uows: UnitOfWorkFactory, clock: Clock, caller: Caller, pledge_id: int
) -> tuple[Pledge, Campaign]:
    """One of the caller's pledges and its campaign, if the rules still let them cancel it."""
    async with uows() as uow:
        backer = await uow.backers.by_identity(caller.identity)
        pledge = await uow.pledges.get(pledge_id)
        # A top-up is part of its pledge, cancelled with it.
        if (
            backer is None
            or pledge is None
            or pledge.backer_id != backer.id
            or pledge.tops_up is not None
        ):
            raise PledgeNotFound()
        campaign = await uow.campaigns.get(pledge.campaign_id)
    assert campaign is not None, "a pledge's campaign is never deleted"
    refusal = _refusal(pledge, campaign, clock)
    if refusal is not None:
        raise refusal
    return pledge, campaign


async def cancel_pledge(
    uows: UnitOfWorkFactory, clock: Clock, gateway: PaymentGateway, caller: Caller, pledge_id: int
) -> Pledge:
    """Cancel one of the caller's pledges: refunded if paid (with its top-ups), released if only
    authorized."""
    pledge, _ = await pledge_to_cancel(uows, clock, caller, pledge_id)
    async with uows() as uow:
        top_ups = await uow.pledges.top_ups(pledge.id)
    for top_up in top_ups:
        if top_up.status in (PledgeStatus.PENDING, PledgeStatus.PAID):
            await _take_back(uows, clock, gateway, top_up)
    await _take_back(uows, clock, gateway, pledge)
    async with uows() as uow:
        cancelled = await uow.pledges.get(pledge.id)
    assert cancelled is not None
    return cancelled


async def _take_back(
    uows: UnitOfWorkFactory, clock: Clock, gateway: PaymentGateway, pledge: Pledge
) -> None:
    """Refund a paid pledge, release one only authorized, close one still at checkout."""
    if pledge.status is PledgeStatus.PAID:
        await refund_pledge(uows, clock, gateway, pledge)
    else:
        if pledge.checkout_session_id is not None and pledge.status is PledgeStatus.PENDING:
            await gateway.expire_checkout(pledge.checkout_session_id)
        await apply_payment_outcome(uows(), clock, PaymentOutcome(pledge.id, OutcomeKind.CANCELLED))


async def cancel_campaign(
    uows: UnitOfWorkFactory,
    clock: Clock,
    gateway: PaymentGateway,
    operators: Collection[Identity],
    actor: Identity | None,
    slug: str,
) -> Settlement:
    """Call a campaign off and settle it: nobody is charged, flexible payments are refunded.

    `actor` is None for the operator's own command line, which needs no platform identity.
    """
    now = clock.now()
    async with uows() as uow:
        campaign = await uow.campaigns.by_slug(slug)
        if campaign is None:
            raise CampaignNotFound(slug=slug)
        if actor is not None and not campaign.is_creator(actor) and actor not in operators:
            raise NotAllowed()
        if campaign.status not in UNDERWAY:
            raise CannotCancel(reason=LazyText(N_("the campaign has ended.")))
        if not await uow.campaigns.set_status(
            campaign.id, campaign.status, CampaignStatus.CANCELLED
        ):
            raise CannotCancel(reason=LazyText(N_("the campaign has ended.")))
        campaign.status = CampaignStatus.CANCELLED
        await uow.outbox.enqueue_audience(
            campaign.id,
            Audience.FOLLOWERS_AND_BACKERS,
            notifications.campaign_ended(campaign),
            now,
            include_communities=True,
        )
        await uow.commit()
    return await settle_campaign(uows, clock, gateway, campaign)
