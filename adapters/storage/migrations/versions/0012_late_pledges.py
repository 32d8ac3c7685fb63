"""Late pledges: a campaign that succeeded takes pledges for a while, counted apart.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 02:50:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    with op.batch_alter_table("campaigns") as campaigns:
        campaigns.add_column(sa.Column("late_until", sa.DateTime(timezone=True), nullable=True))
        campaigns.add_column(
            sa.Column("late_raised", sa.BigInteger(), server_default="0", nullable=False)
        )
        campaigns.add_column(
            sa.Column("late_backers", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("reward_tiers") as tiers:
        tiers.add_column(sa.Column("late_amount", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("pledges") as pledges:
        pledges.add_column(
            sa.Column("late", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    """Downgrade the schema: late pledges become plain ones, their figures forgotten."""
    with op.batch_alter_table("pledges") as pledges:
        pledges.drop_column("late")
    with op.batch_alter_table("reward_tiers") as tiers:
        tiers.drop_column("late_amount")
    with op.batch_alter_table("campaigns") as campaigns:
        campaigns.drop_column("late_backers")
        campaigns.drop_column("late_raised")
        campaigns.drop_column("late_until")
