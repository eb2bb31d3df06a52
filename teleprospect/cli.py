"""The ``teleprospect`` command: the GUI by default, sub-commands for everything scriptable.

User mistakes (a bad URL, an unreachable server, an unreadable file) end in one
clear line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from teleprospect import APP_NAME, __version__
from teleprospect.config import DB_ENV_VAR, resolve_db_url

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """A failure to report as one line, with its exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="teleprospect",
        description=f"{APP_NAME}: work a prioritised queue of leads, qualify them by phone "
        "and hand the sales-ready ones to sales. With no command, opens the main window.",
        epilog=f"The database is --db, else ${DB_ENV_VAR}, else a SQLite file in your user "
        "data folder. A team shares a PostgreSQL server: --db postgresql://USER@HOST/DBNAME.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: a SQLite file path, sqlite:///PATH or postgresql://USER@HOST[:PORT]/DB",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("gui", help="open the main window (the default)")

    db = commands.add_parser("db", help="database schema: show or upgrade its version")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser(
        "upgrade", help="bring the schema to this version (a SQLite file is backed up first)"
    )
    db_commands.add_parser("current", help="show the database, its schema version and the newest")

    demo = commands.add_parser("demo", help="fill the database with realistic demo data")
    demo.add_argument(
        "--leads",
        type=positive_int,
        default=2000,
        metavar="N",
        help="how many leads (default 2000; up to millions for benchmarks)",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=1,
        metavar="S",
        help="random seed: the same seed gives the same data (default 1)",
    )
    demo.add_argument(
        "--append",
        action="store_true",
        help="add demo data even when the database already holds leads",
    )
    return parser


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers: dict[str | None, Callable[[argparse.Namespace], int]] = {
        None: run_gui,
        "gui": run_gui,
        "db": run_db,
        "demo": run_demo,
    }
    try:
        return handlers[args.command](args)
    except CommandError as exc:
        print(f"teleprospect: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("teleprospect: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def open_db(args: argparse.Namespace, *, upgrade: bool = True):  # noqa: ANN201
    from teleprospect.services.database import DatabaseError, open_database

    choice = resolve_db_url(args.db)
    try:
        return open_database(choice.url, upgrade=upgrade)
    except DatabaseError as exc:
        raise CommandError(str(exc)) from None


def run_gui(args: argparse.Namespace) -> int:
    # Imported here so that the scriptable commands start without loading Qt.
    from teleprospect.ui.app import run_gui as start_gui

    return start_gui(resolve_db_url(args.db).url)


def run_db(args: argparse.Namespace) -> int:
    from teleprospect.services.database import schema_status

    opened = open_db(args, upgrade=args.db_command == "upgrade")
    db = opened.db
    try:
        if args.db_command == "upgrade":
            result = opened.upgrade
            if not result.changed:
                print(f"{db.describe()}: already at the newest schema ({result.after}).")
            else:
                print(
                    f"{db.describe()}: upgraded from {result.before or 'empty'} to {result.after}."
                )
                if result.backup:
                    print(f"Backup of the previous file: {result.backup}")
            return EXIT_OK
        status = schema_status(db)
        print(f"database: {db.describe()}")
        print(f"schema:   {status.current or 'empty (no schema yet)'}")
        print(f"newest:   {status.head}")
        if not status.up_to_date:
            print("Run `teleprospect db upgrade` (the app also upgrades on start-up).")
        return EXIT_OK
    finally:
        db.dispose()


def run_demo(args: argparse.Namespace) -> int:
    from teleprospect.services.demo import DemoRefused, load_demo

    opened = open_db(args)
    db = opened.db
    progress = TerminalProgress("Loading demo data")
    try:
        summary = load_demo(
            db, leads=args.leads, seed=args.seed, append=args.append, progress=progress
        )
    except DemoRefused as exc:
        raise CommandError(str(exc)) from None
    finally:
        progress.finish()
        db.dispose()
    print(
        f"Loaded {summary.leads:,} leads ({summary.invalid_phones:,} with a bad phone number, "
        f"flagged), {summary.campaigns} campaigns and {summary.users} users into "
        f"{db.describe()} in {summary.seconds:.1f} s."
    )
    return EXIT_OK


class TerminalProgress:
    """A one-line progress counter on stderr, shown only on a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.active = sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.active:
            percent = 100 * done // total if total else 100
            print(f"\r{self.label}: {done:,}/{total:,} ({percent}%)", end="", file=sys.stderr)
            self.shown = True

    def finish(self) -> None:
        if self.shown:
            print(file=sys.stderr)
