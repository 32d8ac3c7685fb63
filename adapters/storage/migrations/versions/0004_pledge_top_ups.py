"""Pledge top-ups: a paid flexible pledge raised by a second payment that names it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 11:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    with op.batch_alter_table("pledges") as pledges:
        pledges.add_column(
            sa.Column(
                "tops_up", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )
        pledges.add_column(
            sa.Column("topped_up", sa.BigInteger(), server_default="0", nullable=False)
        )
        pledges.create_foreign_key(
            op.f("fk_pledges_tops_up_pledges"), "pledges", ["tops_up"], ["id"]
        )
        pledges.create_index(op.f("ix_pledges_tops_up"), ["tops_up"], unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("pledges") as pledges:
        pledges.drop_index(op.f("ix_pledges_tops_up"))
        pledges.drop_constraint(op.f("fk_pledges_tops_up_pledges"), type_="foreignkey")
        pledges.drop_column("topped_up")
        pledges.drop_column("tops_up")
