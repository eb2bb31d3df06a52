"""Initial schema: users, campaigns, leads, calls, lead history, do-not-call list.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 10:38:55.581621
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "webinar",
                "white_paper",
                "trade_show",
                "contact_form",
                "email",
                "other",
                name="campaignchannel",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("offer", sa.Text(), nullable=False),
        sa.Column("default_region", sa.String(length=2), nullable=False),
        sa.Column("starts_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
        sa.UniqueConstraint("name", name=op.f("uq_campaign_name")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "teleprospector",
                "team_lead",
                name="userrole",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("login", name=op.f("uq_user_account_login")),
    )
    op.create_table(
        "do_not_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone_e164", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "phone_e164 IS NOT NULL OR email IS NOT NULL",
            name=op.f("ck_do_not_call_phone_or_email"),
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["user_account.id"],
            name=op.f("fk_do_not_call_added_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_do_not_call")),
        sa.UniqueConstraint("email", name=op.f("uq_do_not_call_email")),
        sa.UniqueConstraint("phone_e164", name=op.f("uq_do_not_call_phone_e164")),
    )
    op.create_table(
        "lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("company_size", sa.Integer(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("phone_raw", sa.String(length=64), nullable=False),
        sa.Column("phone_e164", sa.String(length=20), nullable=True),
        sa.Column("phone_extension", sa.String(length=16), nullable=True),
        sa.Column("phone_valid", sa.Boolean(), nullable=False),
        sa.Column("phone_type", sa.String(length=24), nullable=True),
        sa.Column("phone_time_zones", sa.Text(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "working",
                "sales_ready",
                "handed_off",
                "accepted",
                "rejected",
                "nurture",
                "disqualified",
                name="leadstatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("next_action_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by_id", sa.Integer(), nullable=True),
        sa.Column("claim_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("do_not_call", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_lead_attempts_not_negative")),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_lead_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["claimed_by_id"], ["user_account.id"], name=op.f("fk_lead_claimed_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_lead_owner_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead")),
    )
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_email"), ["email"], unique=False)
        batch_op.create_index("ix_lead_owner_id_status", ["owner_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_phone_e164"), ["phone_e164"], unique=False)
        batch_op.create_index(
            "ix_lead_status_next_action_at", ["status", "next_action_at"], unique=False
        )

    op.create_table(
        "call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "disposition",
            sa.Enum(
                "connected",
                "no_answer",
                "voicemail_left",
                "busy",
                "wrong_number",
                "gatekeeper",
                "callback_requested",
                "not_interested",
                "do_not_call",
                name="disposition",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["lead.id"], name=op.f("fk_call_lead_id_lead"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_call_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call")),
    )
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.create_index("ix_call_lead_id_started_at", ["lead_id", "started_at"], unique=False)
        batch_op.create_index("ix_call_user_id_started_at", ["user_id", "started_at"], unique=False)

    op.create_table(
        "lead_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "status",
                "owner",
                "do_not_call",
                name="historykind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("from_value", sa.String(length=100), nullable=True),
        sa.Column("to_value", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["lead.id"], name=op.f("fk_lead_history_lead_id_lead"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_lead_history_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_history")),
    )
    with op.batch_alter_table("lead_history", schema=None) as batch_op:
        batch_op.create_index("ix_lead_history_lead_id_at", ["lead_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lead_history", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_history_lead_id_at")

    op.drop_table("lead_history")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_index("ix_call_user_id_started_at")
        batch_op.drop_index("ix_call_lead_id_started_at")

    op.drop_table("call")
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_status_next_action_at")
        batch_op.drop_index(batch_op.f("ix_lead_phone_e164"))
        batch_op.drop_index("ix_lead_owner_id_status")
        batch_op.drop_index(batch_op.f("ix_lead_email"))
        batch_op.drop_index(batch_op.f("ix_lead_campaign_id"))

    op.drop_table("lead")
    op.drop_table("do_not_call")
    op.drop_table("user_account")
    op.drop_table("campaign")
