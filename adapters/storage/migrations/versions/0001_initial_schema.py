"""Initial schema: campaigns, tiers, backers, pledges, follows, communities, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-27 09:35:47.284791

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "backers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "platform",
            sa.Enum(
                "telegram",
                "discord",
                name="platform",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("chosen_locale", sa.String(length=16), nullable=True),
        sa.Column("referral_code", sa.String(length=32), nullable=False),
        sa.Column("reachable", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backers")),
        sa.UniqueConstraint("platform", "user_id", name=op.f("uq_backers_platform_user_id")),
        sa.UniqueConstraint("referral_code", name=op.f("uq_backers_referral_code")),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("blurb", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("creator_name", sa.String(length=80), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("image_url", sa.String(length=2048), nullable=True),
        sa.Column("goal_amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "funding_model",
            sa.Enum(
                "all_or_nothing",
                "flexible",
                name="funding_model",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "live",
                "successful",
                "failed",
                "cancelled",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("staff_pick", sa.Boolean(), nullable=False),
        sa.Column("stretch_goals", sa.JSON(), nullable=False),
        sa.Column("raised", sa.BigInteger(), nullable=False),
        sa.Column("backers_count", sa.Integer(), nullable=False),
        sa.CheckConstraint("goal_amount > 0", name=op.f("ck_campaigns_goal_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("slug", name=op.f("uq_campaigns_slug")),
    )
    op.create_index("ix_campaigns_status_ends_at", "campaigns", ["status", "ends_at"], unique=False)

    op.create_table(
        "communities",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "platform",
            sa.Enum(
                "telegram",
                "discord",
                name="platform",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("announce_channel_id", sa.String(length=64), nullable=True),
        sa.Column("announcements", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communities")),
        sa.UniqueConstraint("platform", "chat_id", name=op.f("uq_communities_platform_chat_id")),
    )
    op.create_table(
        "payment_events",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_payment_events")),
    )
    op.create_table(
        "campaign_creators",
        sa.Column(
            "campaign_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "platform",
            sa.Enum(
                "telegram",
                "discord",
                name="platform",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_creators_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "campaign_id", "platform", "user_id", name=op.f("pk_campaign_creators")
        ),
    )
    op.create_index(
        "ix_campaign_creators_platform_user_id",
        "campaign_creators",
        ["platform", "user_id"],
        unique=False,
    )

    op.create_table(
        "community_campaigns",
        sa.Column(
            "community_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "campaign_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_community_campaigns_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_campaigns_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", "campaign_id", name=op.f("pk_community_campaigns")),
    )
    op.create_index(
        op.f("ix_community_campaigns_campaign_id"),
        "community_campaigns",
        ["campaign_id"],
        unique=False,
    )

    op.create_table(
        "creator_updates",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "campaign_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "author_platform",
            sa.Enum(
                "telegram",
                "discord",
                name="author_platform",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("author_user_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "audience",
            sa.Enum(
                "everyone",
                "backers",
                name="audience",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_creator_updates_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_creator_updates")),
    )
    op.create_index(
        op.f("ix_creator_updates_campaign_id"), "creator_updates", ["campaign_id"], unique=False
    )

    op.create_table(
        "follows",
        sa.Column(
            "backer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "campaign_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("muted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["backer_id"],
            ["backers.id"],
            name=op.f("fk_follows_backer_id_backers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_follows_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("backer_id", "campaign_id", name=op.f("pk_follows")),
    )
    op.create_index(op.f("ix_follows_campaign_id"), "follows", ["campaign_id"], unique=False)

    op.create_table(
        "milestones",
        sa.Column(
            "campaign_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "percent",
                "stretch",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("reached_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_milestones_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "kind", "value", name=op.f("pk_milestones")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event_key", sa.String(length=255), nullable=False),
        sa.Column(
            "recipient_platform",
            sa.Enum(
                "telegram",
                "discord",
                name="recipient_platform",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "recipient_kind",
            sa.Enum(
                "user",
                "channel",
                name="recipient_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("recipient_address", sa.String(length=64), nullable=False),
        sa.Column("recipient_locale", sa.String(length=16), nullable=False),
        sa.Column("backer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "community_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "sending",
                "sent",
                "dead",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["backer_id"], ["backers.id"], name=op.f("fk_outbox_backer_id_backers")
        ),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_outbox_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint(
            "event_key",
            "recipient_platform",
            "recipient_kind",
            "recipient_address",
            name="uq_outbox_event_recipient",
        ),
    )
    op.create_index(
        "ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"], unique=False
    )

    op.create_table(
        "reward_tiers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "campaign_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("quantity_limit", sa.Integer(), nullable=True),
        sa.Column("claimed", sa.Integer(), nullable=False),
        sa.Column("estimated_delivery", sa.Date(), nullable=True),
        sa.Column("ships", sa.Boolean(), nullable=False),
        sa.Column("ship_countries", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("claimed >= 0", name=op.f("ck_reward_tiers_claimed_not_negative")),
        sa.CheckConstraint(
            "quantity_limit IS NULL OR claimed <= quantity_limit",
            name=op.f("ck_reward_tiers_claimed_within_limit"),
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_reward_tiers_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_tiers")),
    )
    op.create_index(
        op.f("ix_reward_tiers_campaign_id"), "reward_tiers", ["campaign_id"], unique=False
    )

    op.create_table(
        "pledges",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "backer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "campaign_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("tier_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "authorized",
                "paid",
                "failed",
                "cancelled",
                "refunded",
                "expired",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("referral_code", sa.String(length=32), nullable=True),
        sa.Column("link_key", sa.String(length=255), nullable=True),
        sa.Column("backer_number", sa.Integer(), nullable=True),
        sa.Column("refunded_amount", sa.BigInteger(), nullable=False),
        sa.Column("checkout_session_id", sa.String(length=255), nullable=True),
        sa.Column("payment_intent_id", sa.String(length=255), nullable=True),
        sa.Column("customer_id", sa.String(length=255), nullable=True),
        sa.Column("payment_method_id", sa.String(length=255), nullable=True),
        sa.Column("shipping_address", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_pledges_amount_positive")),
        sa.CheckConstraint(
            "refunded_amount BETWEEN 0 AND amount", name=op.f("ck_pledges_refund_within_amount")
        ),
        sa.ForeignKeyConstraint(
            ["backer_id"], ["backers.id"], name=op.f("fk_pledges_backer_id_backers")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_pledges_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["tier_id"], ["reward_tiers.id"], name=op.f("fk_pledges_tier_id_reward_tiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledges")),
        sa.UniqueConstraint("link_key", name=op.f("uq_pledges_link_key")),
    )
    op.create_index(op.f("ix_pledges_backer_id"), "pledges", ["backer_id"], unique=False)
    op.create_index(
        "ix_pledges_campaign_id_status", "pledges", ["campaign_id", "status"], unique=False
    )
    op.create_index(
        "ix_pledges_status_created_at", "pledges", ["status", "created_at"], unique=False
    )
    op.create_index(
        op.f("ix_pledges_checkout_session_id"), "pledges", ["checkout_session_id"], unique=False
    )
    op.create_index(
        op.f("ix_pledges_payment_intent_id"), "pledges", ["payment_intent_id"], unique=False
    )


def downgrade() -> None:
    """Downgrade the schema (dropping a table drops its indexes)."""
    op.drop_table("pledges")
    op.drop_table("reward_tiers")
    op.drop_table("outbox")
    op.drop_table("milestones")
    op.drop_table("follows")
    op.drop_table("creator_updates")
    op.drop_table("community_campaigns")
    op.drop_table("campaign_creators")
    op.drop_table("payment_events")
    op.drop_table("communities")
    op.drop_table("campaigns")
    op.drop_table("backers")
