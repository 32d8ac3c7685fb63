"""The database schema as declarative models; Alembic migrations are generated from it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from adapters.storage.utc_datetime import UtcDateTime
from core.campaigns import CampaignStatus, FundingModel
from core.identity import Platform
from core.milestones import MilestoneKind
from core.outbox import OutboxStatus, RecipientKind
from core.payouts import DisputeState
from core.pledges import PledgeStatus
from core.updates import UpdateAudience

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# 64-bit ids on PostgreSQL; SQLite only autoincrements a column declared exactly INTEGER.
Id = BigInteger().with_variant(Integer(), "sqlite")

PLATFORM_ID = 64
LOCALE = 16
STRIPE_ID = 255


def _values(members: type[StrEnum]) -> list[str]:
    return [member.value for member in members]


def _enum(members: type[StrEnum], name: str) -> Enum:
    """An enum stored as its string values, guarded by a named CHECK constraint."""
    return Enum(
        members,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=_values,
        validate_strings=True,
    )


class Base(DeclarativeBase):
    """Declarative base carrying the constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime()}


class CampaignRow(Base):
    """A campaign and its running total."""

    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint("goal_amount > 0", name="goal_positive"),
        Index("ix_campaigns_status_ends_at", "status", "ends_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(80))
    blurb: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    creator_name: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(32))
    image_url: Mapped[str | None] = mapped_column(String(2048))
    goal_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    funding_model: Mapped[FundingModel] = mapped_column(_enum(FundingModel, "funding_model"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[CampaignStatus] = mapped_column(_enum(CampaignStatus, "status"))
    staff_pick: Mapped[bool] = mapped_column(Boolean)
    stretch_goals: Mapped[list[int]] = mapped_column(JSON)
    raised: Mapped[int] = mapped_column(BigInteger)
    backers_count: Mapped[int] = mapped_column(Integer)
    # When followers were told the deadline is near; set once, so they are told once.
    reminded_at: Mapped[datetime | None]
    # Late pledges after it succeeded: taken until then, and what they raised, counted apart.
    late_until: Mapped[datetime | None]
    late_raised: Mapped[int] = mapped_column(BigInteger, server_default="0")
    late_backers: Mapped[int] = mapped_column(Integer, server_default="0")

    # lazy="raise": under asyncio a lazy load is an error, so every read must load these eagerly.
    tiers: Mapped[list[RewardTierRow]] = relationship(
        lazy="raise", order_by="(RewardTierRow.position, RewardTierRow.id)"
    )
    creators: Mapped[list[CampaignCreatorRow]] = relationship(
        lazy="raise", order_by="CampaignCreatorRow.position"
    )
    # Campaigns are read with their cover's digest only: the image is read when it is drawn.
    cover: Mapped[CampaignCoverRow | None] = relationship(lazy="raise")


class CampaignCoverRow(Base):
    """The cover Backit keeps for a campaign: a JPEG it made from the creator's picture."""

    __tablename__ = "campaign_covers"

    campaign_id: Mapped[int] = mapped_column(
        Id, ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(16), index=True)


class CampaignCreatorRow(Base):
    """One platform identity that owns a campaign."""

    __tablename__ = "campaign_creators"
    __table_args__ = (Index("ix_campaign_creators_platform_user_id", "platform", "user_id"),)

    campaign_id: Mapped[int] = mapped_column(
        Id, ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[Platform] = mapped_column(_enum(Platform, "platform"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True)
    # Keeps the identities in the order the creator gave them.
    position: Mapped[int] = mapped_column(Integer)


class RewardTierRow(Base):
    """A reward tier and its claimed stock."""

    __tablename__ = "reward_tiers"
    __table_args__ = (
        CheckConstraint("claimed >= 0", name="claimed_not_negative"),
        CheckConstraint(
            "quantity_limit IS NULL OR claimed <= quantity_limit", name="claimed_within_limit"
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        Id, ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[int] = mapped_column(BigInteger)
    quantity_limit: Mapped[int | None] = mapped_column(Integer)
    claimed: Mapped[int] = mapped_column(Integer)
    estimated_delivery: Mapped[date | None] = mapped_column(Date)
    ships: Mapped[bool] = mapped_column(Boolean)
    ship_countries: Mapped[list[str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    # The price to late backers; NULL: not offered late.
    late_amount: Mapped[int | None] = mapped_column(BigInteger)
    secret_code: Mapped[str | None] = mapped_column(String(16), unique=True)


class BackerRow(Base):
    """A person on one platform."""

    __tablename__ = "backers"
    __table_args__ = (UniqueConstraint("platform", "user_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    platform: Mapped[Platform] = mapped_column(_enum(Platform, "platform"))
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    display_name: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(LOCALE))
    chosen_locale: Mapped[str | None] = mapped_column(String(LOCALE))
    referral_code: Mapped[str] = mapped_column(String(32), unique=True)
    reachable: Mapped[bool] = mapped_column(Boolean)


class PledgeRow(Base):
    """A pledge, its status and the payment provider's references."""

    __tablename__ = "pledges"
    __table_args__ = (
        # A campaign's pledges of some statuses, and (trending) those of the last hours: with
        # the time in the index, counting a campaign's recent pledges reads only them.
        Index("ix_pledges_campaign_id_status_created_at", "campaign_id", "status", "created_at"),
        # Finds checkouts abandoned while pending.
        Index("ix_pledges_status_created_at", "status", "created_at"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("refunded_amount BETWEEN 0 AND amount", name="refund_within_amount"),
        CheckConstraint("fee >= 0 AND fee <= amount", name="fee_within_amount"),
        CheckConstraint("disputed_amount BETWEEN 0 AND amount", name="dispute_within_amount"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    backer_id: Mapped[int] = mapped_column(Id, ForeignKey("backers.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(Id, ForeignKey("campaigns.id"))
    tier_id: Mapped[int | None] = mapped_column(Id, ForeignKey("reward_tiers.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[PledgeStatus] = mapped_column(_enum(PledgeStatus, "status"))
    referral_code: Mapped[str | None] = mapped_column(String(32))
    link_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    backer_number: Mapped[int | None] = mapped_column(Integer)
    refunded_amount: Mapped[int] = mapped_column(BigInteger)
    checkout_session_id: Mapped[str | None] = mapped_column(String(STRIPE_ID), index=True)
    payment_intent_id: Mapped[str | None] = mapped_column(String(STRIPE_ID), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(STRIPE_ID))
    payment_method_id: Mapped[str | None] = mapped_column(String(STRIPE_ID))
    shipping_address: Mapped[str | None] = mapped_column(Text)
    # A top-up names the pledge it raises; that pledge counts what its paid top-ups added.
    tops_up: Mapped[int | None] = mapped_column(Id, ForeignKey("pledges.id"), index=True)
    topped_up: Mapped[int] = mapped_column(BigInteger, server_default="0")
    # The creator's account the money is asked for, Backit's fee on it and the transfer that
    # moved it there (the account's provider id: accounts are found by it in events).
    payout_account: Mapped[str | None] = mapped_column(String(STRIPE_ID))
    fee: Mapped[int] = mapped_column(BigInteger, server_default="0")
    transfer_id: Mapped[str | None] = mapped_column(String(STRIPE_ID))
    dispute: Mapped[DisputeState | None] = mapped_column(_enum(DisputeState, "dispute"))
    disputed_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    # Made after the campaign succeeded: counted in its late figures, not its total.
    late: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class FollowRow(Base):
    """A backer following a campaign."""

    __tablename__ = "follows"

    backer_id: Mapped[int] = mapped_column(
        Id, ForeignKey("backers.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int] = mapped_column(
        Id, ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    muted: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]


class CommunityRow(Base):
    """A Telegram chat or Discord server."""

    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("platform", "chat_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    platform: Mapped[Platform] = mapped_column(_enum(Platform, "platform"))
    chat_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    title: Mapped[str] = mapped_column(String(255))
    announce_channel_id: Mapped[str | None] = mapped_column(String(PLATFORM_ID))
    announcements: Mapped[bool] = mapped_column(Boolean)
    locale: Mapped[str] = mapped_column(String(LOCALE))


class CommunityCampaignRow(Base):
    """A campaign linked by a community."""

    __tablename__ = "community_campaigns"

    community_id: Mapped[int] = mapped_column(
        Id, ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int] = mapped_column(
        Id, ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CreatorUpdateRow(Base):
    """News a creator posted."""

    __tablename__ = "creator_updates"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        Id, ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    author_platform: Mapped[Platform] = mapped_column(_enum(Platform, "author_platform"))
    author_user_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    text: Mapped[str] = mapped_column(Text)
    audience: Mapped[UpdateAudience] = mapped_column(_enum(UpdateAudience, "audience"))
    created_at: Mapped[datetime]
    # Where the creator posted from, the status message there, and when to refresh it next
    # (None once the final count is shown).
    report_chat: Mapped[str | None] = mapped_column(String(PLATFORM_ID))
    report_message_id: Mapped[str | None] = mapped_column(String(PLATFORM_ID))
    report_due_at: Mapped[datetime | None] = mapped_column(index=True)


class MilestoneRow(Base):
    """A threshold a campaign reached; the key makes each one announced once."""

    __tablename__ = "milestones"

    campaign_id: Mapped[int] = mapped_column(
        Id, ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[MilestoneKind] = mapped_column(_enum(MilestoneKind, "kind"), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    reached_at: Mapped[datetime]


class OutboxRow(Base):
    """One notification for one recipient, with its delivery state."""

    __tablename__ = "outbox"
    __table_args__ = (
        # Named by hand: the conventional name would pass PostgreSQL's 63-character limit.
        UniqueConstraint(
            "event_key",
            "recipient_platform",
            "recipient_kind",
            "recipient_address",
            name="uq_outbox_event_recipient",
        ),
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    event_key: Mapped[str] = mapped_column(String(255))
    recipient_platform: Mapped[Platform] = mapped_column(_enum(Platform, "recipient_platform"))
    recipient_kind: Mapped[RecipientKind] = mapped_column(_enum(RecipientKind, "recipient_kind"))
    recipient_address: Mapped[str] = mapped_column(String(PLATFORM_ID))
    recipient_locale: Mapped[str] = mapped_column(String(LOCALE))
    backer_id: Mapped[int | None] = mapped_column(Id, ForeignKey("backers.id"))
    community_id: Mapped[int | None] = mapped_column(Id, ForeignKey("communities.id"))
    type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus, "status"))
    attempts: Mapped[int] = mapped_column(Integer)
    parts_sent: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class PaymentEventRow(Base):
    """A payment provider event already applied."""

    __tablename__ = "payment_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    processed_at: Mapped[datetime]


class PaymentAnomalyRow(Base):
    """A payment provider event recorded instead of applied, until an operator resolves it."""

    __tablename__ = "payment_anomalies"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    # None when the event had no usable id (the success page's reading, a malformed event).
    event_id: Mapped[str | None] = mapped_column(String(255))
    event_type: Mapped[str | None] = mapped_column(String(255))
    # Not a foreign key: a malformed event may name a pledge that does not exist.
    pledge_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)


class PayoutAccountRow(Base):
    """A creator's account with the payment provider, as the provider last described it."""

    __tablename__ = "payout_accounts"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    account_id: Mapped[str] = mapped_column(String(STRIPE_ID), unique=True)
    country: Mapped[str] = mapped_column(String(2))
    charges_enabled: Mapped[bool] = mapped_column(Boolean)
    payouts_enabled: Mapped[bool] = mapped_column(Boolean)
    details_submitted: Mapped[bool] = mapped_column(Boolean)
    currently_due: Mapped[list[str]] = mapped_column(JSON)
    # When the provider said so: an older report never overwrites a newer one.
    state_as_of: Mapped[datetime]
    created_at: Mapped[datetime]

    identities: Mapped[list[PayoutAccountIdentityRow]] = relationship(
        lazy="raise", order_by="PayoutAccountIdentityRow.position"
    )


class PayoutAccountIdentityRow(Base):
    """One platform identity a payout account belongs to; an identity has at most one."""

    __tablename__ = "payout_account_identities"

    platform: Mapped[Platform] = mapped_column(_enum(Platform, "platform"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        Id, ForeignKey("payout_accounts.id", ondelete="CASCADE"), index=True
    )
    # Keeps the identities in the order they were given.
    position: Mapped[int] = mapped_column(Integer)


def core_table(model: type[Base]) -> Table:
    """A model's table, for Core statements on hot paths: no ORM objects built or tracked."""
    return Base.metadata.tables[model.__tablename__]


class CacheVersionRow(Base):
    """How often what one kind of cache holds has changed: bumped by each commit changing it."""

    __tablename__ = "cache_versions"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
