"""Outbox messages: notifications written with the change that caused them, delivered later."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.identity import Platform


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


@dataclass(frozen=True, slots=True)
class Notification:
    """What happened, as data; rendered in each recipient's language when sent."""

    event_key: str
    type: str
    data: dict[str, Any] = field(default_factory=dict)


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
