"""The call workspace: script versions, call details and answers, known answers, nurture
tracks and enrolments; more kinds of lead history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:41:19.305114
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Repeated from the domain on purpose: a migration never imports the code it migrates.
OLD_HISTORY_KINDS = ("status", "owner", "do_not_call")
NEW_HISTORY_KINDS = (*OLD_HISTORY_KINDS, "nurture", "callback", "contact")
DECISION_KINDS = ("sales_ready", "exception", "nurture", "callback", "disqualify", "do_not_call")


def _history_kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(
        *values, name="historykind", native_enum=False, create_constraint=True, length=24
    )


def upgrade() -> None:
    op.create_table(
        "script_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user_account.id"],
            name=op.f("fk_script_version_published_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_script_version")),
        sa.UniqueConstraint("version", name=op.f("uq_script_version_version")),
    )
    op.create_table(
        "nurture_track",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nurture_track")),
        sa.UniqueConstraint("key", name=op.f("uq_nurture_track_key")),
    )

    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duration_s", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("dialed_number", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("script_version_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "decision_kind",
                sa.Enum(
                    *DECISION_KINDS,
                    name="decisionkind",
                    native_enum=False,
                    create_constraint=True,
                    length=24,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("decision_reason", sa.Text(), nullable=False, server_default="")
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_call_script_version_id_script_version"),
            "script_version",
            ["script_version_id"],
            ["id"],
        )

    op.create_table(
        "call_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["call.id"], name=op.f("fk_call_answer_call_id_call"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_answer")),
        sa.UniqueConstraint("call_id", "question_id", name=op.f("uq_call_answer_call_id")),
    )
    op.create_table(
        "lead_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["user_account.id"],
            name=op.f("fk_lead_answer_answered_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["call.id"], name=op.f("fk_lead_answer_call_id_call"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["lead.id"], name=op.f("fk_lead_answer_lead_id_lead"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_answer")),
        sa.UniqueConstraint("lead_id", "question_id", name=op.f("uq_lead_answer_lead_id")),
    )
    op.create_table(
        "nurture_enrollment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enrolled_by_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("next_touch_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "step_index >= 0", name=op.f("ck_nurture_enrollment_step_index_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["enrolled_by_id"],
            ["user_account.id"],
            name=op.f("fk_nurture_enrollment_enrolled_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["lead.id"],
            name=op.f("fk_nurture_enrollment_lead_id_lead"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["nurture_track.id"],
            name=op.f("fk_nurture_enrollment_track_id_nurture_track"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nurture_enrollment")),
    )
    with op.batch_alter_table("nurture_enrollment", schema=None) as batch_op:
        batch_op.create_index(
            "uq_nurture_enrollment_open_lead_id",
            ["lead_id"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )
        batch_op.create_index(
            "ix_nurture_enrollment_lead_id_enrolled_at", ["lead_id", "enrolled_at"], unique=False
        )
        batch_op.create_index(
            "ix_nurture_enrollment_open_next_touch_at",
            ["next_touch_at"],
            unique=False,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )

    op.create_index(
        "ix_lead_possible_duplicate_of_id",
        "lead",
        ["possible_duplicate_of_id"],
        unique=False,
        sqlite_where=sa.text("possible_duplicate_of_id IS NOT NULL"),
        postgresql_where=sa.text("possible_duplicate_of_id IS NOT NULL"),
    )

    # History kinds are checked by the database: widen the check to the new kinds.
    with op.batch_alter_table("lead_history", schema=None) as batch_op:
        batch_op.alter_column(
            "kind",
            existing_type=_history_kind(OLD_HISTORY_KINDS),
            type_=_history_kind(NEW_HISTORY_KINDS),
            existing_nullable=False,
        )


def downgrade() -> None:
    op.execute(
        "DELETE FROM lead_history WHERE kind NOT IN ("
        + ", ".join(f"'{kind}'" for kind in OLD_HISTORY_KINDS)
        + ")"
    )
    with op.batch_alter_table("lead_history", schema=None) as batch_op:
        batch_op.alter_column(
            "kind",
            existing_type=_history_kind(NEW_HISTORY_KINDS),
            type_=_history_kind(OLD_HISTORY_KINDS),
            existing_nullable=False,
        )
    op.drop_index("ix_lead_possible_duplicate_of_id", table_name="lead")
    with op.batch_alter_table("nurture_enrollment", schema=None) as batch_op:
        batch_op.drop_index("ix_nurture_enrollment_open_next_touch_at")
        batch_op.drop_index("ix_nurture_enrollment_lead_id_enrolled_at")
        batch_op.drop_index("uq_nurture_enrollment_open_lead_id")
    op.drop_table("nurture_enrollment")
    op.drop_table("lead_answer")
    op.drop_table("call_answer")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_call_script_version_id_script_version"), type_="foreignkey"
        )
        batch_op.drop_column("decision_reason")
        # SQLite's copy of the table would otherwise keep the check of a dropped column.
        batch_op.drop_constraint(batch_op.f("ck_call_decisionkind"), type_="check")
        batch_op.drop_column("decision_kind")
        batch_op.drop_column("script_version_id")
        batch_op.drop_column("dialed_number")
        batch_op.drop_column("duration_s")
    op.drop_table("nurture_track")
    op.drop_table("script_version")
