"""Work through a server outage: calls carry the workstation's id for them, and the calls a
workstation kept while the server was away are recorded as they arrive (applied, or held
for review).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-14 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Repeated from the domain on purpose: a migration never imports the code it migrates.
OFFLINE_OUTCOMES = ("applied", "review", "discarded")


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_action_id", sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_call_client_action_id"), ["client_action_id"]
        )

    op.create_table(
        "offline_action",
        sa.Column("client_action_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("based_on_version", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                *OFFLINE_OUTCOMES,
                name="offlineoutcome",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
            name=op.f("fk_offline_action_call_id_call"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["lead.id"],
            name=op.f("fk_offline_action_lead_id_lead"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["user_account.id"],
            name=op.f("fk_offline_action_resolved_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_offline_action_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("client_action_id", name=op.f("pk_offline_action")),
    )
    with op.batch_alter_table("offline_action", schema=None) as batch_op:
        batch_op.create_index(
            "ix_offline_action_outcome_user_id", ["outcome", "user_id"], unique=False
        )
        batch_op.create_index("ix_offline_action_lead_id", ["lead_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("offline_action", schema=None) as batch_op:
        batch_op.drop_index("ix_offline_action_lead_id")
        batch_op.drop_index("ix_offline_action_outcome_user_id")
    op.drop_table("offline_action")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_call_client_action_id"), type_="unique")
        batch_op.drop_column("client_action_id")
