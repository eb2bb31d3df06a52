"""Alembic environment: run against the connection that teleprospect.store.migrate hands in."""

from __future__ import annotations

from alembic import context

from teleprospect.store.models import Base
from teleprospect.store.search import outside_the_models
from teleprospect.store.types import UTCDateTime


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Write our column types as plain SQLAlchemy ones: migrations import nothing of ours."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a bare `alembic` call
    raise RuntimeError("Run migrations through `teleprospect db upgrade`.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place: batch mode copies the table.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # The search index's own tables (SQLite's FTS5) are made by migration 0010 alone.
    include_name=outside_the_models,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
