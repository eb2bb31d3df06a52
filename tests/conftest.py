"""Shared fixtures: a throwaway data directory, and databases on SQLite and PostgreSQL.

Tests that take ``db`` or ``db_url`` run twice, once per backend. The PostgreSQL
runs use a server started from the local binaries (see tests/pg_server.py); with
no binaries they skip with the reason, except under CI, where they must run.
Property tests run with a fixed seed under CI (the hypothesis profiles below).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from teleprospect.services.database import upgrade_database  # noqa: E402

# Property tests. In CI (the CI environment variable set, as .ci/run does) every run
# tries the same examples: a fixed seed per test, no example database, no deadline that
# a busy machine could miss, so a run never fails by chance; a failure prints the blob
# that reproduces it. Developers get fresh random examples each run, and the ones that
# failed are kept in .hypothesis/ (not committed) and tried first next time. Every
# example found so far is pinned in its test with @example.
ROOT = Path(__file__).resolve().parents[1]
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", database=DirectoryBasedExampleDatabase(ROOT / ".hypothesis" / "examples")
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

from teleprospect.store.database import Database  # noqa: E402
from tests.pg_server import LocalServer, start_private_server, start_server  # noqa: E402

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Never touch the user's real data or settings, whatever the test does."""
    home = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("TELEPROSPECT_DATA_DIR", str(home))
    monkeypatch.delenv("TELEPROSPECT_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    server = start_server()
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests, but no PostgreSQL binaries were found")
        pytest.skip(
            "no PostgreSQL server: install PostgreSQL's server binaries (initdb, pg_ctl) "
            "or set TELEPROSPECT_TEST_PG_URL"
        )
    yield server.url
    server.stop()


@pytest.fixture
def private_pg() -> Iterator[LocalServer]:
    """A PostgreSQL server for this test alone, which it may stop and start again
    (``private_pg.stop()``, ``private_pg.start()``) without disturbing the shared one."""
    server = start_private_server()
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests, but no PostgreSQL binaries were found")
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) to start a server of our own")
    yield server
    server.remove()


@pytest.fixture
def private_pg_url(private_pg: LocalServer) -> str:
    """The URL of a new database on :func:`private_pg`."""
    import psycopg

    admin = private_pg.url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute('CREATE DATABASE "teleprospect"')
    return private_pg.url.rpartition("/")[0] + "/teleprospect"


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    import psycopg

    admin = pg_server.replace("postgresql+psycopg://", "postgresql://")
    name = f"tp_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = pg_server.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        drop_team_roles(conn, name)


def drop_team_roles(conn, database_name: str) -> None:  # noqa: ANN001
    """Roles belong to the whole server: drop the group roles of a test database and the
    login roles that are members of them (never a superuser), once the database is gone."""
    from psycopg import sql

    from teleprospect.store.roles import group_roles

    groups = list(group_roles(database_name).all())
    members = conn.execute(
        "SELECT DISTINCT r.rolname FROM pg_auth_members AS m"
        " JOIN pg_roles AS g ON g.oid = m.roleid JOIN pg_roles AS r ON r.oid = m.member"
        " WHERE g.rolname = ANY(%s) AND NOT r.rolsuper AND NOT r.rolname = ANY(%s)",
        (groups, groups),
    ).fetchall()
    for (role,) in members:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
    for role in groups:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'teleprospect.sqlite3'}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty database, once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return request.getfixturevalue(fixture)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A database at the newest schema with the shipped defaults, as the app opens it;
    once on SQLite and once on PostgreSQL."""
    database = Database(db_url)
    upgrade_database(database)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Database]:
    database = Database(sqlite_url)
    upgrade_database(database)
    yield database
    database.dispose()
