"""``teleprospect search``: a returning caller found from the terminal."""

from __future__ import annotations

import json

import pytest

from teleprospect.cli import main
from teleprospect.cli.common import ExitCode
from teleprospect.services.database import open_database
from teleprospect.store.models import Lead


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _leads(url: str) -> None:
    db = open_database(url, create=True).db
    with db.write() as session:
        session.add_all(
            [
                Lead(
                    first_name="Rahul",
                    last_name="Nair\x1b]0;pwned\x07",
                    company="Nordwind Logistics",
                    email="rahul@nordwind.example",
                    phone_raw="+1 (415) 555-0123",
                    phone_e164="+14155550123",
                ),
                *(Lead(first_name=f"Anna{n}", last_name="Berg", company="Acme") for n in range(5)),
            ]
        )
    db.dispose()


def test_search_finds_by_a_phone_fragment_and_strips_control_characters(
    sqlite_url: str, capsys
) -> None:
    _leads(sqlite_url)
    code, out, _ = run(capsys, "--db", sqlite_url, "search", "555-01")
    assert code == ExitCode.OK
    assert len(out.splitlines()) == 1
    assert "Rahul Nair" in out and "+14155550123" in out and "rahul@nordwind.example" in out
    assert "\x1b" not in out and "\x07" not in out


def test_search_json_and_limit(sqlite_url: str, capsys) -> None:
    _leads(sqlite_url)
    code, out, _ = run(capsys, "--db", sqlite_url, "search", "berg", "--json", "--limit", "3")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == ExitCode.OK and len(rows) == 3
    assert {row["company"] for row in rows} == {"Acme"}
    assert {"id", "name", "phone", "email", "status", "score", "held_by"} <= set(rows[0])


def test_nothing_found_is_said_and_is_no_error(sqlite_url: str, capsys) -> None:
    _leads(sqlite_url)
    code, out, _ = run(capsys, "--db", sqlite_url, "search", "zzyzx")
    assert code == ExitCode.OK and "No lead matches 'zzyzx'" in out


def usage_error(capsys, *argv: str) -> str:  # noqa: ANN001
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    out, err = capsys.readouterr()
    assert exited.value.code == ExitCode.USAGE and out == ""
    assert len(err.strip().splitlines()) == 1
    return err


def test_a_search_no_index_can_run_is_refused_in_one_sentence(sqlite_url: str, capsys) -> None:
    _leads(sqlite_url)
    assert "at least 3" in usage_error(capsys, "--db", sqlite_url, "search", "ab")
    assert "at most 200" in usage_error(capsys, "--db", sqlite_url, "search", "x" * 201)
    usage_error(capsys, "--db", sqlite_url, "search", "berg", "--limit", "0")
