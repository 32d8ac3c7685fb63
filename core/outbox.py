"""Outbox messages: notifications written with the change that caused them, delivered later."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from core.campaigns import CampaignStatus, FundingModel
from core.identity import Platform
from core.milestones import MilestoneKind
from core.money import Money
from core.pledges import PledgeStatus

_T = TypeVar("_T")
_E = TypeVar("_E", bound=StrEnum)


class OutboxStatus(StrEnum):
    """Delivery state of one message."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


class Audience(StrEnum):
    """The groups of people an event can be announced to."""

    FOLLOWERS_AND_BACKERS = "followers_and_backers"
    BACKERS = "backers"
    FOLLOWERS_NOT_BACKED = "followers_not_backed"


class RecipientKind(StrEnum):
    """A person reached by direct message, or a community's channel."""

    USER = "user"
    CHANNEL = "channel"


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where one message goes, and the language to write it in."""

    platform: Platform
    kind: RecipientKind
    address: str
    locale: str
    backer_id: int | None = None
    community_id: int | None = None


class MalformedNotification(ValueError):
    """A stored notification of no known kind, or whose data does not fit its kind."""


def _field(data: Mapping[str, Any], name: str, kind: type[_T]) -> _T:
    """One field of stored data, which must be there with the type written."""
    value = data.get(name)
    # bool is an int to Python, never a count or an id here.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise MalformedNotification(f"{name!r} is not {kind.__name__}: {value!r}")
    return value


def _optional_int(data: Mapping[str, Any], name: str) -> int | None:
    return None if data.get(name) is None else _field(data, name, int)


def _choice(data: Mapping[str, Any], name: str, kind: type[_E]) -> _E:
    try:
        return kind(_field(data, name, str))
    except ValueError as error:
        raise MalformedNotification(f"{name!r} is no {kind.__name__}") from error


@dataclass(frozen=True, slots=True)
class MilestoneReached:
    """A campaign crossed a share of its goal, or a stretch goal (an amount in minor units)."""

    type: ClassVar[str] = "milestone"
    campaign_id: int
    kind: MilestoneKind
    value: int

    def data(self) -> dict[str, Any]:
        """The fields as stored."""
        return {"campaign_id": self.campaign_id, "kind": str(self.kind), "value": self.value}

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> MilestoneReached:
        """The event from stored fields; anything missing or mistyped is malformed."""
        return cls(
            _field(data, "campaign_id", int),
            _choice(data, "kind", MilestoneKind),
            _field(data, "value", int),
        )


@dataclass(frozen=True, slots=True)
class PledgeReceipt:
    """A backer's pledge changed status."""

    type: ClassVar[str] = "receipt"
    campaign_id: int
    pledge_id: int
    status: PledgeStatus
    amount: Money
    backer_number: int | None
    # None for a pledge without a reward, and in receipts queued before they named it.
    tier_id: int | None = None
    # A paid pledge raised by a top-up: `amount` and `tier_id` are what it now is.
    raised: bool = False

    def data(self) -> dict[str, Any]:
        """The fields as stored."""
        return {
            "pledge_id": self.pledge_id,
            "campaign_id": self.campaign_id,
            "tier_id": self.tier_id,
            "status": str(self.status),
            "amount": self.amount.amount,
            "currency": self.amount.currency,
            "backer_number": self.backer_number,
            "raised": self.raised,
        }

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> PledgeReceipt:
        """The event from stored fields; anything missing or mistyped is malformed."""
        return cls(
            _field(data, "campaign_id", int),
            _field(data, "pledge_id", int),
            _choice(data, "status", PledgeStatus),
            Money(_field(data, "amount", int), _field(data, "currency", str)),
            _optional_int(data, "backer_number"),
            _optional_int(data, "tier_id"),
            # Receipts queued before top-ups carry no flag.
            data.get("raised") is True,
        )


