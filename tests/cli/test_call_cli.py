"""The call commands: log-call (every decision, refusals with exit code 3) and lead."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from teleprospect.cli import main
from teleprospect.core.nurture import default_tracks, step_due_at
from teleprospect.services.database import open_database
from tests.services.call_fixtures import add_lead, add_users, claim

BERLIN = ZoneInfo("Europe/Berlin")


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def desk(sqlite_url: str) -> tuple[str, list[int]]:
    """A database with two reps (rep.one, rep.two) and four leads nobody holds."""
    db = open_database(sqlite_url).db
    add_users(db)
    leads = [add_lead(db, email=f"lead{i}@vogel.de", phone_e164=f"+493090182{i}") for i in range(4)]
    db.dispose()
    return sqlite_url, leads


def berlin_weekday_at(hour: int) -> str:
    """An ISO time a few days ahead, on a weekday, at ``hour`` in Berlin."""
    day = date.today() + timedelta(days=3)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN).isoformat()


def lead_json(capsys, url: str, lead_id: int) -> dict:  # noqa: ANN001
    code, out, err = run(capsys, "--db", url, "lead", str(lead_id), "--json")
    assert code == 0, err
    return json.loads(out)


def test_log_a_call_with_answers_then_show_the_lead(desk, capsys) -> None:  # noqa: ANN001
    url, (lead_id, *_) = desk
    code, out, err = run(
        capsys, "--db", url, "log-call", str(lead_id), "--as", "rep.one",
        "--disposition", "no-answer", "--duration", "35", "--notes", "Rang out.",
        "--answer", "need=yes", "--answer", "budget_amount=25k", "--answer", "budget=y",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    logged = json.loads(out)
    assert logged["status"] == "working" and logged["next_action_at"]
    assert "try again in 4 h" in logged["summary"]

    shown = lead_json(capsys, url, lead_id)
    assert shown["answers"] == {"need": True, "budget_amount": 25000.0, "budget": True}
    assert shown["answers_text"] == ["Need: Yes", "Budget amount: 25,000", "Budget: Yes"]
    [call] = shown["calls"]
    assert (call["disposition_label"], call["duration_s"], call["notes"]) == (
        "No answer",
        35,
        "Rang out.",
    )
    assert shown["history"][0][2] == "New → Working: first call"

    code, out, _ = run(capsys, "--db", url, "lead", str(lead_id))
    assert code == 0
    for words in ("Lena Vogel", "Score breakdown:", "+20 C-level title", "Budget: Yes",
                  "Calls (1):", "Rang out.", "History (1):", "Europe/Berlin"):  # fmt: skip
        assert words in out, words


def test_sales_ready_is_refused_with_exit_3_until_the_answers_are_there(desk, capsys) -> None:  # noqa: ANN001
    url, (lead_id, *_) = desk
    base = ["--db", url, "log-call", str(lead_id), "--as", "rep.one", "--disposition",
            "connected"]  # fmt: skip
    code, out, err = run(capsys, *base, "--answer", "need=yes", "--decide", "sales-ready")
    assert code == 3 and out == ""
    assert "refused, nothing was saved" in err and "Buying within a year" in err
    assert lead_json(capsys, url, lead_id)["calls"] == []

    answers = ["--answer", "need=yes", "--answer", "timeline=this quarter", "--answer",
               "budget=yes", "--answer", "budget_amount=60000", "--answer",
               "authority=decision maker"]  # fmt: skip
    code, out, err = run(capsys, *base, *answers, "--decide", "sales-ready")
    assert code == 0, err
    assert "sales-ready" in out and lead_json(capsys, url, lead_id)["status"] == "sales_ready"


def test_every_decision_kind_from_the_command_line(desk, capsys) -> None:  # noqa: ANN001
    url, leads = desk

    def log(lead_id: int, *extra: str) -> tuple[int, str, str]:
        return run(capsys, "--db", url, "log-call", str(lead_id), "--as", "rep.one",
                   "--disposition", "connected", "--json", *extra)  # fmt: skip

    touch = (date.today() + timedelta(days=10)).isoformat()
    code, out, err = log(leads[0], "--decide", f"nurture:twelve-touch@{touch}")
    assert code == 0, err
    assert json.loads(out)["status"] == "nurture"
    enrolment = lead_json(capsys, url, leads[0])["enrollment"]
    # A date without a time is midnight of the rep's own time zone.
    first_touch = datetime.fromisoformat(touch).astimezone()
    assert enrolment["track_key"] == "twelve-touch"
    # The track's day-0 call falls due at 09:00 of that business day in the lead's zone.
    twelve = next(t for t in default_tracks() if t.key == "twelve-touch")
    expected = step_due_at(twelve, 0, first_touch, zone=BERLIN, country="DE")
    assert datetime.fromisoformat(enrolment["next_call_at"]) == expected

    code, _, err = log(leads[1], "--decide", f"callback:{berlin_weekday_at(23)}")
    assert code == 3 and "never allowed before 08:00 or after 21:00" in err
    code, out, err = log(leads[1], "--decide", f"callback:{berlin_weekday_at(10)}", "--team")
    assert code == 0, err
    [(_, due, personal, _, _)] = lead_json(capsys, url, leads[1])["open_callbacks"]
    assert personal is False and due.startswith(berlin_weekday_at(10)[:10])

    code, _, err = log(leads[2], "--decide", "disqualify:other")
    assert code == 3 and "why the lead is disqualified" in err
    code, out, err = log(leads[2], "--decide", "disqualify:other", "--decision-note", "Retired.")
    assert code == 0 and json.loads(out)["status"] == "disqualified"

    code, out, err = log(leads[3], "--decide", "exception:strategic-account")
    assert code == 0 and json.loads(out)["status"] == "sales_ready"
    code, out, err = run(capsys, "--db", url, "log-call", str(leads[3]), "--as", "rep.one",
                         "--disposition", "connected", "--decide", "dnc")  # fmt: skip
    assert code == 0 and "do-not-call list" in out
    assert lead_json(capsys, url, leads[3])["do_not_call"] is True


def test_mistakes_are_one_line_with_the_right_exit_code(desk, capsys) -> None:  # noqa: ANN001
    url, (lead_id, other_lead, *_) = desk
    base = ["--db", url, "log-call", str(lead_id), "--as", "rep.one"]
    cases = [
        ([*base, "--disposition", "hung_up"], 2, "no disposition 'hung_up'"),
        ([*base, "--disposition", "busy", "--answer", "need"], 2, "must be QUESTION=VALUE"),
        ([*base, "--disposition", "busy", "--answer", "mood=happy"], 2, "no question 'mood'"),
        ([*base, "--disposition", "busy", "--answer", "need=perhaps"], 2, "Answer yes or no"),
        ([*base, "--disposition", "busy", "--decide", "promote"], 2, "is not a decision"),
        ([*base, "--disposition", "busy", "--decide", "callback:soon"], 2, "no callback time"),
        (["--db", url, "log-call", "999", "--as", "rep.one", "--disposition", "busy"], 1,
         "no lead with id 999"),
        (["--db", url, "lead", "999"], 1, "no lead with id 999"),
        ([*base, "--disposition", "busy", "--as", "nobody"], 1, "no user with the login"),
    ]  # fmt: skip
    for argv, exit_code, message in cases:
        code, out, err = run(capsys, *argv)
        assert (code, out) == (exit_code, ""), argv
        assert message in err and err.count("\n") == 1, err

    db = open_database(url).db
    claim(db, other_lead, 2, datetime.now(ZoneInfo("UTC")))
    db.dispose()
    code, _, err = run(capsys, "--db", url, "log-call", str(other_lead), "--as", "rep.one",
                       "--disposition", "busy")  # fmt: skip
    assert code == 1 and "held by Rep Two" in err
