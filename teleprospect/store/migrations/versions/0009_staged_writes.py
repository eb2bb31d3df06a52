"""Long writes in short transactions: the writes under way, the rows they hide until they
are done, and the changes they keep aside for leads that existed before them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-16 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: Tables whose rows a long write adds hidden until it is done.
STAGED_TABLES = (
    "user_account",
    "campaign",
    "lead",
    "engagement_event",
    "import_batch",
    "reassignment_batch",
    "handoff_batch",
)


def upgrade() -> None:
    op.create_table(
        "staged_write",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("about", sa.String(length=500), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("process_started", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staged_write")),
        # Ids are never reused: rows left by a finished write keep its id.
        sqlite_autoincrement=True,
    )
    op.create_table(
        "staged_lead_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staged_write_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("change", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staged_lead_change")),
    )
    with op.batch_alter_table("staged_lead_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_staged_lead_change_staged_write_id_id", ["staged_write_id", "id"], unique=False
        )
    # Plain nullable columns, added in place: SQLite copies no table (a copy would drop the
    # old one, and with it, through foreign keys, the rows that point at it).
    for table in STAGED_TABLES:
        op.add_column(table, sa.Column("staged_write_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Dropped in place too (SQLite 3.35 or newer), for the same reason.
    for table in reversed(STAGED_TABLES):
        op.drop_column(table, "staged_write_id")
    with op.batch_alter_table("staged_lead_change", schema=None) as batch_op:
        batch_op.drop_index("ix_staged_lead_change_staged_write_id_id")
    op.drop_table("staged_lead_change")
    op.drop_table("staged_write")
