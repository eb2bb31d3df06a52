"""Speed at scale: the backlog cut by calling window and owner, so "next lead" at an hour
when few windows are open reads a few index ranges instead of walking past every lead of
the closed zones.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-17 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# As written in 0003: the partial index's condition is part of the schema's history.
QUEUE_INDEX_WHERE = "status IN ('new', 'working', 'nurture') AND do_not_call = false"


def upgrade() -> None:
    op.create_index(
        "ix_lead_zone_queue",
        "lead",
        [
            "call_zones",
            "owner_id",
            sa.text("priority DESC"),
            "id",
            "status",
            "next_action_at",
            "attempts",
            "claimed_by_id",
            "claim_expires_at",
        ],
        unique=False,
        sqlite_where=sa.text(QUEUE_INDEX_WHERE),
        postgresql_where=sa.text(QUEUE_INDEX_WHERE),
    )


def downgrade() -> None:
    op.drop_index("ix_lead_zone_queue", table_name="lead")
