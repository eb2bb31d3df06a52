"""CLI tests start from an existing, still empty SQLite file: only `db upgrade` and `demo`
make a database, every other command refuses a missing one (tests/cli/test_database_cli.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def sqlite_url(sqlite_url: str) -> str:
    Path(sqlite_url.removeprefix("sqlite:///")).touch()
    return sqlite_url
