"""Campaigns and their reward tiers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from core.identity import Identity
from core.money import Money
from core.reservations import Reservations


class FundingModel(StrEnum):
    """Whether backers are charged only if the goal is met."""

    ALL_OR_NOTHING = "all_or_nothing"
    FLEXIBLE = "flexible"


class CampaignStatus(StrEnum):
    """Where a campaign is in its life."""

    DRAFT = "draft"
    # Submitted by its creator, waiting for an operator to approve it or ask for changes.
    IN_REVIEW = "in_review"
    # Approved, with a launch time still to come: shown and followed, not yet backed.
    COMING_SOON = "coming_soon"
    LIVE = "live"
    SUCCESSFUL = "successful"
    FAILED = "failed"
    CANCELLED = "cancelled"


# Seen only by a campaign's creators and the operators.
UNPUBLISHED = frozenset({CampaignStatus.DRAFT, CampaignStatus.IN_REVIEW})
# What publishing makes of a campaign, depending on whether its start time has come.
PUBLISHED = frozenset({CampaignStatus.COMING_SOON, CampaignStatus.LIVE})
# Not yet over: what a creator or an operator may still call off.
UNDERWAY = UNPUBLISHED | PUBLISHED


@dataclass(slots=True)
class RewardTier:
    """Something a backer gets for pledging at least its amount."""

    id: int
    campaign_id: int
    title: str
    description: str
    amount: Money
    quantity_limit: int | None = None
    claimed: int = 0
    estimated_delivery: date | None = None
    ships: bool = False
    ship_countries: tuple[str, ...] = ()
    position: int = 0
    # Read only for a tier with no unit left, to tell units sold from units held at checkout.
    reservations: Reservations | None = None
    # An early bird's window, aware UTC: pledged for from opens_at, until (not at) closes_at.
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    # Its price to late backers, once the campaign has succeeded; None: not offered late.
    late_amount: Money | None = None
    # A secret reward is listed nowhere: only a link carrying this code offers it.
    secret_code: str | None = None

    def __post_init__(self) -> None:
        opens, closes = self.opens_at, self.closes_at
        if opens is not None and closes is not None and closes <= opens:
            raise ValueError("a reward closes after it opens")

    @property
    def secret(self) -> bool:
        """Whether the reward is offered only through its link."""
        return self.secret_code is not None

    def shifted(self, shift: timedelta) -> RewardTier:
        """This reward with its window moved by `shift`, as its campaign's launch moves."""
        return replace(
            self,
            opens_at=None if self.opens_at is None else self.opens_at + shift,
            closes_at=None if self.closes_at is None else self.closes_at + shift,
        )

    def has_opened(self, now: datetime) -> bool:
        """Whether the reward's window has begun at `now` (always, without an opening)."""
        return self.opens_at is None or self.opens_at <= now

    def has_closed(self, now: datetime) -> bool:
        """Whether the reward's window is over at `now` (never, without a closing)."""
        return self.closes_at is not None and self.closes_at <= now

    def is_open(self, now: datetime) -> bool:
        """Whether the reward may be chosen at `now`, its quantity aside."""
        return self.has_opened(now) and not self.has_closed(now)

    def price(self, *, late: bool) -> Money | None:
        """What the reward costs: its late price to a late backer (None: not offered late)."""
        return self.late_amount if late else self.amount

    def offered(self, now: datetime) -> bool:
        """Whether a unit may be pledged for at `now`: open, and not sold out."""
        return self.is_open(now) and not self.sold_out

    @property
    def remaining(self) -> int | None:
        """Units left to claim, or None when the tier is unlimited."""
        if self.quantity_limit is None:
            return None
        return max(self.quantity_limit - self.claimed, 0)

    @property
    def sold_out(self) -> bool:
        """Whether no unit is left."""
        return self.remaining == 0

    def checkout_wait(self, now: datetime) -> int | None:
        """With no unit left but some held by pledges at checkout: minutes until the first may
        come back; None when units are left or all are sold."""
        if not self.sold_out or self.reservations is None or self.reservations.count == 0:
            return None
        return self.reservations.minutes_to_first_release(now)


@dataclass(slots=True)
class Campaign:
    """A project asking for money, with its running total."""

    id: int
    slug: str
    title: str
    blurb: str
    description: str
    creator_name: str
    creator_identities: tuple[Identity, ...]
    category: str
    goal: Money
    funding_model: FundingModel
    starts_at: datetime
    ends_at: datetime
    status: CampaignStatus = CampaignStatus.DRAFT
    image_url: str | None = None
    staff_pick: bool = False
    stretch_goals: tuple[int, ...] = ()
    raised: int = 0
    backers_count: int = 0
    tiers: list[RewardTier] = field(default_factory=list)
    # The digest of the cover Backit keeps for the campaign, if it has one.
    cover: str | None = None
    # After it succeeded: late pledges are taken until then (aware UTC), and counted apart.
    late_until: datetime | None = None
    late_raised: int = 0
    late_backers: int = 0

    @property
    def raised_money(self) -> Money:
        """What has been pledged and counted, in the goal's currency."""
        return Money(self.raised, self.goal.currency)

    @property
    def percent(self) -> int:
        """Whole percent of the goal reached (can exceed 100)."""
        return self.raised * 100 // self.goal.amount

    def is_open(self, now: datetime) -> bool:
        """Whether pledges are accepted right now."""
        return self.status is CampaignStatus.LIVE and self.starts_at <= now < self.ends_at

    def late_open(self, now: datetime) -> bool:
        """Whether late pledges are taken right now: succeeded, and the late period not over."""
        return (
            self.status is CampaignStatus.SUCCESSFUL
            and self.late_until is not None
            and now < self.late_until
        )

    def accepts_pledges(self, now: datetime) -> bool:
        """Whether anyone may pledge right now: while live, or late after succeeding."""
        return self.is_open(now) or self.late_open(now)

    @property
    def late_raised_money(self) -> Money:
        """What late pledges have raised, counted apart from the total."""
        return Money(self.late_raised, self.goal.currency)

    def is_creator(self, identity: Identity) -> bool:
        """Whether the identity owns this campaign."""
        return identity in self.creator_identities

    def shown_to(self, viewer: Identity | None, operators: Collection[Identity] = ()) -> bool:
        """Whether the viewer may see the campaign: one not yet published only by its creators
        and operators."""
        if self.status not in UNPUBLISHED:
            return True
        return viewer is not None and (self.is_creator(viewer) or viewer in operators)

    def launched_at(self, moment: datetime) -> Campaign:
        """This campaign launching at `moment`: its end and its rewards' windows moved by as
        much, so that its run keeps its length."""
        shift = moment - self.starts_at
        return replace(
            self,
            starts_at=moment,
            ends_at=self.ends_at + shift,
            tiers=[tier.shifted(shift) for tier in self.tiers],
        )

    def tier(self, tier_id: int) -> RewardTier | None:
        """One of this campaign's tiers, by id."""
        return next((t for t in self.tiers if t.id == tier_id), None)

    def shown_tiers(self, code: str | None = None) -> list[RewardTier]:
        """The tiers listed to everyone, and the secret one `code` reveals, in order."""
        return [t for t in self.tiers if t.secret_code is None or t.secret_code == code]
