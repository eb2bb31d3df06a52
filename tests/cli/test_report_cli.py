"""``teleprospect report`` as a team lead types it: the same rows as the Reports tab, as
a table, JSON or CSV; bad input is refused in one line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from teleprospect.cli import main
from teleprospect.services.database import open_database
from tests.services.reports.report_desk import Desk, build_desk

NOVEMBER = ["--from", "2026-11-01", "--to", "2026-11-30"]


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def desk(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Desk:
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "boss")
    db = open_database(sqlite_url).db
    try:
        return build_desk(db)
    finally:
        db.dispose()


def test_the_waterfall_by_rep_as_json_has_the_tables_rows(
    sqlite_url: str, desk: Desk, capsys
) -> None:  # noqa: ANN001
    code, out, err = run(
        capsys, "--db", sqlite_url, "report", "waterfall", *NOVEMBER, "--by", "rep", "--json"
    )
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["group"], r["arrived"], r["qualified"], r["acceptance_rate"]) for r in rows] == [
        ("Sam Carter", 3, 2, 0.5),
        ("Julie Moreau", 2, 0, None),
    ]


def test_speed_to_lead_as_csv_for_one_campaign(sqlite_url: str, desk: Desk, capsys) -> None:  # noqa: ANN001
    code, out, err = run(
        capsys, "--db", sqlite_url, "report", "speed-to-lead", *NOVEMBER,
        "--campaign", "white paper", "--csv",
    )  # fmt: skip
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    assert (rows[0]["group"], rows[0]["median_to_attempt"], rows[0]["never"]) == (
        "White paper", "4.0", "1",
    )  # fmt: skip


def test_activity_per_week_as_a_text_table(sqlite_url: str, desk: Desk, capsys) -> None:  # noqa: ANN001
    code, out, err = run(
        capsys, "--db", sqlite_url, "report", "activity", *NOVEMBER,
        "--by", "week", "--rep", "julie",
    )  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Rep activity by week, 2026-11-01 to 2026-11-30"
    assert lines[1].startswith("Rep           From        Dials  Connects  Connect rate")
    assert lines[2].startswith("Julie Moreau  2026-11-23  2      0         0%")
    assert len(lines) == 3


def test_bad_input_is_refused_in_one_line(sqlite_url: str, desk: Desk, capsys) -> None:  # noqa: ANN001
    db = ["--db", sqlite_url, "report"]
    code, _, err = run(capsys, *db, "waterfall", "--campaign", "Nope")
    assert code != 0 and err.strip().endswith("There is no campaign called 'Nope'.")
    code, _, err = run(capsys, *db, "waterfall", "--from", "2026-12-01", "--to", "2026-11-01")
    assert code != 0 and "must end after it starts" in err and len(err.splitlines()) == 1
    code, _, err = run(capsys, *db, "activity", "--by", "campaign")
    assert code != 0 and "grouped by day or week, not campaign" in err
    code, _, err = run(capsys, *db, "nurture")
    assert code != 0 and "touch history of nurture tracks" in err
    with pytest.raises(SystemExit) as usage:
        run(capsys, *db, "sources", "--from", "yesterday")
    assert usage.value.code == 2 and "'yesterday' is not a date" in capsys.readouterr().err


def test_a_teleprospector_is_refused_the_reports(
    sqlite_url: str,
    desk: Desk,
    capsys,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "sam")
    code, _, err = run(capsys, "--db", sqlite_url, "report", "waterfall")
    assert code == 4 and "Only a team lead can read the team's reports" in err
