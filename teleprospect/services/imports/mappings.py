"""Saved column mappings: a mapping the user named, for the next file of the same kind."""

from __future__ import annotations

from sqlalchemy import select

from teleprospect.core.column_mapping import ColumnMapping
from teleprospect.core.domain import ImportKind
from teleprospect.services.imports.errors import ImportInvalid
from teleprospect.store.database import Database
from teleprospect.store.models import SavedMapping


def saved_mapping_names(db: Database, kind: ImportKind = ImportKind.LEADS) -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(
                select(SavedMapping.name)
                .where(SavedMapping.kind == kind)
                .order_by(SavedMapping.name)
            )
        )


def load_mapping(db: Database, name: str) -> ColumnMapping:
    with db.read() as session:
        saved = session.scalars(select(SavedMapping).where(SavedMapping.name == name)).first()
    if saved is None:
        raise ImportInvalid(f"There is no saved mapping called {name!r}.")
    return ColumnMapping.from_dict(saved.mapping)


def save_mapping(
    db: Database, name: str, mapping: ColumnMapping, kind: ImportKind = ImportKind.LEADS
) -> None:
    """Save (or replace) a mapping under ``name`` for the next file of the same kind."""
    name = name.strip()
    if not name:
        raise ImportInvalid("A saved mapping needs a name.")
    with db.write() as session:
        saved = session.scalars(select(SavedMapping).where(SavedMapping.name == name)).first()
        if saved is None:
            session.add(SavedMapping(name=name, kind=kind, mapping=mapping.to_dict()))
        else:
            saved.mapping = mapping.to_dict()
            saved.kind = kind
