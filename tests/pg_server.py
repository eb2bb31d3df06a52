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
    user = _run_as()
    workdir = Path(tempfile.mkdtemp(prefix="teleprospect-pg-"))
    datadir, sockdir = workdir / "data", workdir / "sock"
    sockdir.mkdir()
    if user:
        account = pwd.getpwnam(user)
        for path in (workdir, sockdir):
            os.chown(path, account.pw_uid, account.pw_gid)
    port = _free_port()
    kwargs = {"user": user, "check": True, "capture_output": True, "text": True}
    subprocess.run(
        [
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
            "--no-instructions",
        ],
        **kwargs,
    )
    options = f"-p {port} -k {sockdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    options += " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    subprocess.run(
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(datadir),
            "-o",
            options,
            "-l",
            str(workdir / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        ],
        **kwargs,
    )

    def stop() -> None:
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"],
            user=user,
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)

    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    _wait_ready(url)
    return PostgresServer(url, stop)


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