@dataclass(frozen=True, slots=True)
class ReferralCredited:
    """Someone backed through an ambassador's link; `referrals` counts them all so far."""

    type: ClassVar[str] = "referral"
    campaign_id: int
    referrals: int

    def data(self) -> dict[str, Any]:
        """The fields as stored."""
        return {"campaign_id": self.campaign_id, "referrals": self.referrals}

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> ReferralCredited:
        """The event from stored fields; anything missing or mistyped is malformed."""
        return cls(_field(data, "campaign_id", int), _field(data, "referrals", int))


@dataclass(frozen=True, slots=True)
class UpdatePosted:
    """A creator posted news."""

    type: ClassVar[str] = "update"
    campaign_id: int
    update_id: int
    text: str

    def data(self) -> dict[str, Any]:
        """The fields as stored."""
        return {"campaign_id": self.campaign_id, "update_id": self.update_id, "text": self.text}

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> UpdatePosted:
        """The event from stored fields; anything missing or mistyped is malformed."""
        return cls(
            _field(data, "campaign_id", int),
            _field(data, "update_id", int),
            _field(data, "text", str),
        )


@dataclass(frozen=True, slots=True)
class DeadlineNear:
    """A campaign its followers have not backed ends soon."""

    type: ClassVar[str] = "reminder"
    campaign_id: int

    def data(self) -> dict[str, Any]:
        """The fields as stored."""
        return {"campaign_id": self.campaign_id}

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> DeadlineNear:
        """The event from stored fields; anything missing or mistyped is malformed."""
        return cls(_field(data, "campaign_id", int))


@dataclass(frozen=True, slots=True)
class CampaignLaunched:
    """A coming-soon campaign went live: those waiting for it may back it now."""

    type: ClassVar[str] = "launched"
    campaign_id: int

    def data(self) -> dict[str, Any]:
        """The fields as stored."""
        return {"campaign_id": self.campaign_id}

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> CampaignLaunched:
        """The event from stored fields; anything missing or mistyped is malformed."""
        return cls(_field(data, "campaign_id", int))


@dataclass(frozen=True, slots=True)
class CampaignEnded:
    """A campaign reached its deadline, funded or not."""

    type: ClassVar[str] = "ended"
    campaign_id: int
    status: CampaignStatus
    funding_model: FundingModel

    def data(self) -> dict[str, Any]:
        """The fields as stored."""
        return {
            "campaign_id": self.campaign_id,
            "status": str(self.status),
            "funding_model": str(self.funding_model),
        }

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> CampaignEnded:
        """The event from stored fields; anything missing or mistyped is malformed."""
        return cls(
            _field(data, "campaign_id", int),
            _choice(data, "status", CampaignStatus),
            _choice(data, "funding_model", FundingModel),
        )


@dataclass(frozen=True, slots=True)
class DisputeOpened:
    """A backer disputed a pledge's charge with their bank; told to the campaign's creators."""

    type: ClassVar[str] = "dispute"
    campaign_id: int
    pledge_id: int
    amount: Money
    backer_number: int | None
    # The provider's reason code, and when the creator's evidence is due.
    reason: str
    evidence_due_by: datetime | None

    def data(self) -> dict[str, Any]:
        """The fields as stored."""
        due = self.evidence_due_by
        return {
            "campaign_id": self.campaign_id,
            "pledge_id": self.pledge_id,
            "amount": self.amount.amount,
            "currency": self.amount.currency,
            "backer_number": self.backer_number,
            "reason": self.reason,
            "evidence_due_by": None if due is None else due.isoformat(),
        }

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> DisputeOpened:
        """The event from stored fields; anything missing or mistyped is malformed."""
        return cls(
            _field(data, "campaign_id", int),
            _field(data, "pledge_id", int),
            Money(_field(data, "amount", int), _field(data, "currency", str)),
            _optional_int(data, "backer_number"),
            _field(data, "reason", str),
            None if data.get("evidence_due_by") is None else _moment(data, "evidence_due_by"),
        )


