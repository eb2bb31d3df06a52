"""Team leads: reassignment batches and their moves, hand-off batches and their leads with
sales' verdicts; lead history read by user.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 09:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Repeated from the domain on purpose: a migration never imports the code it migrates.
EXPORT_FORMATS = ("salesforce", "hubspot", "full")
VERDICTS = ("accepted", "rejected")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


def upgrade() -> None:
    op.create_table(
        "reassignment_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("spread", sa.String(length=16), nullable=False),
        sa.Column("selection", sa.Text(), nullable=False),
        sa.Column("moved", sa.Integer(), nullable=False),
        sa.Column("skipped_claimed", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("undo_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["undone_by_id"],
            ["user_account.id"],
            name=op.f("fk_reassignment_batch_undone_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_reassignment_batch_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reassignment_batch")),
    )
    op.create_table(
        "reassignment_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("from_owner_id", sa.Integer(), nullable=True),
        sa.Column("to_owner_id", sa.Integer(), nullable=False),
        sa.Column("callbacks", sa.JSON(), nullable=False),
        sa.Column("enrollments", sa.JSON(), nullable=False),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["reassignment_batch.id"],
            name=op.f("fk_reassignment_move_batch_id_reassignment_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_owner_id"],
            ["user_account.id"],
            name=op.f("fk_reassignment_move_from_owner_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["lead.id"],
            name=op.f("fk_reassignment_move_lead_id_lead"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_owner_id"],
            ["user_account.id"],
            name=op.f("fk_reassignment_move_to_owner_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reassignment_move")),
    )
    with op.batch_alter_table("reassignment_move", schema=None) as batch_op:
        batch_op.create_index("ix_reassignment_move_batch_id", ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_reassignment_move_lead_id_batch_id", ["lead_id", "batch_id"], unique=False
        )

    op.create_table(
        "handoff_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("format", _enum(EXPORT_FORMATS, "exportformat"), nullable=False),
        sa.Column("file_path", sa.String(length=1000), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("leads", sa.Integer(), nullable=False),
        sa.Column("selection", sa.Text(), nullable=False),
        sa.Column("again", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_handoff_batch_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_batch")),
    )
    op.create_table(
        "handoff_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("verdict", _enum(VERDICTS, "verdict"), nullable=True),
        sa.Column("verdict_reason", sa.Text(), nullable=False),
        sa.Column("verdict_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verdict_recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verdict_by_id", sa.Integer(), nullable=True),
        sa.Column("verdict_source", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["handoff_batch.id"],
            name=op.f("fk_handoff_item_batch_id_handoff_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["lead.id"], name=op.f("fk_handoff_item_lead_id_lead"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["verdict_by_id"],
            ["user_account.id"],
            name=op.f("fk_handoff_item_verdict_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_item")),
        sa.UniqueConstraint("reference", name=op.f("uq_handoff_item_reference")),
    )
    with op.batch_alter_table("handoff_item", schema=None) as batch_op:
        batch_op.create_index("ix_handoff_item_batch_id", ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_handoff_item_lead_id_batch_id", ["lead_id", "batch_id"], unique=False
        )

    with op.batch_alter_table("lead_history", schema=None) as batch_op:
        batch_op.create_index("ix_lead_history_user_id_at", ["user_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lead_history", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_history_user_id_at")

    with op.batch_alter_table("handoff_item", schema=None) as batch_op:
        batch_op.drop_index("ix_handoff_item_lead_id_batch_id")
        batch_op.drop_index("ix_handoff_item_batch_id")
    op.drop_table("handoff_item")
    op.drop_table("handoff_batch")

    with op.batch_alter_table("reassignment_move", schema=None) as batch_op:
        batch_op.drop_index("ix_reassignment_move_lead_id_batch_id")
        batch_op.drop_index("ix_reassignment_move_batch_id")
    op.drop_table("reassignment_move")
    op.drop_table("reassignment_batch")
