"""Nothing lost: the values an import replaced (to tell in history and to undo), undone
imports, leads merged into others; history and audit kinds for them, and for a logged
call undone.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-20 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Repeated from the domain on purpose: a migration never imports the code it migrates.
OLD_HISTORY_KINDS = ("status", "owner", "do_not_call", "nurture", "callback", "contact")
NEW_HISTORY_KINDS = (*OLD_HISTORY_KINDS, "import", "merge")
OLD_AUDIT_KINDS = (
    "status_changed",
    "lead_reassigned",
    "reassignment_undone",
    "exported_to_sales",
    "verdict_recorded",
    "user_added",
    "user_changed",
    "setting_changed",
    "script_published",
    "scoring_rules_published",
    "track_published",
    "do_not_call_changed",
    "data_erased",
    "acted_as",
)
NEW_AUDIT_KINDS = (*OLD_AUDIT_KINDS, "import_undone", "leads_merged", "call_undone")
APPEND_ONLY = "the audit trail is append-only: its entries cannot be changed or deleted"


def _history_kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(
        *values, name="historykind", native_enum=False, create_constraint=True, length=24
    )


def _audit_kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="auditkind", native_enum=False, create_constraint=True, length=32)


def _change_kinds(upgrade: bool) -> None:
    """The database checks history and audit kinds: widen (or narrow) the checks."""
    history_from, history_to = OLD_HISTORY_KINDS, NEW_HISTORY_KINDS
    audit_from, audit_to = OLD_AUDIT_KINDS, NEW_AUDIT_KINDS
    if not upgrade:
        history_from, history_to = history_to, history_from
        audit_from, audit_to = audit_to, audit_from
    with op.batch_alter_table("lead_history", schema=None) as batch_op:
        batch_op.alter_column(
            "kind",
            existing_type=_history_kind(history_from),
            type_=_history_kind(history_to),
            existing_nullable=False,
        )
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite copies the table to change its check; its triggers go with the old one.
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.alter_column(
            "kind",
            existing_type=_audit_kind(audit_from),
            type_=_audit_kind(audit_to),
            existing_nullable=False,
        )
    if sqlite:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_entry_no_{event.lower()} BEFORE {event} ON audit_entry "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )


def upgrade() -> None:
    op.create_table(
        "import_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old", sa.JSON(), nullable=True),
        sa.Column("new", sa.JSON(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_import_change_batch_id_import_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["lead.id"], name=op.f("fk_import_change_lead_id_lead"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_change")),
    )
    op.create_index("ix_import_change_batch_id_id", "import_change", ["batch_id", "id"])
    op.create_index("ix_import_change_lead_id_id", "import_change", ["lead_id", "id"])
    op.create_table(
        "lead_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("merged_lead_id", sa.Integer(), nullable=False),
        sa.Column("kept_lead_id", sa.Integer(), nullable=False),
        sa.Column("merged_by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merged", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_merge")),
        sa.UniqueConstraint("merged_lead_id", name=op.f("uq_lead_merge_merged_lead_id")),
    )
    op.create_index("ix_lead_merge_kept_lead_id", "lead_merge", ["kept_lead_id"])
    # Plain columns (one with a default for the rows there), added in place: no table copy.
    op.add_column("import_batch", sa.Column("undone_at", sa.DateTime(timezone=True)))
    op.add_column("import_batch", sa.Column("undone_by_id", sa.Integer()))
    op.add_column(
        "import_batch",
        sa.Column("undo_note", sa.Text(), nullable=False, server_default=""),
    )
    _change_kinds(upgrade=True)


def downgrade() -> None:
    op.execute("DELETE FROM lead_history WHERE kind IN ('import', 'merge')")
    # The audit trail is append-only: entries of the new kinds keep it from going back.
    _change_kinds(upgrade=False)
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_column("undo_note")
        batch_op.drop_column("undone_by_id")
        batch_op.drop_column("undone_at")
    op.drop_index("ix_lead_merge_kept_lead_id", table_name="lead_merge")
    op.drop_table("lead_merge")
    op.drop_index("ix_import_change_lead_id_id", table_name="import_change")
    op.drop_index("ix_import_change_batch_id_id", table_name="import_change")
    op.drop_table("import_change")
