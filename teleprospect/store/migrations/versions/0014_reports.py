"""Indexes for the team lead's reports, each holding all a report reads so that the table
is never touched: the index on a lead's calls by time grows by the outcome (its first
attempt and first connect), the one on a rep's calls by what rep activity sums; new ones
hold the calls of a date range with their leads, and the leads made sales-ready in one.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-22 09:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

#: (name, table, columns before, columns after): indexes that grow.
WIDENED = (
    ("ix_call_lead_id_started_at", "call", ["lead_id", "started_at"], ["disposition"]),
    (
        "ix_call_user_id_started_at",
        "call",
        ["user_id", "started_at"],
        ["disposition", "duration_s", "ended_at"],
    ),
)
NEW = (
    ("ix_call_report", "call", ["started_at", "lead_id", "disposition"]),
    ("ix_lead_history_report", "lead_history", ["kind", "to_value", "at", "user_id", "lead_id"]),
)


def upgrade() -> None:
    for name, table, columns, more in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [*columns, *more])
    for name, table, columns in NEW:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(NEW):
        op.drop_index(name, table_name=table)
    for name, table, columns, _more in reversed(WIDENED):
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
