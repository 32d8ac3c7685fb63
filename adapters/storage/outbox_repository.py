"""The outbox in SQL: one row per recipient per event, queued in the transaction that caused it."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.statements import affected_rows, dialect_insert, insert_per_dialect
from adapters.storage.tables import (
    BackerRow,
    CommunityCampaignRow,
    CommunityRow,
    FollowRow,
    OutboxRow,
    PledgeRow,
    core_table,
)
from core.identity import Platform
from core.outbox import (
    Audience,
    DeliveryCounts,
    MalformedNotification,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Recipient,
    RecipientKind,
    read_event,
)
from core.pledges import COUNTED

logger = logging.getLogger(__name__)
# What an unreadable message is marked with: no kind Backit knows, or data that does not fit it.
_UNREADABLE = "unreadable notification: set aside"

# The columns an INSERT ... SELECT fills, in the order every audience select lists them.
_QUEUED_COLUMNS = (
    "event_key",
    "type",
    "payload",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
    "recipient_platform",
    "recipient_kind",
    "recipient_address",
    "recipient_locale",
    "backer_id",
    "community_id",
)
_RECIPIENT_KEY = (
    OutboxRow.event_key,
    OutboxRow.recipient_platform,
    OutboxRow.recipient_kind,
    OutboxRow.recipient_address,
)
_UNDELIVERED = (OutboxStatus.PENDING, OutboxStatus.SENDING)
_OUTBOX = core_table(OutboxRow)
_ENQUEUE = insert_per_dialect(
    lambda insert: (
        insert(_OUTBOX)
        .values({column: bindparam(column) for column in _QUEUED_COLUMNS})
        .on_conflict_do_nothing(index_elements=_RECIPIENT_KEY)
    )
)


class SqlOutboxRepository:
    """core.ports.OutboxRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(
        self, recipient: Recipient, notification: Notification, now: datetime
    ) -> bool:
        """Queue one message; False if that recipient already has this event."""
        inserted = await affected_rows(
            self._session, _ENQUEUE(self._session), _queued(recipient, notification, now)
        )
        return inserted == 1

    async def enqueue_all(
        self, messages: Sequence[tuple[Recipient, Notification]], now: datetime
    ) -> None:
        """Queue several messages at once; one whose recipient already has its event is not."""
        await self._session.execute(
            _ENQUEUE(self._session),
            [_queued(recipient, notification, now) for recipient, notification in messages],
            execution_options={"synchronize_session": False},
        )

    async def enqueue_audience(
        self,
        campaign_id: int,
        audience: Audience,
        notification: Notification,
        now: datetime,
        include_communities: bool,
    ) -> int:
        """Queue one message per reachable person in the audience (and per announcing
        community that linked the campaign); returns how many were queued."""
        # INSERT ... SELECT: the database builds the rows, so memory does not grow with the
        # audience, and ON CONFLICT skips whoever already has this event.
        sources = [_people(campaign_id, audience, notification, now)]
        if include_communities:
            sources.append(_communities(campaign_id, notification, now))
        queued = 0
        for source in sources:
            queued += await affected_rows(
                self._session,
                dialect_insert(self._session, OutboxRow)
                .from_select(_QUEUED_COLUMNS, source)
                .on_conflict_do_nothing(index_elements=_RECIPIENT_KEY),
            )
        return queued

    async def count_audience(
        self, campaign_id: int, audience: Audience, include_communities: bool
    ) -> int:
        """How many messages `enqueue_audience` would queue for a new event now."""
        people = select(func.count()).select_from(BackerRow).where(_members(campaign_id, audience))
        count = await self._session.scalar(people) or 0
        if include_communities:
            communities = select(func.count()).select_from(_announcing(campaign_id).subquery())
            count += await self._session.scalar(communities) or 0
        return count

    async def pending(self, limit: int = 100) -> Sequence[OutboxMessage]:
        """Messages not yet delivered, oldest first."""
        rows = await self._session.scalars(
            select(OutboxRow)
            .where(OutboxRow.status == OutboxStatus.PENDING)
            .order_by(OutboxRow.created_at, OutboxRow.id)
            .limit(limit)
            .execution_options(populate_existing=True)
        )
        return _readable(rows)[0]

    async def claim(
        self, platform: Platform, now: datetime, lease_until: datetime, limit: int
    ) -> Sequence[OutboxMessage]:
        """Take up to `limit` due messages for one platform, leased until `lease_until`."""
        # A message being sent is due again once its lease has run out: its dispatcher died.
        due = (
            select(OutboxRow.id)
            .where(
                OutboxRow.recipient_platform == platform,
                OutboxRow.status.in_(_UNDELIVERED),
                OutboxRow.next_attempt_at <= now,
            )
            .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            # Several dispatchers each take rows nobody else holds, without waiting on them.
            # SQLite needs nothing: its write lock already makes claims one at a time.
            due = due.with_for_update(skip_locked=True)
        rows = await self._session.scalars(
            update(OutboxRow)
            .where(OutboxRow.id.in_(due.scalar_subquery()))
            .values(
                status=OutboxStatus.SENDING,
                next_attempt_at=lease_until,
                attempts=OutboxRow.attempts + 1,
            )
            .returning(OutboxRow),
            execution_options={"synchronize_session": False, "populate_existing": True},
        )
        messages, unreadable = _readable(rows)
        if unreadable:
            # Set aside for good, so that it is reported once and no dispatcher takes it again.
            for message_id, error in unreadable.items():
                logger.error("outbox message %s is unreadable and set aside: %s", message_id, error)
            await self._session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(unreadable))
                .values(status=OutboxStatus.DEAD, last_error=_UNREADABLE)
            )
        return sorted(messages, key=lambda m: (m.created_at, m.id))

    async def mark_sent(self, message_ids: Sequence[int], now: datetime) -> None:
        """Record messages as delivered."""
        await affected_rows(
            self._session,
            update(OutboxRow)
            .where(OutboxRow.id.in_(message_ids), OutboxRow.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.SENT, sent_at=now),
        )

    async def retry_later(self, message_id: int, at: datetime, error: str, parts_sent: int) -> None:
        """Put a message back to be tried again at `at`, remembering what went wrong."""
        await affected_rows(
            self._session,
            update(OutboxRow)
            .where(OutboxRow.id == message_id, OutboxRow.status == OutboxStatus.SENDING)
            .values(
                status=OutboxStatus.PENDING,
                next_attempt_at=at,
                last_error=error,
                parts_sent=parts_sent,
            ),
        )

    async def give_up(self, message_id: int, error: str) -> None:
        """Dead-letter one message."""
        await affected_rows(
            self._session,
            update(OutboxRow)
            .where(OutboxRow.id == message_id, OutboxRow.status.in_(_UNDELIVERED))
            .values(status=OutboxStatus.DEAD, last_error=error),
        )

    async def abandon_recipient(self, recipient: Recipient, error: str) -> int:
        """Dead-letter every undelivered message to an unreachable recipient; how many."""
        return await affected_rows(
            self._session,
            update(OutboxRow)
            .where(
                OutboxRow.recipient_platform == recipient.platform,
                OutboxRow.recipient_kind == recipient.kind,
                OutboxRow.recipient_address == recipient.address,
                OutboxRow.status.in_(_UNDELIVERED),
            )
            .values(status=OutboxStatus.DEAD, last_error=error),
        )

    async def delivery_counts(self, event_key: str) -> DeliveryCounts:
        """How far the messages of one event have got."""
        rows = await self._session.execute(
            select(OutboxRow.status, func.count())
            .where(OutboxRow.event_key == event_key)
            .group_by(OutboxRow.status)
        )
        counts = {OutboxStatus(status): count for status, count in rows}
        return DeliveryCounts(
            sent=counts.get(OutboxStatus.SENT, 0),
            failed=counts.get(OutboxStatus.DEAD, 0),
            waiting=sum(counts.get(status, 0) for status in _UNDELIVERED),
        )

    async def status_counts(self) -> dict[OutboxStatus, int]:
        """How many messages are in each state."""
        rows = await self._session.execute(
            select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
        )
        counts = {OutboxStatus(status): count for status, count in rows}
        return {status: counts.get(status, 0) for status in OutboxStatus}

    async def latest_failures(self, limit: int) -> Sequence[OutboxMessage]:
        """The most recent messages that failed at least once, newest first."""
        rows = await self._session.scalars(
            select(OutboxRow)
            .where(OutboxRow.last_error.is_not(None))
            .order_by(OutboxRow.id.desc())
            .limit(limit)
            .execution_options(populate_existing=True)
        )
        return _readable(rows)[0]


