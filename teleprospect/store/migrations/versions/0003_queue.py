"""The queue: scoring rule versions, team settings, callbacks; lead priority and call zones.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:12:04.518220
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Repeated from the models on purpose: a migration never imports the code it migrates.
QUEUE_INDEX_WHERE = "status IN ('new', 'working', 'nurture') AND do_not_call = false"


def upgrade() -> None:
    op.create_table(
        "scoring_rule_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_scoring_rule_set_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_rule_set")),
        sa.UniqueConstraint("version", name=op.f("uq_scoring_rule_set_version")),
    )
    op.create_table(
        "team_setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_team_setting_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_team_setting")),
    )
    op.create_table(
        "callback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at_lead_request", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_callback_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["lead.id"], name=op.f("fk_callback_lead_id_lead"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_callback_owner_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback")),
    )
    with op.batch_alter_table("callback", schema=None) as batch_op:
        batch_op.create_index(
            "ix_callback_open_due_at",
            ["due_at"],
            unique=False,
            sqlite_where=sa.text("done_at IS NULL"),
            postgresql_where=sa.text("done_at IS NULL"),
        )
        batch_op.create_index("ix_callback_lead_id_done_at", ["lead_id", "done_at"], unique=False)

    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Float(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("call_zones", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("inbound", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("scored_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rules_version", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_lead_inbound_attempts_created_at",
            ["inbound", "attempts", "created_at"],
            unique=False,
        )
        batch_op.create_index("ix_lead_call_zones", ["call_zones"], unique=False)
    op.create_index(
        "ix_lead_queue",
        "lead",
        [sa.text("priority DESC"), "id"],
        unique=False,
        sqlite_where=sa.text(QUEUE_INDEX_WHERE),
        postgresql_where=sa.text(QUEUE_INDEX_WHERE),
    )
    # Leads from before this version: their zones as the phone gave them; the campaign
    # country's zones and the priority are filled in by the next re-score.
    op.execute("UPDATE lead SET call_zones = phone_time_zones")


def downgrade() -> None:
    op.drop_index("ix_lead_queue", table_name="lead")
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_call_zones")
        batch_op.drop_index("ix_lead_inbound_attempts_created_at")
        batch_op.drop_column("rules_version")
        batch_op.drop_column("scored_at")
        batch_op.drop_column("inbound")
        batch_op.drop_column("call_zones")
        batch_op.drop_column("priority")

    with op.batch_alter_table("callback", schema=None) as batch_op:
        batch_op.drop_index("ix_callback_lead_id_done_at")
        batch_op.drop_index("ix_callback_open_due_at")

    op.drop_table("callback")
    op.drop_table("team_setting")
    op.drop_table("scoring_rule_set")
