"""Pledges: a backer's promise of money to a campaign, and how its status may change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from core.campaigns import Campaign, FundingModel
from core.money import Money
from core.payouts import DISPUTE_WITHHELD, DisputeState


class PledgeStatus(StrEnum):
    """Where a pledge is between the tap and the money."""

    PENDING = "pending"
    AUTHORIZED = "authorized"
    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    EXPIRED = "expired"


COUNTED = frozenset({PledgeStatus.AUTHORIZED, PledgeStatus.PAID})
"""Statuses whose amount is part of the campaign's total."""


@dataclass(frozen=True, slots=True)
class FundingDay:
    """What a campaign's pledges did on one UTC day: the amount they added less what was
    refunded that day (minor units, so negative on a day of refunds), and the new backers."""

    day: date
    raised: int
    backers: int


ALLOWED_TRANSITIONS: dict[PledgeStatus, frozenset[PledgeStatus]] = {
    PledgeStatus.PENDING: frozenset(
        {
            PledgeStatus.AUTHORIZED,
            PledgeStatus.PAID,
            PledgeStatus.FAILED,
            PledgeStatus.CANCELLED,
            PledgeStatus.EXPIRED,
        }
    ),
    PledgeStatus.AUTHORIZED: frozenset(
        {PledgeStatus.PAID, PledgeStatus.FAILED, PledgeStatus.CANCELLED}
    ),
    # A failed off-session charge can be retried by the backer.
    PledgeStatus.FAILED: frozenset({PledgeStatus.PAID}),
    PledgeStatus.PAID: frozenset({PledgeStatus.REFUNDED}),
    PledgeStatus.CANCELLED: frozenset(),
    PledgeStatus.REFUNDED: frozenset(),
    PledgeStatus.EXPIRED: frozenset(),
}


@dataclass(slots=True)
class Pledge:
    """One backer's pledge to one campaign, optionally for a reward tier."""

    id: int
    backer_id: int
    campaign_id: int
    tier_id: int | None
    amount: Money
    status: PledgeStatus
    created_at: datetime
    updated_at: datetime
    referral_code: str | None = None
    link_key: str | None = None
    backer_number: int | None = None
    refunded_amount: int = 0
    checkout_session_id: str | None = None
    payment_intent_id: str | None = None
    customer_id: str | None = None
    payment_method_id: str | None = None
    shipping_address: str | None = None
    # A top-up is paid beside the pledge it raises (whose id this is), and is part of it.
    tops_up: int | None = None
    # On a pledge: what its paid top-ups added to it.
    topped_up: int = 0
    # With creators paid through the provider: the account the money went to, Backit's fee
    # on it (minor units) and the transfer that moved it there.
    payout_account: str | None = None
    fee: int = 0
    transfer_id: str | None = None
    # A backer's dispute of the charge, and the amount it holds back.
    dispute: DisputeState | None = None
    disputed_amount: int = 0
    # Made after the campaign succeeded: paid at once, counted apart from its total.
    late: bool = False

    @property
    def counted(self) -> bool:
        """Whether this pledge's amount is in the campaign's total."""
        return self.status in COUNTED

    @property
    def counted_amount(self) -> int:
        """How much of this pledge the campaign's total holds."""
        if not self.counted:
            return 0
        return self.amount.amount - self.refunded_amount - self.withheld

    @property
    def withheld(self) -> int:
        """What a dispute keeps out of the total: all it claims while open or once lost."""
        return self.disputed_amount if self.dispute in DISPUTE_WITHHELD else 0

    @property
    def backed_amount(self) -> int:
        """How much the backer now gives: what is counted of the pledge and its top-ups."""
        return self.counted_amount + self.topped_up if self.counted else 0

    @property
    def with_top_ups(self) -> Money:
        """The pledge's amount with what its paid top-ups added (refunds aside)."""
        return Money(self.amount.amount + self.topped_up, self.amount.currency)

    def can_become(self, status: PledgeStatus) -> bool:
        """Whether moving to that status is a legal step."""
        return status in ALLOWED_TRANSITIONS[self.status]


def current_pledge(pledges: Iterable[Pledge], campaign_id: int) -> Pledge | None:
    """The newest counted pledge to a campaign among a backer's pledges (newest first)."""
    return next((p for p in pledges if p.campaign_id == campaign_id and p.counted), None)


def can_change(pledge: Pledge, campaign: Campaign, now: datetime) -> bool:
    """Whether a pledge may be changed now, before the deadline: an all-or-nothing pledge
    with its card saved, or a flexible one paid (and not refunded in full)."""
    if not campaign.is_open(now):
        return False
    if campaign.funding_model is FundingModel.ALL_OR_NOTHING:
        return pledge.status is PledgeStatus.AUTHORIZED
    return pledge.status is PledgeStatus.PAID


def can_change_to(pledge: Pledge, campaign: Campaign, amount: int) -> bool:
    """Whether a pledge that may change may come to that amount: any while only a card is
    saved; once paid, more (the difference paid as a top-up) or, never topped up, less (the
    difference refunded from its one payment)."""
    if campaign.funding_model is FundingModel.ALL_OR_NOTHING or needs_top_up(pledge, amount):
        return True
    return pledge.topped_up == 0 and amount < pledge.counted_amount


def needs_top_up(pledge: Pledge, amount: int) -> bool:
    """Whether a paid pledge coming to that amount needs the difference paid."""
    return pledge.status is PledgeStatus.PAID and amount > pledge.backed_amount