def _queued(recipient: Recipient, notification: Notification, now: datetime) -> dict[str, Any]:
    """The parameters of `_ENQUEUE` for one message."""
    return {
        "event_key": notification.event_key,
        "type": notification.type,
        "payload": notification.data,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "recipient_platform": recipient.platform,
        "recipient_kind": recipient.kind,
        "recipient_address": recipient.address,
        "recipient_locale": recipient.locale,
        "backer_id": recipient.backer_id,
        "community_id": recipient.community_id,
    }


def _readable(rows: Iterable[OutboxRow]) -> tuple[list[OutboxMessage], dict[int, str]]:
    """The rows as messages, and the ids of those that could not be read, with why."""
    messages: list[OutboxMessage] = []
    unreadable: dict[int, str] = {}
    for row in rows:
        try:
            messages.append(_to_message(row))
        except MalformedNotification as error:
            unreadable[row.id] = str(error)
    return messages, unreadable


def _members(campaign_id: int, audience: Audience) -> ColumnElement[bool]:
    """Which backers an audience reaches: the same rule whether queuing or counting."""
    followers = select(FollowRow.backer_id).where(FollowRow.campaign_id == campaign_id)
    # A muted follow silences a backer for everything but their own receipts.
    muted = followers.where(FollowRow.muted.is_(True))
    counted_backers = select(PledgeRow.backer_id).where(
        PledgeRow.campaign_id == campaign_id, PledgeRow.status.in_(COUNTED)
    )
    members: ColumnElement[bool]
    match audience:
        case Audience.FOLLOWERS_AND_BACKERS:
            members = BackerRow.id.in_(followers) | BackerRow.id.in_(counted_backers)
        case Audience.BACKERS:
            members = BackerRow.id.in_(counted_backers)
        case Audience.FOLLOWERS_NOT_BACKED:
            members = BackerRow.id.in_(followers) & BackerRow.id.not_in(counted_backers)
    return BackerRow.reachable.is_(True) & members & BackerRow.id.not_in(muted)


