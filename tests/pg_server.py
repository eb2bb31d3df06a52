"""A throwaway PostgreSQL server for the tests, started from the local binaries.

Order of preference: ``TELEPROSPECT_TEST_PG_URL`` (a server someone else runs),
else ``initdb`` + ``pg_ctl`` found on PATH or under /usr/lib/postgresql/*/bin,
run in a temporary directory on a free port. PostgreSQL refuses to run as root,
so under root the server runs as the ``postgres`` (or ``nobody``) account.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

URL_ENV_VAR = "TELEPROSPECT_TEST_PG_URL"


@dataclass
class PostgresServer:
    url: str
    stop: callable  # type: ignore[valid-type]


def find_bindir() -> Path | None:
    on_path = shutil.which("pg_ctl")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    candidates += [Path(p) for p in sorted(glob.glob("/usr/pgsql-*/bin"), reverse=True)]
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and no 'postgres' or 'nobody' account to run PostgreSQL")


def start_server() -> PostgresServer | None:
    """Start a server, or return None when there is no way to have one here."""
    if os.environ.get(URL_ENV_VAR):
        return PostgresServer(os.environ[URL_ENV_VAR], lambda: None)
    bindir = find_bindir()
    if bindir is None:
        return None
    server = LocalServer.create(bindir)
    return PostgresServer(server.url, server.remove)


@dataclass
class LocalServer:
    """A server of our own in a temporary directory, which a test may stop and start again
    (same data, same port): the database server going away in the middle of a session."""

    bindir: Path
    workdir: Path
    port: int
    user: str | None

    @property
    def datadir(self) -> Path:
        return self.workdir / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    @classmethod
    def create(cls, bindir: Path) -> LocalServer:
        user = _run_as()
        workdir = Path(tempfile.mkdtemp(prefix="teleprospect-pg-"))
        (workdir / "sock").mkdir()
        if user:
            account = pwd.getpwnam(user)
            for path in (workdir, workdir / "sock"):
                os.chown(path, account.pw_uid, account.pw_gid)
        server = cls(bindir, workdir, _free_port(), user)
        server._run(
            "initdb",
            "-D",
            str(server.datadir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
            "--no-instructions",
        )
        server.start()
        return server

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        subprocess.run(
            [str(self.bindir / program), *args],
            user=self.user,
            check=check,
            capture_output=True,
            text=True,
        )

    def start(self) -> None:
        """Start the server (again) and wait until it takes connections."""
        options = f"-p {self.port} -k {self.workdir / 'sock'} -c listen_addresses=127.0.0.1"
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        options += " -c max_connections=200"
        self._run(
            "pg_ctl",
            "-D",
            str(self.datadir),
            "-o",
            options,
            "-l",
            str(self.workdir / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        _wait_ready(self.url)

    def stop(self) -> None:
        """Stop the server the way an administrator does (``pg_ctl stop -m fast``): open
        sessions are ended, new connections refused, the data kept for :meth:`start`."""
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        """Stop the server at once and delete its data."""
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_private_server() -> LocalServer | None:
    """A server for one test alone, to stop and start again; None without binaries.

    Never the shared ``TELEPROSPECT_TEST_PG_URL`` server: stopping that would pull the rug
    from under every other test."""
    bindir = find_bindir()
    return LocalServer.create(bindir) if bindir is not None else None


def _wait_ready(url: str, timeout: float = 30.0) -> None:
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(conninfo, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
