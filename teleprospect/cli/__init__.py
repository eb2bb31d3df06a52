"""The ``teleprospect`` command: the GUI by default, sub-commands for everything scriptable.

Each area of the product registers its commands from its own module (:data:`AREAS`, in
the order ``--help`` lists them); :mod:`teleprospect.cli.common` holds what they share.
Whatever fails ends in one line on stderr and a named exit code, never a traceback.

Adding a command: in its area's module (or a new ``cli/<area>.py`` added to
:data:`AREAS`), ``setup_parser`` adds the parser, its options (``add_as_option`` when it
acts for someone, ``add_json_option``, types from ``common``) and
``set_defaults(run=run_x)``; ``run_x(args) -> int`` opens ``with database(args) as db:``,
calls one service function and prints; it raises instead of printing errors. Its tests go
to ``tests/cli/``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from teleprospect import APP_NAME, __version__
from teleprospect.cli import (
    audit,
    callbacks,
    calls,
    database,
    demo,
    gui,
    imports,
    journal,
    nurture,
    queue,
    reports,
    search,
    settings,
    team,
    undo,
    users,
)
from teleprospect.cli.common import (
    PROG,
    ExitCode,
    error_message,
    exit_code_for,
    exit_codes_help,
)
from teleprospect.config import DB_ENV_VAR
from teleprospect.core.text import printable, shorten
from teleprospect.logfile import log_failure, setup_logging

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands

__all__ = ["AREAS", "build_parser", "main"]

#: Every area's ``setup_parser``; a new area adds its module here.
AREAS: tuple[Callable[[Commands], None], ...] = (
    gui.setup_parser,
    database.setup_parser,
    demo.setup_parser,
    imports.setup_parser,
    queue.setup_parser,
    calls.setup_parser,
    callbacks.setup_parser,
    journal.setup_parser,
    users.setup_parser,
    team.setup_parser,
    settings.setup_parser,
    audit.setup_parser,
    reports.setup_parser,
    search.setup_parser,
    undo.setup_parser,
    nurture.setup_parser,
)


class Parser(argparse.ArgumentParser):
    """argparse's parser, but a wrong command line is told in one line (and exit 2)."""

    def error(self, message: str) -> NoReturn:
        line = shorten(printable(message), 300)
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {line} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = Parser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=f"{APP_NAME}: work a prioritised queue of leads, qualify them by phone\n"
        "and hand the sales-ready ones to sales. With no command, opens the main window.",
        epilog=f"The database is --db, else ${DB_ENV_VAR}, else a SQLite file in your user data\n"
        "folder. A team shares a PostgreSQL server: --db postgresql://USER@HOST/DBNAME.\n"
        "Commands act as you, as the database proves it: your own PostgreSQL login, or\n"
        "your computer account (its user id, not $USER) on SQLite. An admin may act as\n"
        "someone else with --as LOGIN; each use is recorded in the audit trail.\n\n"
        f"{exit_codes_help()}",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: a SQLite file path, sqlite:///PATH or postgresql://USER@HOST[:PORT]/DB",
    )
    parser.set_defaults(run=gui.run_gui)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for setup_parser in AREAS:
        setup_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` (default: the process's arguments); return its exit code.

    Whatever fails is told in one line on stderr, with the exit code :func:`exit_code_for`
    gives it; its traceback goes to the log file (:mod:`teleprospect.logfile`).
    """
    setup_logging("command line")
    command = PROG
    try:
        args = build_parser().parse_args(argv)
        command = f"{PROG} {args.command or 'gui'}"
        code = int(args.run(args))
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader went away (`teleprospect lead 1 | head -1`): stop quietly.
        _silence_stdout()
        return ExitCode.FAILURE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except SystemExit:
        # --help, --version and argument errors: argparse has said it; let its text out.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
        raise
    except Exception as error:  # noqa: BLE001 - every failure ends in one line, never a traceback
        from teleprospect.services.errors import is_expected

        log_failure(error, command, expected=is_expected(error))
        print(f"{PROG}: error: {error_message(error)}", file=sys.stderr)
        return exit_code_for(error)


def _silence_stdout() -> None:
    """Point stdout at the null device, so Python's own flush at exit fails no more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (tests capture it): nothing will flush into a closed pipe
