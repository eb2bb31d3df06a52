"""`teleprospect nurture …` and `engagement add`: the touches a user types their way through."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from teleprospect.cli import main
from teleprospect.services.database import open_database
from tests.services.call_fixtures import add_lead, add_users

# Monday 4 January 2027, 10:00 UTC: 11:00 in Berlin, a business day.
NOW = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def desk(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """One rep (the OS login rep.one) owning one lead; the database's clock frozen."""
    monkeypatch.setattr("teleprospect.services.clock.database_now", lambda session: NOW)
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "rep.one")
    db = open_database(sqlite_url).db
    me, _ = add_users(db)
    lead_id = add_lead(db, owner_id=me)
    db.dispose()
    return sqlite_url, lead_id


def test_enrol_list_the_touch_due_mark_it_done_and_a_reply_calls_the_lead(desk, capsys) -> None:  # noqa: ANN001
    url, lead_id = desk
    code, out, _ = run(
        capsys, "--db", url, "nurture", "enrol", str(lead_id), "--track", "twelve-touch"
    )
    assert code == 0 and "enrolled in 12-touch nurture" in out
    code, out, _ = run(capsys, "--db", url, "nurture", "due", "--json")
    due = json.loads(out)
    assert [t["title"] for t in due] == ["Thank-you email with the promised material"]
    code, out, _ = run(capsys, "--db", url, "nurture", "message", str(due[0]["id"]), "--json")
    message = json.loads(out)
    assert message["to"] == "lena.vogel@vogel.de" and message["mailto"].startswith("mailto:")
    assert "Lena" in message["body"]
    code, out, _ = run(
        capsys, "--db", url, "nurture", "done", str(due[0]["id"]), "--outcome", "sent"
    )
    assert code == 0
    assert json.loads(run(capsys, "--db", url, "nurture", "due", "--json")[1]) == []
    code, out, _ = run(
        capsys, "--db", url, "engagement", "add", str(lead_id), "--kind", "replied", "--json"
    )
    assert json.loads(out)["nurture"].startswith("responded to nurture (replied")


def test_mistakes_are_one_sentence_with_a_usage_or_refusal_code(desk, capsys) -> None:  # noqa: ANN001
    url, lead_id = desk
    code, _, err = run(capsys, "--db", url, "nurture", "skip", "999", "--reason", "x")
    assert code != 0 and "no open touch 999" in err and err.count("\n") == 1
    code, _, err = run(capsys, "--db", url, "engagement", "add", str(lead_id), "--kind", "waved")
    assert code != 0 and "'waved' is no kind of engagement" in err
    code, _, err = run(capsys, "--db", url, "nurture", "enrol", str(lead_id), "--track", "nope")
    assert code != 0 and "no nurture track 'nope'" in err
