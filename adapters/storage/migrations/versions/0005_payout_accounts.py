"""Payout accounts: creators' accounts with the provider, and where each pledge's money goes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 14:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "payout_accounts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("account_id", sa.String(length=255), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("charges_enabled", sa.Boolean(), nullable=False),
        sa.Column("payouts_enabled", sa.Boolean(), nullable=False),
        sa.Column("details_submitted", sa.Boolean(), nullable=False),
        sa.Column("currently_due", sa.JSON(), nullable=False),
        sa.Column("state_as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payout_accounts")),
        sa.UniqueConstraint("account_id", name=op.f("uq_payout_accounts_account_id")),
    )
    op.create_table(
        "payout_account_identities",
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
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["payout_accounts.id"],
            name=op.f("fk_payout_account_identities_account_id_payout_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("platform", "user_id", name=op.f("pk_payout_account_identities")),
    )
    op.create_index(
        op.f("ix_payout_account_identities_account_id"),
        "payout_account_identities",
        ["account_id"],
        unique=False,
    )
    with op.batch_alter_table("pledges") as pledges:
        pledges.add_column(sa.Column("payout_account", sa.String(length=255), nullable=True))
        pledges.add_column(sa.Column("fee", sa.BigInteger(), server_default="0", nullable=False))
        pledges.add_column(sa.Column("transfer_id", sa.String(length=255), nullable=True))
        pledges.add_column(
            sa.Column(
                "dispute",
                sa.Enum(
                    "open",
                    "won",
                    "lost",
                    name="dispute",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )
        pledges.add_column(
            sa.Column("disputed_amount", sa.BigInteger(), server_default="0", nullable=False)
        )
        pledges.create_check_constraint(
            op.f("ck_pledges_fee_within_amount"), "fee >= 0 AND fee <= amount"
        )
        pledges.create_check_constraint(
            op.f("ck_pledges_dispute_within_amount"), "disputed_amount BETWEEN 0 AND amount"
        )


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("pledges") as pledges:
        pledges.drop_constraint(op.f("ck_pledges_dispute_within_amount"), type_="check")
        pledges.drop_constraint(op.f("ck_pledges_fee_within_amount"), type_="check")
        pledges.drop_constraint(op.f("ck_pledges_dispute"), type_="check")
        pledges.drop_column("disputed_amount")
        pledges.drop_column("dispute")
        pledges.drop_column("transfer_id")
        pledges.drop_column("fee")
        pledges.drop_column("payout_account")
    op.drop_index(
        op.f("ix_payout_account_identities_account_id"), table_name="payout_account_identities"
    )
    op.drop_table("payout_account_identities")
    op.drop_table("payout_accounts")
