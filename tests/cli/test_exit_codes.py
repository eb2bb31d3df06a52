"""Issue 11: one exit-code table for every command, shown in --help, each code produced by a
real case; whatever fails ends in one line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from teleprospect.cli import main
from teleprospect.cli.common import EXIT_CODE_MEANINGS, ExitCode
from teleprospect.services.database import open_database
from tests.services.call_fixtures import add_lead, add_users
from tests.services.team_fixtures import make_team

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err


@pytest.fixture
def desk(sqlite_url: str) -> tuple[str, int]:
    """Two reps (rep.one, rep.two) and a lead nobody holds."""
    db = open_database(sqlite_url).db
    add_users(db)
    lead_id = add_lead(db)
    db.dispose()
    return sqlite_url, lead_id


def test_help_lists_every_exit_code_with_its_meaning(capsys) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit codes:" in out
    for code in ExitCode:
        assert f"{int(code):>3}  {EXIT_CODE_MEANINGS[code]}" in out


def test_the_exit_codes_keep_their_numbers() -> None:
    # Scripts depend on these: renumbering one breaks them silently.
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0,
        "FAILURE": 1,
        "USAGE": 2,
        "REFUSED": 3,
        "NOT_PERMITTED": 4,
        "INTERRUPTED": 130,
    }


def test_ok_and_failure(desk, capsys) -> None:  # noqa: ANN001
    url, lead_id = desk
    code, out, _ = run(capsys, "--db", url, "lead", str(lead_id))
    assert code == ExitCode.OK and "Lena Vogel" in out
    code, out, err = run(capsys, "--db", url, "lead", "999")
    assert (code, out) == (ExitCode.FAILURE, "")
    assert "no lead" in err and "999" in err and one_line(err)


def test_usage_from_the_parser_and_from_the_command(desk, capsys) -> None:  # noqa: ANN001
    url, lead_id = desk
    with pytest.raises(SystemExit) as exit_:
        main(["--db", url, "queue", "--limit", "0"])
    assert exit_.value.code == ExitCode.USAGE
    assert "--limit: must be from 1 to" in capsys.readouterr().err
    code, _, err = run(capsys, "--db", url, "log-call", str(lead_id), "--as", "rep.one",
                       "--disposition", "busy", "--decide", "promote")  # fmt: skip
    assert code == ExitCode.USAGE and "is not a decision" in err and one_line(err)


def test_refused_by_a_rule_of_the_desk_is_3(desk, capsys) -> None:  # noqa: ANN001
    url, lead_id = desk
    code, _, err = run(capsys, "--db", url, "log-call", str(lead_id), "--as", "rep.one",
                       "--disposition", "connected", "--decide", "sales-ready")  # fmt: skip
    assert code == ExitCode.REFUSED == 3
    assert "the decision was refused" in err and one_line(err)


def test_not_permitted_by_the_role_is_4(sqlite_url: str, capsys) -> None:  # noqa: ANN001
    db = open_database(sqlite_url).db
    make_team(db)
    db.dispose()
    code, _, err = run(capsys, "--db", sqlite_url, "workload", "--as", "sam")
    assert code == ExitCode.NOT_PERMITTED == 4
    assert "Only a team lead" in err and one_line(err)


def test_ctrl_c_is_130_without_a_traceback(sqlite_url: str, capsys, monkeypatch) -> None:  # noqa: ANN001
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("teleprospect.services.scoring.rescore.rescore_all", interrupted)
    code, out, err = run(capsys, "--db", sqlite_url, "rescore")
    assert code == ExitCode.INTERRUPTED == 130
    assert out == "" and err == "teleprospect: interrupted\n"


def test_a_bug_is_one_line_not_a_traceback(sqlite_url: str, capsys, monkeypatch) -> None:  # noqa: ANN001
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the scoring rules are inside out")

    monkeypatch.setattr("teleprospect.services.scoring.rescore.rescore_all", broken)
    code, _, err = run(capsys, "--db", sqlite_url, "rescore")
    assert code == ExitCode.FAILURE
    assert err.startswith("teleprospect: error: ") and one_line(err)
    # Issue 13: a bug's own text may quote a lead's data: it goes to the log, with the
    # traceback, and the line says where.
    log_file = Path(os.environ["TELEPROSPECT_DATA_DIR"]) / "logs" / "teleprospect.log"
    assert "RuntimeError" in err and f"details in {log_file}" in err
    assert "inside out" not in err
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "the scoring rules are inside out" in logged


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--leads", "0"],
        ["demo", "--seed", "-1"],
        ["claim", "--lease", "100000"],
        ["lead", "99999999999"],
        ["reassign", "--undo", "0"],
        ["log-call", "1", "--disposition", "busy", "--duration", "-5"],
        ["import", "leads.csv", "--delimiter", ";;"],
    ],
)
def test_out_of_range_values_are_usage_errors_that_say_why(argv, capsys) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == ExitCode.USAGE
    err = capsys.readouterr().err
    assert any(why in err for why in ("must be", "too large", "not one character")), err


def test_a_reader_that_stops_early_ends_the_command_quietly(desk) -> None:  # noqa: ANN001
    """`teleprospect lead 1 | head -1`: no "Broken pipe" and no traceback."""
    url, lead_id = desk
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes
    try:
        done = subprocess.run(
            [sys.executable, "-m", "teleprospect", "--db", url, "lead", str(lead_id)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == ExitCode.FAILURE
