"""Reward windows: a tier may open and close at given moments (an early bird).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 01:15:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    with op.batch_alter_table("reward_tiers") as tiers:
        tiers.add_column(sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True))
        tiers.add_column(sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("reward_tiers") as tiers:
        tiers.drop_column("closes_at")
        tiers.drop_column("opens_at")
