"""Secret rewards: a tier with a code is listed nowhere, offered only through its link.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 03:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    with op.batch_alter_table("reward_tiers") as tiers:
        tiers.add_column(sa.Column("secret_code", sa.String(length=16), nullable=True))
        tiers.create_unique_constraint(op.f("uq_reward_tiers_secret_code"), ["secret_code"])


def downgrade() -> None:
    """Downgrade the schema: secret rewards become listed ones."""
    with op.batch_alter_table("reward_tiers") as tiers:
        tiers.drop_constraint(op.f("uq_reward_tiers_secret_code"), type_="unique")
        tiers.drop_column("secret_code")
