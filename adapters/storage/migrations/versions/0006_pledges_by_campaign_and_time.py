"""A campaign's pledges indexed by status and time, so trending counts only recent ones.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 14:45:00.000000

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    with op.batch_alter_table("pledges") as pledges:
        pledges.create_index(
            op.f("ix_pledges_campaign_id_status_created_at"),
            ["campaign_id", "status", "created_at"],
            unique=False,
        )
        pledges.drop_index(op.f("ix_pledges_campaign_id_status"))


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("pledges") as pledges:
        pledges.create_index(
            op.f("ix_pledges_campaign_id_status"), ["campaign_id", "status"], unique=False
        )
        pledges.drop_index(op.f("ix_pledges_campaign_id_status_created_at"))
