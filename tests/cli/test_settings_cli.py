"""Issue 17: a team lead tunes the desk from the command line — settings, scoring rules,
campaigns — and a wrong value or a rep is refused in one sentence with its exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from teleprospect.cli import main
from teleprospect.services.database import open_database
from tests.services.team_fixtures import Team, make_team


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def team(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Team:
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "lead2")
    db = open_database(sqlite_url).db
    try:
        return make_team(db)
    finally:
        db.dispose()


def test_settings_show_and_set_one_line(sqlite_url: str, team: Team, capsys) -> None:
    code, out, _ = run(capsys, "--db", sqlite_url, "settings", "set", "routing.min_score", "85")
    assert (code, out) == (0, "routing.min_score: off → 85\n")
    code, out, _ = run(capsys, "--db", sqlite_url, "settings", "show", "routing", "--json")
    assert code == 0
    assert json.loads(out) == {
        "routing": {"min_score": 85, "min_company_size": None, "receivers": []}
    }
    code, out, _ = run(capsys, "--db", sqlite_url, "settings", "show", "calling_hours")
    assert 'calling_hours.start = "09:00"' in out.splitlines()
    code, out, _ = run(capsys, "--db", sqlite_url, "audit", "--json")
    assert "routing to team leads" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("routing.min_score", "lots"), 'routing.min_score must be a number, not "lots".'),
        (("calling_hours.start", "7am"), "calling_hours.start must be a time such as 09:00"),
        (("calling_hours.start", "07:00"), "go beyond the legal limit"),
        (("nothing", "1"), "There is no team setting 'nothing'"),
        (("retry_rules.on_exhausted", "retry"), "must be one of nurture, closed_unreachable"),
    ],
)
def test_a_bad_setting_is_refused_in_one_sentence_with_exit_2(
    sqlite_url: str, team: Team, capsys, argv: tuple[str, str], message: str
) -> None:
    code, out, err = run(capsys, "--db", sqlite_url, "settings", "set", *argv)
    assert code == 2 and out == ""
    assert err.startswith("teleprospect: error: ") and message in err
    assert err.count("\n") == 1


def test_a_rep_may_look_but_not_change(
    sqlite_url: str, team: Team, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "sam")
    assert run(capsys, "--db", sqlite_url, "settings", "show")[0] == 0
    code, _, err = run(capsys, "--db", sqlite_url, "settings", "set", "routing.min_score", "1")
    assert code == 4 and "Only a team lead can change team settings" in err
    code, _, err = run(
        capsys, "--db", sqlite_url, "campaigns", "edit", "White paper", "--offer", "x"
    )
    assert code == 4


def test_campaigns_add_edit_and_list(sqlite_url: str, team: Team, capsys) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        sqlite_url,
        "campaigns",
        "add",
        "Contact us",
        "--type",
        "contact-form",
        "--region",
        "de",
        "--json",
    )
    assert code == 0 and json.loads(out)["inbound"] is True
    code, out, _ = run(
        capsys,
        "--db",
        sqlite_url,
        "campaigns",
        "edit",
        "white PAPER",
        "--type",
        "webinar",
        "--offer",
        "our paper on ledgers",
    )
    assert code == 0
    assert out == "Changed #2 White paper: webinar, US, inbound — our paper on ledgers\n"
    code, out, _ = run(capsys, "--db", sqlite_url, "campaigns", "list", "--json")
    rows = {row["name"]: (row["type"], row["region"], row["inbound"]) for row in json.loads(out)}
    assert rows == {
        "Contact us": ("contact_form", "DE", True),
        "Spring webinar": ("other", "US", False),
        "White paper": ("webinar", "US", True),
    }
    code, _, err = run(capsys, "--db", sqlite_url, "campaigns", "add", "X", "--type", "podcast")
    assert code == 2 and "'podcast' is not a campaign type" in err
    code, _, err = run(capsys, "--db", sqlite_url, "campaigns", "edit", "Nope", "--offer", "x")
    assert code == 1 and "There is no campaign 'Nope'." in err
    code, _, err = run(capsys, "--db", sqlite_url, "campaigns", "edit", "White paper")
    assert code == 2 and "Say what to change" in err


def test_scoring_export_edit_and_publish(
    sqlite_url: str, team: Team, capsys, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.json"
    assert run(capsys, "--db", sqlite_url, "scoring", "export", str(rules))[0] == 0
    data = json.loads(rules.read_text(encoding="utf-8"))
    data["qualification"].append(
        {
            "question_id": "current_solution",
            "label": "Current solution",
            "answer_type": "choice",
            "points": {"spreadsheets": 8, "competitor": -4},
            "thresholds": [],
        }
    )
    data["thresholds"]["sales_ready"] = 70
    rules.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(capsys, "--db", sqlite_url, "scoring", "publish", str(rules), "--dry-run")
    assert (code, out) == (0, "There are no leads to re-score.\n")
    code, out, _ = run(
        capsys, "--db", sqlite_url, "scoring", "publish", str(rules), "--note", "sheets", "--json"
    )
    assert code == 0 and json.loads(out)["published"]["version"] == 2
    code, out, _ = run(capsys, "--db", sqlite_url, "scoring", "show")
    assert "Scoring rules version 2, published by Lea Second" in out
    assert "Sales-ready at 70" in out
    assert "Answer current_solution (Current solution): spreadsheets: +8, competitor: -4" in out

    rules.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "--db", sqlite_url, "scoring", "publish", str(rules))
    assert code == 1 and "is not JSON (line 1" in err
    code, _, err = run(capsys, "--db", sqlite_url, "scoring", "publish", str(tmp_path / "no"))
    assert code == 1 and "There is no file" in err
