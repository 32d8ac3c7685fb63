"""A campaign's money as its creator is paid it: per payment, and in all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from core.campaigns import Campaign
from core.money import Money
from core.payouts import DisputeState, fee_kept, transfer_kept
from core.pledges import Pledge, PledgeStatus

# Pledges whose money was taken: paid, or paid and then refunded.
_CHARGED = frozenset({PledgeStatus.PAID, PledgeStatus.REFUNDED})


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One payment: what the backer paid, Backit's fee on what was kept, and the rest."""

    pledge_id: int
    pledged_at: datetime
    backer_number: int | None
    amount: Money
    fee: Money
    refunded: Money
    disputed: Money
    net: Money
    status: PledgeStatus
    dispute: DisputeState | None
    transfer_id: str | None


@dataclass(frozen=True, slots=True)
class Statement:
    """Every payment of a campaign and their sums, in its currency."""

    campaign: Campaign
    lines: tuple[StatementLine, ...]

    def _sum(self, figure: str) -> Money:
        currency = self.campaign.goal.currency
        return Money(sum(getattr(line, figure).amount for line in self.lines), currency)

    @property
    def raised(self) -> Money:
        """What backers paid."""
        return self._sum("amount")

    @property
    def fee(self) -> Money:
        """Backit's fee on what was kept."""
        return self._sum("fee")

    @property
    def refunded(self) -> Money:
        """What went back to backers."""
        return self._sum("refunded")

    @property
    def disputed(self) -> Money:
        """What backers' banks hold back in open or lost disputes (borne by the platform)."""
        return self._sum("disputed")

    @property
    def receives(self) -> Money:
        """What the creator's account receives: what was transferred to it, less what refunds
        took back."""
        return self._sum("net")


def line(pledge: Pledge) -> StatementLine:
    """A paid pledge as a statement line."""
    currency = pledge.amount.currency
    amount, refunded = pledge.amount.amount, pledge.refunded_amount
    fee = fee_kept(pledge.fee, amount, refunded)
    return StatementLine(
        pledge_id=pledge.id,
        pledged_at=pledge.created_at,
        backer_number=pledge.backer_number,
        amount=pledge.amount,
        fee=Money(fee, currency),
        refunded=Money(refunded, currency),
        disputed=Money(pledge.withheld, currency),
        net=Money(transfer_kept(pledge.fee, amount, refunded), currency),
        status=pledge.status,
        dispute=pledge.dispute,
        transfer_id=pledge.transfer_id,
    )


def statement(campaign: Campaign, pledges: Iterable[Pledge]) -> Statement:
    """A campaign's statement from its pledges (top-ups are payments of their own)."""
    charged = sorted((p for p in pledges if p.status in _CHARGED), key=lambda p: p.id)
    return Statement(campaign, tuple(line(p) for p in charged))
