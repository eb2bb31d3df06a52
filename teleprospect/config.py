"""Settings and paths.

Every setting a workstation reads from its environment is declared here once, with
its type and default. Team-wide settings (scoring rules, calling hours, scripts,
tracks) live in the database instead, so that every workstation sees the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_ID = "teleprospect"
APP_AUTHOR = "Teleprospect"

#: Environment variable naming the database URL when ``--db`` is not given.
DB_ENV_VAR = "TELEPROSPECT_DB"
#: Environment variable overriding the data directory (the default SQLite file lives there).
DATA_DIR_ENV_VAR = "TELEPROSPECT_DATA_DIR"

DEFAULT_DB_FILENAME = "teleprospect.sqlite3"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_ID, APP_AUTHOR))


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / DEFAULT_DB_FILENAME}"


@dataclass(frozen=True)
class DatabaseChoice:
    url: str
    origin: str  # "--db", the environment variable's name, or "default"


def resolve_db_url(cli_value: str | None = None) -> DatabaseChoice:
    """The database URL: ``--db``, else ``TELEPROSPECT_DB``, else the default file."""
    if cli_value:
        return DatabaseChoice(cli_value.strip(), "--db")
    env_value = os.environ.get(DB_ENV_VAR)
    if env_value:
        return DatabaseChoice(env_value.strip(), DB_ENV_VAR)
    return DatabaseChoice(default_db_url(), "default")
