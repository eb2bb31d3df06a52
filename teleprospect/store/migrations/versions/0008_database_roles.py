"""Database roles: each account names the PostgreSQL login role its person connects as.

The group roles, grants and row-level security are not migrations: ``teleprospect db
upgrade`` (and ``db grant``) apply them after the migrations, again each time, so that
tables added later are granted too (:mod:`teleprospect.store.roles`).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN and a unique index: SQLite's batch mode would copy user_account,
    # which every table refers to.
    op.add_column("user_account", sa.Column("db_role", sa.String(length=64), nullable=True))
    # Everyone's role is named like their login until an admin says otherwise; a login
    # longer than PostgreSQL's 63-byte names gets none.
    length = "octet_length" if op.get_bind().dialect.name != "sqlite" else "length"
    op.execute(f"UPDATE user_account SET db_role = login WHERE {length}(login) <= 63")
    op.create_index("uq_user_account_db_role", "user_account", ["db_role"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_user_account_db_role", table_name="user_account")
    op.drop_column("user_account", "db_role")
