"""Raising a paid flexible pledge: the difference paid as a top-up, applied once it is paid."""

from __future__ import annotations

from dataclasses import dataclass

from core.backers import Backer
from core.campaigns import Campaign, FundingModel
from core.errors import CannotChange
from core.i18n import N_, LazyText
from core.identity import Caller
from core.money import Money
from core.pledge_links import InvalidLink, TopUpLink
from core.pledges import Pledge, PledgeStatus, needs_top_up
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.usecases.changing import ChangeRequest, new_amount
from core.usecases.pledging import PledgeLimits, claim_unit


@dataclass(frozen=True, slots=True)
class TopUpStart:
    """The pledge a top-up link raises, and its top-up waiting to be paid (None: nothing to pay,
    the pledge being so already)."""

    pledge: Pledge
    campaign: Campaign
    backer: Backer
    top_up: Pledge | None
    # Whether this request made the top-up (only it gives the top-up up if its page fails).
    started: bool = False


async def start_top_up(
    uows: UnitOfWorkFactory, clock: Clock, limits: PledgeLimits, link: TopUpLink, link_key: str
) -> TopUpStart:
    """Record the top-up a link asks for, holding its new reward's unit, or find the one
    waiting: however often the link is followed, a pledge has one top-up at checkout."""
    now = clock.now()
    async with uows() as uow:
        # Held: requests for the same pledge take turns here, each seeing the one before.
        held = await uow.pledges.hold(link.pledge_id)
        if held is None or held[2] is not FundingModel.FLEXIBLE or held[0].tops_up is not None:
            raise InvalidLink()
        pledge, backer, _ = held
        campaign = await uow.campaigns.get(pledge.campaign_id)
        assert campaign is not None, "a pledge's campaign is never deleted"
        waiting = await _waiting(uow, pledge.id, link_key)
        if waiting is not None:
            return TopUpStart(pledge, campaign, backer, waiting)
        caller = Caller(backer.identity, backer.display_name, backer.locale)
        currency = campaign.goal.currency
        asked = Money(link.amount, currency) if link.amount is not None else None
        amount = new_amount(
            pledge, campaign, ChangeRequest(caller, pledge.id, link.tier_id, asked), limits, now
        )
        if amount is None or not needs_top_up(pledge, amount.amount):
            # Paid already (the link followed again), or no longer a way up.
            return TopUpStart(pledge, campaign, backer, None)
        top_up = await uow.pledges.add(
            Pledge(
                id=0,
                backer_id=pledge.backer_id,
                campaign_id=pledge.campaign_id,
                # The top-up holds the new reward's unit while at checkout; the pledge takes
                # it once paid.
                tier_id=link.tier_id if link.tier_id != pledge.tier_id else None,
                amount=Money(amount.amount - pledge.backed_amount, currency),
                status=PledgeStatus.PENDING,
                created_at=now,
                updated_at=now,
                link_key=link_key,
                tops_up=pledge.id,
            )
        )
        assert top_up is not None, "the pledge's hold admits one request with a link at a time"
        if top_up.tier_id is not None:
            await claim_unit(uow, campaign.id, top_up.tier_id, now)
        await uow.commit()
    return TopUpStart(pledge, campaign, backer, top_up, started=True)


async def _waiting(uow: UnitOfWork, pledge_id: int, link_key: str) -> Pledge | None:
    """The top-up this link started, else the one another link left at checkout: one change
    at a time is paid for."""
    top_ups = await uow.pledges.top_ups(pledge_id)
    for top_up in top_ups:
        if top_up.link_key == link_key:
            return top_up
    for top_up in top_ups:
        if top_up.status is PledgeStatus.PENDING:
            raise CannotChange(
                reason=LazyText(
                    N_("another change waits for its payment: pay it, or leave its page first.")
                )
            )
    return None
