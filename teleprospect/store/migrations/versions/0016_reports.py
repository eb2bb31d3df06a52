"""Indexes for the team lead's reports: a lead's first attempt and connect, the calls of
a date range, and the leads made sales-ready in one, each read from its index alone.

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-22 09:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_call_lead_id_started_at_disposition", "call", ["lead_id", "started_at", "disposition"]),
    (
        "ix_call_report",
        "call",
        ["started_at", "user_id", "disposition", "duration_s", "ended_at", "lead_id"],
    ),
    ("ix_lead_history_report", "lead_history", ["kind", "to_value", "at", "user_id", "lead_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
