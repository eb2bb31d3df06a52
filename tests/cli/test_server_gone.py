"""Issue 13: the PostgreSQL server going away in the middle of an import is one sentence on
the terminal, without a traceback, the SQL or any email or phone number from the file."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from teleprospect.cli import main
from teleprospect.cli.common import ExitCode
from teleprospect.services.database import open_database

pytestmark = pytest.mark.postgresql


@pytest.mark.parametrize("refuse_new_connections", [True, False], ids=["stopped", "cut off"])
def test_the_server_going_away_mid_import_is_one_sentence_without_personal_data(
    refuse_new_connections: bool,
    pg_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch,  # noqa: ANN001
) -> None:
    open_database(pg_url).db.dispose()
    leads = tmp_path / "leads.csv"
    rows = [f"Anna{i},Schmidt{i},anna{i}@example.com,+49 30 9018{i:04d}" for i in range(50)]
    leads.write_text("first_name,last_name,email,phone\n" + "\n".join(rows) + "\n", "utf-8")
    admin = pg_url.replace("postgresql+psycopg://", "postgresql://")
    name = admin.rsplit("/", 1)[1]

    class ServerGoesAway:
        """The import's progress: after the first chunk the server drops our connections
        (and, "stopped", takes no new ones: the import cannot even record its failure)."""

        def __init__(self, _label: str) -> None:
            pass

        def __call__(self, _done: int, _total: int) -> None:
            with psycopg.connect(admin.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
                if refuse_new_connections:
                    c.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                c.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (name,),
                )

        def finish(self) -> None:
            pass

    monkeypatch.setattr("teleprospect.cli.imports.TerminalProgress", ServerGoesAway)
    code = main(["--db", pg_url, "import", str(leads), "--campaign", "Spring webinar"])
    out, err = capsys.readouterr()
    assert code == ExitCode.FAILURE
    assert out == ""
    assert err.startswith("teleprospect: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and len(err) < 600, err[:2000]
    assert "@example.com" not in err and not re.search(r"9018\d{4}", err), err
    for sql in ("INSERT", "SELECT", "UPDATE", "[SQL", "parameters", "DETAIL"):
        assert sql not in err, err
