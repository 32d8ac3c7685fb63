"""Campaigns in review, and coming soon before their launch.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 02:30:00.000000

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("draft", "live", "successful", "failed", "cancelled")
AFTER = ("draft", "in_review", "coming_soon", "live", "successful", "failed", "cancelled")


def _statuses(allowed: Sequence[str]) -> None:
    # SQLite cannot alter a CHECK in place; batch mode copies the table with the new one.
    listed = ", ".join(f"'{status}'" for status in allowed)
    with op.batch_alter_table("campaigns") as campaigns:
        campaigns.drop_constraint(op.f("ck_campaigns_status"), type_="check")
        campaigns.create_check_constraint(op.f("ck_campaigns_status"), f"status IN ({listed})")


def upgrade() -> None:
    """Upgrade the schema."""
    _statuses(AFTER)


def downgrade() -> None:
    """Downgrade the schema: campaigns in review go back to drafts, coming soon ones to live."""
    op.execute("UPDATE campaigns SET status = 'draft' WHERE status = 'in_review'")
    op.execute("UPDATE campaigns SET status = 'live' WHERE status = 'coming_soon'")
    _statuses(BEFORE)
