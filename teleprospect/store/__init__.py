"""Storage: SQLAlchemy models, the database connection, migrations and queries."""

from teleprospect.store.database import Database, DatabaseError, NetworkShareError

__all__ = ["Database", "DatabaseError", "NetworkShareError"]
