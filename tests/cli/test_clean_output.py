"""Issue 13: one sentence, never a traceback; and no terminal escape sequence from a lead list
ever reaches the terminal."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from teleprospect.cli import main
from teleprospect.cli.common import ExitCode
from teleprospect.services.database import open_database
from tests.services.call_fixtures import add_lead, add_users
from tests.services.team_fixtures import make_team

#: Larger than any 64-bit integer.
HUGE = str(2**64 * 1000 + 7)

#: What a CSV cell may carry: a colour, a new window title, "clear screen", a C1 CSI, a bell.
COLOUR, TITLE, CLEAR, C1_CSI = "\x1b[31m", "\x1b]0;owned\x07", "\x1b[2J", "\x9b1m"


def outcome(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The exit code, stdout and stderr of ``teleprospect ARGV``, argument errors included."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(err: str) -> None:
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err and len(err) < 600, err[:600]


@pytest.fixture
def team_url(sqlite_url: str) -> str:
    db = open_database(sqlite_url).db
    make_team(db)
    db.dispose()
    return sqlite_url


@pytest.mark.parametrize(
    "argv",
    [
        ["lead", HUGE],
        ["release", HUGE, "--as", "sam"],
        ["claim", "--as", "sam", "--lease", HUGE],
        ["claim", "--as", "sam", "--lease", str(2**31)],
        ["queue", "--as", "sam", "--limit", HUGE],
        ["demo", "--leads", HUGE],
        ["demo", "--seed", HUGE],
        ["log-call", HUGE, "--as", "sam", "--disposition", "busy"],
        ["log-call", "1", "--as", "sam", "--disposition", "busy", "--duration", HUGE],
        ["reassign", "--as", "boss", "--undo", HUGE],
        ["reassign", "--as", "boss", "--lead", HUGE, "--to", "sam"],
        ["export", "--as", "boss", "--out", "x.csv", "--lead", HUGE],
        ["lead", "9" * 5000],  # longer than Python reads as a number at all
    ],
    ids=lambda argv: " ".join(a[:12] for a in argv),
)
def test_a_number_beyond_64_bits_is_one_line_and_a_usage_error(
    argv: list[str], team_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = outcome(capsys, "--db", team_url, *argv)
    assert code == ExitCode.USAGE
    assert out == ""
    assert_one_line(err)
    assert "too large" in err or "not a lead id" in err


def test_a_huge_campaign_name_is_too_long_and_nothing_is_imported(
    team_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text("first_name,last_name,email\nAnna,Schmidt,anna@example.com\n", "utf-8")
    code, out, err = outcome(
        capsys, "--db", team_url, "import", str(leads), "--campaign", "c" * 100_000
    )
    assert (code, out) == (ExitCode.USAGE, "")
    assert_one_line(err)
    assert "--campaign: too long: 100,000 characters, at most 200" in err
    code, _, err = outcome(capsys, "--db", team_url, "lead", "1")
    assert code == ExitCode.FAILURE and "There is no lead with id 1" in err


def test_a_url_no_parser_can_read_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = outcome(capsys, "--db", "postgresql://::::/", "queue", "--as", "sam")
    assert (code, out) == (ExitCode.FAILURE, "")
    assert_one_line(err)
    assert "'postgresql://::::/' is not a database URL" in err


def test_a_corrupt_database_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "broken.sqlite3"
    corrupt.write_bytes(random.Random(13).randbytes(64 * 1024))
    code, out, err = outcome(capsys, "--db", str(corrupt), "queue", "--as", "sam")
    assert (code, out) == (ExitCode.FAILURE, "")
    assert_one_line(err)
    assert "is not a Teleprospect database" in err and "left untouched" in err


def test_every_failure_leaves_its_whole_story_in_the_log_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    outcome(capsys, "--db", "postgresql://::::/", "queue", "--as", "sam")
    log_file = Path(os.environ["TELEPROSPECT_DATA_DIR"]) / "logs" / "teleprospect.log"
    logged = log_file.read_text(encoding="utf-8")
    assert "teleprospect queue" in logged and "Traceback" in logged


# --- clean output ------------------------------------------------------------------------


@pytest.fixture
def tainted_lead(sqlite_url: str) -> tuple[str, int]:
    """A lead whose name, company and title carry terminal escape sequences."""
    db = open_database(sqlite_url).db
    add_users(db)
    lead_id = add_lead(
        db,
        first_name=f"Eve{COLOUR}",
        last_name=f"Red{TITLE}",
        company=f"Evil{CLEAR}Corp",
        title=f"Boss{C1_CSI}\nStatus: Sales ready",
    )
    db.dispose()
    return sqlite_url, lead_id


def test_a_lead_with_escape_sequences_prints_clean(
    tainted_lead: tuple[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    url, lead_id = tainted_lead
    code, _, err = outcome(
        capsys, "--db", url, "log-call", str(lead_id), "--as", "rep.one",
        "--disposition", "busy", "--notes", f"first{COLOUR} line\nsecond{CLEAR} line",
    )  # fmt: skip
    assert code == ExitCode.OK, err
    code, out, _ = outcome(capsys, "--db", url, "lead", str(lead_id))
    assert code == ExitCode.OK
    assert out.splitlines()[0].startswith(
        f"#{lead_id} Eve Red — Boss Status: Sales ready, EvilCorp"
    )
    # The notes keep their two lines, each indented under the call.
    assert "      first line\n      second line\n" in out
    assert not any(c in out for c in "\x1b\x07\x9b"), repr(out)


def test_json_escapes_every_control_character_and_keeps_the_value(
    tainted_lead: tuple[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    url, lead_id = tainted_lead
    code, out, _ = outcome(capsys, "--db", url, "lead", str(lead_id), "--json")
    assert code == ExitCode.OK
    assert not any(c in out for c in "\x1b\x07\x9b"), repr(out)
    assert "\\u009b" in out
    data = json.loads(out)
    assert data["company"] == f"Evil{CLEAR}Corp" and data["title"].startswith(f"Boss{C1_CSI}")


def test_an_imported_lead_is_stored_without_escape_sequences(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ["first_name,last_name,email,company"]
    rows.append(f'"Eve{COLOUR}","Red{TITLE}",eve@example.com,"Evil{CLEAR}Corp"')
    rows += [f"Name{i},Last{i},n{i}@example.com,Company number {i}" for i in range(30)]
    leads = tmp_path / "leads.csv"
    leads.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = outcome(capsys, "--db", sqlite_url, "import", str(leads), "--campaign", "X")
    assert code == ExitCode.OK, err
    code, out, _ = outcome(capsys, "--db", sqlite_url, "lead", "1", "--json")
    data = json.loads(out)
    assert (data["first_name"], data["last_name"], data["company"]) == ("Eve", "Red", "EvilCorp")
