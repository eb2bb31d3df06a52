"""Fuzzing every command line (issue 13, part 7): whatever is typed ends in an exit code
and at most one line on stderr, never a traceback.

Mostly parse-level: arbitrary tokens, with the command's own options among them so some
lines get past parsing and reach a database made once for the module. ``gui`` opens a
window and ``demo`` writes thousands of leads: they are only parsed, never run.
"""

from __future__ import annotations

import argparse
import io
import os
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from teleprospect.cli import build_parser, main
from teleprospect.cli.common import ExitCode
from teleprospect.services.identity.current_user import os_login

EXIT_CODES = {int(code) for code in ExitCode}
#: Only parsed: running them would open a window or fill the database for minutes.
PARSE_ONLY = {"gui", "demo"}


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _words(parser: argparse.ArgumentParser) -> list[str]:
    """The option strings, sub-actions and choices a command knows, its own and nested."""
    words: list[str] = []
    for action in parser._actions:
        words += [option for option in action.option_strings if option not in ("-h", "--help")]
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                words += [name, *_words(sub)]
        elif action.choices:
            words += [str(choice) for choice in action.choices]
    return words


COMMANDS = _subparsers(build_parser())

_ODD_VALUES = st.sampled_from(
    [
        "", " ", "-", "--", "0", "-1", "+7", "1" * 30, "9" * 5000, "1e9", "0x10", "١٢٣", "²",
        "nan", "\x00", "\x1b[31mred", "a\nb", "\r", "\udcff", "é" * 3000, "--bogus", "-x",
        "--as=", "--json", "1,000", "2026-02-30", "2026-12-03T25:00", "UTC", "Mars/Phobos",
        "x" * 10_000, "日本", "\u202e", "=1+1", "*", "..", "-h", "rot13", "utf-16", "\x00",
    ]
)  # fmt: skip
#: Values the demo desk knows: lead ids, logins, a campaign, a status.
_DESK_VALUES = st.one_of(
    st.integers(0, 35).map(str),
    st.sampled_from([os_login(), "maria.lopez", "sam.carter", "new", "A", "DE", "week"]),
)
#: Values never name a folder: a fuzzed ``--out`` writes nowhere but the test's folder.
_TEXT = st.text(st.characters(exclude_characters="/\\", exclude_categories=["Cs"]), max_size=30)


def _argv(command: str) -> st.SearchStrategy[list[str]]:
    known = st.sampled_from(_words(COMMANDS[command]) or ["--bogus"])
    token = st.one_of(known, known, _ODD_VALUES, _TEXT, _DESK_VALUES, st.integers().map(str))
    return st.lists(token, max_size=8).map(lambda tokens: [command, *tokens])


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One SQLite database for the module, made the way a user makes one: upgraded, then
    a small demo desk (its loader, this computer's login, is an admin team lead)."""
    folder = tmp_path_factory.mktemp("cli_fuzz")
    url = f"sqlite:///{folder / 'desk.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TELEPROSPECT_DATA_DIR", str(folder / "data"))
        code, _, err = run([], url, ["db", "upgrade"])
        assert code == ExitCode.OK, err
        code, _, err = run([], url, ["demo", "--leads", "30"])
        assert code == ExitCode.OK, err
    yield url


def run(prefix: list[str], url: str, argv: list[str]) -> tuple[int, str, str]:
    """``teleprospect --db URL argv``: its exit code, stdout and stderr, written as a UTF-8
    terminal takes them (stdout strict, stderr with backslash escapes)."""
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace")
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([*prefix, "--db", url, *argv])
        except SystemExit as stop:  # --help, --version, a wrong command line
            code = stop.code if isinstance(stop.code, int) else ExitCode.FAILURE
        out.flush()
        err.flush()
    return code, out_bytes.getvalue().decode(), err_bytes.getvalue().decode()


def parses(argv: list[str]) -> bool:
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        try:
            build_parser().parse_args(argv)
        except SystemExit:
            return False
    return True


def check(url: str, argv: list[str], folder: Path) -> None:
    if argv[0] in PARSE_ONLY and parses(argv):
        return
    cwd = os.getcwd()
    os.chdir(folder)  # a file a command writes by a relative name stays in the test's folder
    try:
        code, _, err = run([], url, argv)
    finally:
        os.chdir(cwd)
    assert code in EXIT_CODES, (code, err)
    assert "Traceback" not in err, err
    assert err.count("\n") <= 1, err
    assert not err or err.endswith("\n"), err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_any_command_line_ends_in_an_exit_code_and_one_line(
    command: str, db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp(f"cwd_{command}")

    @settings(max_examples=40)
    @given(argv=_argv(command))
    @example(argv=[command, "--bogus"])
    @example(argv=[command, "9" * 5000])
    @example(argv=[command, "\udcff"])
    def fuzz(argv: list[str]) -> None:
        check(db_url, argv, folder)

    fuzz()


@pytest.mark.parametrize("command", ["import", "import-activity"])
def test_a_file_name_not_in_utf8_is_told_in_one_line_and_logged(
    command: str, db_url: str, tmp_path: Path
) -> None:
    """A file name with bytes that are not UTF-8 (Linux hands them over as \\udcXX) once
    broke the log file's writing, which printed a traceback under the error line."""
    code, _, err = run([], db_url, [command, "caf\udce9.csv"])
    assert code == ExitCode.FAILURE
    assert err == "teleprospect: error: caf\\udce9.csv does not exist or is not a file.\n"
    log = Path(os.environ["TELEPROSPECT_DATA_DIR"]).rglob("*.log")
    assert "caf\\udce9.csv" in "".join(path.read_text(encoding="utf-8") for path in log)
