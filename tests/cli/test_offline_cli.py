"""``log-call`` with the database server stopped: refused in one line without --offline-ok,
kept on this computer with it; ``journal`` shows what waits and sends it once the server is
back, each call exactly once."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from teleprospect.cli import main
from teleprospect.cli.common import ExitCode
from teleprospect.services.database import open_database
from teleprospect.services.queue.claims import open_lead
from teleprospect.store.models import Call, CallbackEntry, LeadAnswer
from tests.cli.test_call_cli import berlin_weekday_at
from tests.pg_server import LocalServer
from tests.services.call_fixtures import add_lead, add_users

pytestmark = pytest.mark.postgresql


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def desk(private_pg: LocalServer, private_pg_url: str) -> Iterator[tuple[str, list[int]]]:
    """Two reps; rep.one holds two leads (claimed from the queue before the outage)."""
    db = open_database(private_pg_url).db
    rep, _ = add_users(db)
    leads = [add_lead(db, email=f"lead{i}@vogel.de", phone_e164=f"+493090182{i}") for i in range(2)]
    for lead_id in leads:
        assert not open_lead(db, lead_id, rep).read_only
    db.dispose()
    yield private_pg_url, leads


def test_log_call_refuses_in_one_line_without_offline_ok_and_keeps_the_call_with_it(
    desk: tuple[str, list[int]], private_pg: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url, (first, second) = desk
    private_pg.stop()
    log = ("--db", url, "log-call", "--as", "rep.one")

    code, out, err = run(capsys, *log, str(first), "--disposition", "no-answer")
    assert code == ExitCode.FAILURE and out == ""
    assert err == (
        "teleprospect: error: The database server cannot be reached, so the call was not saved;"
        " try again when it is back, or add --offline-ok to keep it on this computer until then.\n"
    )

    code, out, err = run(
        capsys, *log, str(first), "--disposition", "no-answer", "--offline-ok", "--notes", "Rang."
    )
    assert (code, err) == (ExitCode.OK, "")
    assert out == (
        f"Server unreachable: the call with lead {first} was saved on this computer and will be"
        " sent when the server is back (1 waiting).\n"
    )
    callback_at = berlin_weekday_at(10)
    code, out, err = run(
        capsys, *log, str(second), "--disposition", "connected", "--answer", "budget_amount=25k",
        "--answer", "budget=yes", "--answer", "need=yes", "--decide", f"callback:{callback_at}",
        "--offline-ok", "--json",
    )  # fmt: skip
    assert code == ExitCode.OK, err
    kept = json.loads(out)
    assert kept["kept_on_this_computer"] and kept["waiting"] == 2 and kept["lead_id"] == second

    code, out, err = run(capsys, "--db", url, "journal")
    assert code == ExitCode.OK, err
    lines = out.splitlines()
    assert len(lines) == 3 and lines[-1] == "2 waiting to be sent, 0 held for review."
    assert lines[0].startswith("Waiting ") and lines[0].endswith("(rep.one): No answer; “Rang.”")
    assert "Connected; callback " in lines[1]
    code, out, _ = run(capsys, "--db", url, "journal", "--json")
    listed = json.loads(out)
    assert [entry["lead_id"] for entry in listed["waiting"]] == [first, second]
    assert listed["review"] == []

    # Sending while the server is still away: one line, nothing lost.
    code, out, err = run(capsys, "--db", url, "journal", "--send")
    assert code == ExitCode.FAILURE and out == ""
    assert err == (
        "teleprospect: error: The database server cannot be reached: 2 calls stay on this"
        " computer, waiting.\n"
    )

    private_pg.start()
    code, out, err = run(capsys, "--db", url, "journal", "--send")
    assert (code, err) == (ExitCode.OK, "")
    assert out == "Sent 2 calls kept on this computer.\n"
    code, out, _ = run(capsys, "--db", url, "journal", "--send", "--json")
    assert json.loads(out)["summary"] == "Nothing was waiting to be sent."
    code, out, _ = run(capsys, "--db", url, "journal")
    assert out == "Nothing is waiting: every call saved on this computer reached the server.\n"

    db = open_database(url).db
    try:
        with db.read() as s:
            calls = s.scalars(select(Call).order_by(Call.id)).all()
            assert [(c.lead_id, c.disposition.value, c.notes) for c in calls] == [  # type: ignore[union-attr]
                (first, "no_answer", "Rang."),
                (second, "connected", ""),
            ]
            assert all(c.client_action_id for c in calls)
            answers = dict(
                s.execute(
                    select(LeadAnswer.question_id, LeadAnswer.value).where(
                        LeadAnswer.lead_id == second
                    )
                ).all()
            )
            assert answers == {"budget_amount": 25000.0, "budget": True, "need": True}
            [callback] = s.scalars(select(CallbackEntry)).all()
            assert callback.lead_id == second
    finally:
        db.dispose()


def test_the_journal_command_on_a_computer_that_kept_nothing(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(sqlite_url).db.dispose()
    code, out, err = run(capsys, "--db", sqlite_url, "journal")
    assert (code, err) == (ExitCode.OK, "")
    assert out == "Nothing is waiting: every call saved on this computer reached the server.\n"
    code, out, err = run(capsys, "--db", sqlite_url, "journal", "--send")
    assert (code, out, err) == (ExitCode.OK, "Nothing was waiting to be sent.\n", "")
