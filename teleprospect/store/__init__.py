"""Storage: SQLAlchemy models, the database connection, migrations and queries."""

# The nurture touches' model lives in a module of its own: imported with the package so
# that its table is in the metadata everyone reads (migrations, grants, tests).
from teleprospect.store import nurture_models as _nurture_models  # noqa: F401
from teleprospect.store.database import Database, DatabaseError, NetworkShareError

__all__ = ["Database", "DatabaseError", "NetworkShareError"]
