"""Nurture touches as work: one row per scheduled step, paused enrolments, and the reason
a callback shows in the queue (a lead that responded to nurture).

Revision ID: 0015
Revises: 0014
Create Date: 2027-01-11 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_OPEN = "state = 'open'"


def upgrade() -> None:
    op.create_table(
        "nurture_touch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("follow_up", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("postponed", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
            name=op.f("fk_nurture_touch_call_id_call"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"],
            ["user_account.id"],
            name=op.f("fk_nurture_touch_done_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["nurture_enrollment.id"],
            name=op.f("fk_nurture_touch_enrollment_id_nurture_enrollment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["lead.id"], name=op.f("fk_nurture_touch_lead_id_lead"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_nurture_touch_owner_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nurture_touch")),
    )
    with op.batch_alter_table("nurture_touch", schema=None) as batch_op:
        batch_op.create_index(
            "uq_nurture_touch_enrollment_id_step_index_follow_up",
            ["enrollment_id", "step_index", "follow_up"],
            unique=True,
        )
        batch_op.create_index(
            "ix_nurture_touch_open_lead_id_due_at",
            ["lead_id", "due_at"],
            unique=False,
            sqlite_where=sa.text(_OPEN),
            postgresql_where=sa.text(_OPEN),
        )
        batch_op.create_index(
            "ix_nurture_touch_open_owner_id_due_at",
            ["owner_id", "due_at"],
            unique=False,
            sqlite_where=sa.text(_OPEN),
            postgresql_where=sa.text(_OPEN),
        )
        batch_op.create_index(
            "ix_nurture_touch_open_due_at",
            ["due_at"],
            unique=False,
            sqlite_where=sa.text(_OPEN),
            postgresql_where=sa.text(_OPEN),
        )
        batch_op.create_index("ix_nurture_touch_lead_id_id", ["lead_id", "id"], unique=False)
    # Plain nullable columns, added in place (SQLite copies no table).
    op.add_column(
        "nurture_enrollment", sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("nurture_enrollment", sa.Column("pause_reason", sa.Text(), nullable=True))
    op.add_column(
        "nurture_enrollment", sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("callback", sa.Column("queue_reason", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column("callback", "queue_reason")
    op.drop_column("nurture_enrollment", "responded_at")
    op.drop_column("nurture_enrollment", "pause_reason")
    op.drop_column("nurture_enrollment", "paused_at")
    with op.batch_alter_table("nurture_touch", schema=None) as batch_op:
        for name in (
            "ix_nurture_touch_lead_id_id",
            "ix_nurture_touch_open_due_at",
            "ix_nurture_touch_open_owner_id_due_at",
            "ix_nurture_touch_open_lead_id_due_at",
            "uq_nurture_touch_enrollment_id_step_index_follow_up",
        ):
            batch_op.drop_index(name)
    op.drop_table("nurture_touch")