def _people(
    campaign_id: int, audience: Audience, notification: Notification, now: datetime
) -> Select[Any]:
    return select(
        *_message_columns(notification, now),
        BackerRow.platform,
        literal(RecipientKind.USER, OutboxRow.recipient_kind.type),
        BackerRow.user_id,
        func.coalesce(BackerRow.chosen_locale, BackerRow.locale),
        BackerRow.id,
        literal(None, OutboxRow.community_id.type),
    ).where(_members(campaign_id, audience))


def _announcing(campaign_id: int) -> Select[Any]:
    """The communities that linked a campaign and announce its news."""
    return (
        select(CommunityRow.id)
        .join(CommunityCampaignRow, CommunityCampaignRow.community_id == CommunityRow.id)
        .where(
            CommunityCampaignRow.campaign_id == campaign_id,
            CommunityRow.announcements.is_(True),
        )
    )


def _communities(campaign_id: int, notification: Notification, now: datetime) -> Select[Any]:
    return select(
        *_message_columns(notification, now),
        CommunityRow.platform,
        literal(RecipientKind.CHANNEL, OutboxRow.recipient_kind.type),
        func.coalesce(CommunityRow.announce_channel_id, CommunityRow.chat_id),
        CommunityRow.locale,
        literal(None, OutboxRow.backer_id.type),
        CommunityRow.id,
    ).where(CommunityRow.id.in_(_announcing(campaign_id)))


def _message_columns(notification: Notification, now: datetime) -> list[ColumnElement[Any]]:
    """The values every recipient's row shares, typed so each database gets the right binds."""
    return [
        literal(notification.event_key, OutboxRow.event_key.type),
        literal(notification.type, OutboxRow.type.type),
        literal(notification.data, OutboxRow.payload.type),
        literal(OutboxStatus.PENDING, OutboxRow.status.type),
        literal(0, OutboxRow.attempts.type),
        literal(now, OutboxRow.next_attempt_at.type),
        literal(now, OutboxRow.created_at.type),
    ]


def _to_message(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(
        id=row.id,
        recipient=Recipient(
            platform=row.recipient_platform,
            kind=row.recipient_kind,
            address=row.recipient_address,
            locale=row.recipient_locale,
            backer_id=row.backer_id,
            community_id=row.community_id,
        ),
        notification=Notification(row.event_key, read_event(row.type, row.payload)),
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        created_at=row.created_at,
        last_error=row.last_error,
        parts_sent=row.parts_sent,
    )
