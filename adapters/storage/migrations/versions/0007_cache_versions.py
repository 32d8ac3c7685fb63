"""Versions of what the in-process caches hold, so every process sees when they are stale.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 16:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    versions = op.create_table(
        "cache_versions",
        sa.Column("name", sa.String(length=16), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_cache_versions")),
    )
    op.bulk_insert(versions, [{"name": "catalog", "version": 0}, {"name": "people", "version": 0}])


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_table("cache_versions")
