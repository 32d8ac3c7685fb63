"""Delivery: resumable long messages, once-only deadline reminders, update delivery reports.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 12:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    with op.batch_alter_table("outbox") as outbox:
        outbox.add_column(
            sa.Column("parts_sent", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("campaigns") as campaigns:
        campaigns.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("creator_updates") as updates:
        updates.add_column(sa.Column("report_chat", sa.String(length=64), nullable=True))
        updates.add_column(sa.Column("report_message_id", sa.String(length=64), nullable=True))
        updates.add_column(sa.Column("report_due_at", sa.DateTime(timezone=True), nullable=True))
        updates.create_index(
            op.f("ix_creator_updates_report_due_at"), ["report_due_at"], unique=False
        )


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("creator_updates") as updates:
        updates.drop_index(op.f("ix_creator_updates_report_due_at"))
        updates.drop_column("report_due_at")
        updates.drop_column("report_message_id")
        updates.drop_column("report_chat")
    with op.batch_alter_table("campaigns") as campaigns:
        campaigns.drop_column("reminded_at")
    with op.batch_alter_table("outbox") as outbox:
        outbox.drop_column("parts_sent")