@dataclass(frozen=True, slots=True)
class PayoutsChanged:
    """A live campaign's payout account stopped (or started again) taking payments."""

    type: ClassVar[str] = "payouts"
    campaign_id: int
    taking: bool

    def data(self) -> dict[str, Any]:
        """The fields as stored."""
        return {"campaign_id": self.campaign_id, "taking": self.taking}

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> PayoutsChanged:
        """The event from stored fields; anything missing or mistyped is malformed."""
        return cls(_field(data, "campaign_id", int), _field(data, "taking", bool))


@dataclass(frozen=True, slots=True)
class ReviewRequested:
    """A creator submitted a campaign for review; told to each operator."""

    type: ClassVar[str] = "review_requested"
    campaign_id: int

    def data(self) -> dict[str, Any]:
        """The fields as stored."""
        return {"campaign_id": self.campaign_id}

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> ReviewRequested:
        """The event from stored fields; anything missing or mistyped is malformed."""
        return cls(_field(data, "campaign_id", int))


@dataclass(frozen=True, slots=True)
class ReviewDecided:
    """An operator approved a campaign (`status`, what it became) or asked for changes
    (`reason`); told to its creators."""

    type: ClassVar[str] = "review_decided"
    campaign_id: int
    approved: bool
    status: CampaignStatus
    reason: str = ""

    def data(self) -> dict[str, Any]:
        """The fields as stored."""
        return {
            "campaign_id": self.campaign_id,
            "approved": self.approved,
            "status": str(self.status),
            "reason": self.reason,
        }

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> ReviewDecided:
        """The event from stored fields; anything missing or mistyped is malformed."""
        return cls(
            _field(data, "campaign_id", int),
            _field(data, "approved", bool),
            _choice(data, "status", CampaignStatus),
            _field(data, "reason", str),
        )


def _moment(data: Mapping[str, Any], name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(_field(data, name, str))
    except ValueError as error:
        raise MalformedNotification(f"{name!r} is no moment") from error
    if moment.tzinfo is None:
        raise MalformedNotification(f"{name!r} has no time zone")
    return moment


# Every event a notification can be about: one class each.
Event = (
    MilestoneReached
    | PledgeReceipt
    | ReferralCredited
    | UpdatePosted
    | DeadlineNear
    | CampaignLaunched
    | CampaignEnded
    | DisputeOpened
    | PayoutsChanged
    | ReviewRequested
    | ReviewDecided
)
_EVENTS: dict[str, type[Event]] = {
    kind.type: kind
    for kind in (
        MilestoneReached,
        PledgeReceipt,
        ReferralCredited,
        UpdatePosted,
        DeadlineNear,
        CampaignLaunched,
        CampaignEnded,
        DisputeOpened,
        PayoutsChanged,
        ReviewRequested,
        ReviewDecided,
    )
}


def read_event(type_: str, data: object) -> Event:
    """A stored event back as its class; an unknown type or bad data is malformed."""
    kind = _EVENTS.get(type_)
    if kind is None:
        raise MalformedNotification(f"no notification is of type {type_!r}")
    if not isinstance(data, Mapping):
        raise MalformedNotification(f"{type_} data is not an object: {data!r}")
    return kind.read(data)


@dataclass(frozen=True, slots=True)
class Notification:
    """What happened, as an event; rendered in each recipient's language when sent."""

    event_key: str
    event: Event

    @property
    def type(self) -> str:
        """The event's kind, as stored."""
        return self.event.type

    @property
    def data(self) -> dict[str, Any]:
        """The event's fields, as stored."""
        return self.event.data()


@dataclass(slots=True)
class OutboxMessage:
    """One notification for one recipient, with its delivery state."""

    id: int
    recipient: Recipient
    notification: Notification
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    last_error: str | None = None
    # Parts of a long message delivered before a failed attempt: a retry starts after them.
    parts_sent: int = 0


@dataclass(frozen=True, slots=True)
class DeliveryCounts:
    """How far one event's messages have got: sent, given up on, still to go."""

    sent: int = 0
    failed: int = 0
    waiting: int = 0

    @property
    def total(self) -> int:
        """Every message the event queued."""
        return self.sent + self.failed + self.waiting
