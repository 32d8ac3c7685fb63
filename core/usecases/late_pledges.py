"""Late pledges: a campaign that succeeded taking pledges after its deadline, for a while."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import timedelta

from core.campaigns import Campaign, CampaignStatus
from core.charges import minimum_charge
from core.errors import InvalidAmount, InvalidField, TierNotFound, WrongCurrency
from core.i18n import N_
from core.identity import Caller, Identity
from core.money import Money
from core.ports import Clock, UnitOfWorkFactory
from core.usecases.ambassadors import managed_campaign
from core.usecases.managing import field_error
from core.usecases.pledging import PledgeLimits

LATE_DAYS_MAX = 90


def late_days(text: str) -> int:
    """The late period a creator typed: a whole number of days from 1 to 90."""
    typed = text.strip()
    days = int(typed) if typed.isascii() and typed.isdigit() and len(typed) <= 3 else 0
    _check_days(days)
    return days


def _check_days(days: int) -> None:
    if not 1 <= days <= LATE_DAYS_MAX:
        raise field_error(N_("Late period"), N_("send a whole number of days from 1 to 90"))


async def late_campaign(
    uows: UnitOfWorkFactory, operators: Collection[Identity], caller: Caller, campaign_id: int
) -> Campaign:
    """The campaign a creator (or an operator) is about to open to late pledges, checked."""
    async with uows(read_only=True) as uow:
        campaign = await managed_campaign(uow, operators, caller, campaign_id)
    _check_successful(campaign)
    return campaign


def _check_successful(campaign: Campaign) -> None:
    if campaign.status is not CampaignStatus.SUCCESSFUL:
        raise _not_successful()


def _not_successful() -> InvalidField:
    return field_error(N_("Late pledges"), N_("only a campaign that reached its goal takes them"))


async def open_late_pledges(
    uows: UnitOfWorkFactory,
    clock: Clock,
    limits: PledgeLimits,
    operators: Collection[Identity],
    caller: Caller,
    campaign_id: int,
    days: int,
    prices: Mapping[int, Money],
) -> Campaign:
    """Take late pledges for `days` from now, at a late price per reward (the others not
    offered late); opening again replaces the period and the prices."""
    _check_days(days)
    if not prices:
        raise field_error(N_("Late prices"), N_("give at least one reward a late price"))
    async with uows() as uow:
        campaign = await managed_campaign(uow, operators, caller, campaign_id)
        _check_successful(campaign)
        for tier_id, price in prices.items():
            _check_price(campaign, tier_id, price, limits)
        # To the minute, as cards and refusals name it.
        late_until = clock.now().replace(second=0, microsecond=0) + timedelta(days=days)
        amounts = {tier_id: price.amount for tier_id, price in prices.items()}
        if not await uow.campaigns.open_late(campaign.id, late_until, amounts):
            # Its status moved since it was read.
            raise _not_successful()
        opened = await uow.campaigns.get(campaign.id)
        await uow.commit()
    assert opened is not None, "a campaign is never deleted"
    return opened


def _check_price(campaign: Campaign, tier_id: int, price: Money, limits: PledgeLimits) -> None:
    """Refuse a late price for another campaign's reward, or outside what a pledge may be."""
    if campaign.tier(tier_id) is None:
        raise TierNotFound()
    currency = campaign.goal.currency
    if price.currency != currency:
        raise WrongCurrency(currency=currency)
    minimum, maximum = minimum_charge(currency), limits.maximum(currency)
    if not minimum.amount <= price.amount <= maximum.amount:
        raise InvalidAmount(minimum=minimum, maximum=maximum)
