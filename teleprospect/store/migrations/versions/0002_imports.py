"""Imports: batches, saved mappings, engagement events, several phones per lead.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:49:51.870373
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "leads",
                "activity",
                name="importkind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_mapping")),
        sa.UniqueConstraint("name", name=op.f("uq_saved_mapping_name")),
    )
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "leads",
                "activity",
                name="importkind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "committed",
                "dry_run",
                "failed",
                "cancelled",
                name="importstatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("encoding", sa.String(length=32), nullable=False),
        sa.Column("delimiter", sa.String(length=4), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("default_region", sa.String(length=2), nullable=False),
        sa.Column("on_duplicate", sa.String(length=16), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("invalid_phones", sa.Integer(), nullable=False),
        sa.Column("dnc", sa.Integer(), nullable=False),
        sa.Column("reject_file", sa.String(length=1000), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_import_batch_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_import_batch_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_batch_file_sha256"), ["file_sha256"], unique=False
        )

    op.create_table(
        "engagement_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "site_visit",
                "download",
                "email_open",
                "email_click",
                "email_reply",
                "form_submit",
                "webinar_registered",
                "webinar_attended",
                "event_visit",
                "other",
                name="engagementkind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_engagement_event_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["lead.id"],
            name=op.f("fk_engagement_event_lead_id_lead"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_event")),
    )
    with op.batch_alter_table("engagement_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_engagement_event_lead_id_occurred_at", ["lead_id", "occurred_at"], unique=False
        )

    op.create_table(
        "lead_phone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("raw", sa.String(length=64), nullable=False),
        sa.Column("e164", sa.String(length=20), nullable=True),
        sa.Column("extension", sa.String(length=16), nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("number_type", sa.String(length=24), nullable=True),
        sa.Column("time_zones", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["lead.id"], name=op.f("fk_lead_phone_lead_id_lead"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_phone")),
    )
    with op.batch_alter_table("lead_phone", schema=None) as batch_op:
        batch_op.create_index("ix_lead_phone_number_e164", ["e164"], unique=False)
        batch_op.create_index(
            "ix_lead_phone_lead_id_position", ["lead_id", "position"], unique=False
        )

    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lead_source", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("extra", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(
            sa.Column("match_key", sa.String(length=210), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("import_batch_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("possible_duplicate_of_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_lead_match_key"), ["match_key"], unique=False)
        batch_op.create_index("ix_lead_import_batch_id_id", ["import_batch_id", "id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_lead_possible_duplicate_of_id_lead"),
            "lead",
            ["possible_duplicate_of_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_lead_import_batch_id_import_batch"),
            "import_batch",
            ["import_batch_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_lead_import_batch_id_import_batch"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_lead_possible_duplicate_of_id_lead"), type_="foreignkey"
        )
        batch_op.drop_index("ix_lead_import_batch_id_id")
        batch_op.drop_index(batch_op.f("ix_lead_match_key"))
        batch_op.drop_column("match_key")
        batch_op.drop_column("possible_duplicate_of_id")
        batch_op.drop_column("import_batch_id")
        batch_op.drop_column("extra")
        batch_op.drop_column("lead_source")

    with op.batch_alter_table("lead_phone", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_phone_lead_id_position")
        batch_op.drop_index("ix_lead_phone_number_e164")

    op.drop_table("lead_phone")
    with op.batch_alter_table("engagement_event", schema=None) as batch_op:
        batch_op.drop_index("ix_engagement_event_lead_id_occurred_at")

    op.drop_table("engagement_event")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_file_sha256"))

    op.drop_table("import_batch")
    op.drop_table("saved_mapping")
