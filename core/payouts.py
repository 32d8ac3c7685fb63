"""Creators' payout accounts with the payment provider, and Backit's fee on each pledge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.errors import DomainError
from core.i18n import N_
from core.identity import Identity
from core.money import Money

# Countries where Stripe opens Express accounts for a platform (Stripe's "Connect: supported
# countries" list for Express with card_payments and transfers).
ACCOUNT_COUNTRIES = frozenset(
    """
    AT AU BE BG CA CH CY CZ DE DK EE ES FI FR GB GI GR HK HR HU IE IT JP LI LT LU LV MT MX NL
    NO NZ PL PT RO SE SG SI SK TH US
    """.split()  # noqa: SIM905 - a block of codes reads better than one per line
)
# Stripe treats the European Economic Area with Switzerland and the United Kingdom as one
# region for destination charges; any other country is a region of its own.
_EUROPE = frozenset(
    """
    AT BE BG CH CY CZ DE DK EE ES FI FR GB GI GR HR HU IE IT LI LT LU LV MT NL NO PL PT RO SE
    SI SK
    """.split()  # noqa: SIM905
)


def same_region(country: str, other: str) -> bool:
    """Whether a platform in one country may charge for an account in the other without
    naming the account as the merchant (`on_behalf_of`)."""
    return country == other or (country in _EUROPE and other in _EUROPE)


class AccountCountryUnsupported(DomainError):
    """A payout account was asked for in a country the provider opens none in."""

    template = N_(
        "Payout accounts can't be opened in {country}. Give a two-letter country code such as "
        "FR, DE, GB or US."
    )


@dataclass(frozen=True, slots=True)
class AccountState:
    """What the provider says about a payout account, and as of when."""

    account_id: str
    country: str
    charges_enabled: bool
    payouts_enabled: bool
    details_submitted: bool
    # What the provider still needs from the creator, as its requirement names.
    currently_due: tuple[str, ...]
    as_of: datetime


@dataclass(frozen=True, slots=True)
class PayoutAccount:
    """A creator's account with the payment provider, the identities it belongs to."""

    id: int
    state: AccountState
    identities: tuple[Identity, ...]
    created_at: datetime

    @property
    def account_id(self) -> str:
        """The provider's id of the account."""
        return self.state.account_id

    @property
    def can_take_pledges(self) -> bool:
        """Whether pledges may be charged for it."""
        return self.state.charges_enabled


@dataclass(frozen=True, slots=True)
class AccountUpdate:
    """A provider event saying an account's state changed."""

    event_id: str | None
    state: AccountState


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a pledge's money goes, less Backit's fee."""

    account_id: str
    fee: Money
    # The account is the merchant of record: it is in another region than the platform.
    on_behalf_of: bool = False


@dataclass(frozen=True, slots=True)
class FeePolicy:
    """Backit's fee on a pledge: a percentage plus a fixed amount per currency."""

    # Hundredths of a percent (250 is 2.5 %), so the fee is computed in integers.
    basis_points: int = 0
    fixed: Mapping[str, int] = field(default_factory=dict)

    def fee(self, amount: Money) -> Money:
        """The fee on an amount: rounded down, never more than the amount itself."""
        percent = amount.amount * self.basis_points // 10_000
        return Money(
            min(percent + self.fixed.get(amount.currency, 0), amount.amount), amount.currency
        )

    def fixed_part(self, currency: str) -> Money:
        """The fixed part of the fee in a currency."""
        return Money(self.fixed.get(currency, 0), currency)


def fee_kept(fee: int, amount: int, refunded: int) -> int:
    """What is left of a fee once part of its charge was refunded, the fee refunded in
    proportion (rounded so that the refunded part is rounded down, as the provider does)."""
    if amount <= 0:
        return 0
    return fee - fee * refunded // amount


def transfer_kept(fee: int, amount: int, refunded: int) -> int:
    """What stays with a creator's account of a charge's transfer (the charge less the fee)
    once part of the charge was refunded, the transfer reversed in proportion and rounded down
    as the provider rounds it."""
    if amount <= 0:
        return 0
    transferred = amount - fee
    return transferred - transferred * refunded // amount


class DisputeState(StrEnum):
    """Where a backer's dispute of a pledge's charge stands."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


# Disputes whose money is out of the campaign's total.
DISPUTE_WITHHELD = frozenset({DisputeState.OPEN, DisputeState.LOST})


def dispute_moves(before: DisputeState | None, state: DisputeState) -> bool:
    """Whether news of a dispute changes what is known: a closed dispute stays closed, and
    news that it opened comes too late once it is."""
    if before is None:
        return True
    return before is DisputeState.OPEN and state is not DisputeState.OPEN


@dataclass(frozen=True, slots=True)
class DisputeReport:
    """What the provider says about a dispute of a pledge's charge."""

    state: DisputeState
    amount: int
    # The provider's reason code (fraudulent, product_not_received…).
    reason: str
    # When evidence is due; None once the dispute is closed.
    evidence_due_by: datetime | None


@dataclass(frozen=True, slots=True)
class PayoutTerms:
    """How a deployment pays creators: through their own accounts (Connect) or not at all."""

    connect: bool = False
    fees: FeePolicy = field(default_factory=FeePolicy)
    # The platform's own country: accounts elsewhere in another region are the merchant.
    platform_country: str = "FR"

    def destination(self, account: PayoutAccount, amount: Money) -> Destination:
        """Where a payment of that amount goes, less Backit's fee."""
        return Destination(
            account.account_id,
            self.fees.fee(amount),
            on_behalf_of=not same_region(self.platform_country, account.state.country),
        )


# A deployment that keeps every payment on its own account.
NO_PAYOUTS = PayoutTerms()


class PayoutsNotReady(DomainError):
    """A campaign cannot be published, or backed, before its creator's account takes charges."""

    template = N_(
        "The creator's payout account can't take payments yet. The creator finishes setting it "
        "up with /payouts."
    )
