"""The ``teleprospect`` command: the GUI by default, sub-commands for everything scriptable.

User mistakes (a bad URL, an unreachable server, an unreadable file) end in one
clear line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from teleprospect import APP_NAME, __version__
from teleprospect.cli_calls import add_call_commands, run_lead, run_log_call
from teleprospect.config import DB_ENV_VAR, data_dir, resolve_db_url
from teleprospect.core.domain import DuplicatePolicy

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
    add_import_commands(commands)
    add_queue_commands(commands)
    add_call_commands(commands)
    from teleprospect.cli_team import add_team_commands

    add_team_commands(commands)
    return parser


def add_queue_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    queue = commands.add_parser(
        "queue",
        help="print a rep's call queue in order, with the reason for each place",
        description="The leads due for a call now, in queue order: due callbacks, fresh "
        "inbound leads, then the backlog by priority; only leads inside their calling hours.",
    )
    queue.add_argument("--user", metavar="LOGIN", help="whose queue (default: your login)")
    queue.add_argument(
        "--limit", type=positive_int, default=20, metavar="N", help="how many (default 20)"
    )
    queue.add_argument("--json", action="store_true", help="print one JSON object per line")

    claim = commands.add_parser(
        "claim",
        help="claim the next lead of a rep's queue and print it",
        description="Hand the next lead of the queue to LOGIN with a lease of a few minutes; "
        "no other workstation gets it meanwhile.",
    )
    claim.add_argument("--user", metavar="LOGIN", help="who claims (default: your login)")
    claim.add_argument(
        "--lease",
        type=positive_int,
        default=5,
        metavar="MINUTES",
        help="how long the claim holds without renewal (default 5)",
    )
    claim.add_argument("--json", action="store_true", help="print the lead as one JSON object")

    release = commands.add_parser("release", help="give a claimed lead back to the queue")
    release.add_argument("lead_id", type=positive_int, metavar="LEAD_ID")
    release.add_argument("--user", metavar="LOGIN", help="who holds it (default: your login)")

    rescore = commands.add_parser(
        "rescore", help="re-score every lead with the scoring rules in force"
    )
    rescore.add_argument("--json", action="store_true", help="print the summary as JSON")


def add_import_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = commands.add_parser(
        "import",
        help="import leads from a CSV file (any CRM or marketing export)",
        description="Import leads from a CSV file. Encoding and delimiter are detected, "
        "columns are mapped from their names, phones normalised, duplicates found and "
        "do-not-call numbers and emails kept out of the queue. All or nothing.",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument(
        "--campaign",
        metavar="NAME",
        help="campaign the leads came from (created if it does not exist)",
    )
    imp.add_argument(
        "--region",
        metavar="CC",
        help="country for numbers written without +code (default: the campaign's)",
    )
    imp.add_argument("--mapping", metavar="NAME", help="use a saved column mapping")
    imp.add_argument(
        "--save-mapping",
        metavar="NAME",
        help="save the mapping used under this name for the next file",
    )
    imp.add_argument(
        "--on-duplicate",
        choices=[p.value for p in DuplicatePolicy],
        default=DuplicatePolicy.SKIP.value,
        help="skip duplicates (default), update the existing lead with the "
        "file's non-empty values, or import and mark as possible duplicate",
    )
    imp.add_argument("--encoding", help="read with this encoding instead of detecting it")
    imp.add_argument("--delimiter", help="column separator instead of detecting it ('\\t' = tab)")
    imp.add_argument(
        "--dry-run", action="store_true", help="read and check everything, report, but save nothing"
    )
    imp.add_argument(
        "--again",
        action="store_true",
        help="import a file that was imported before (same checksum)",
    )
    imp.add_argument("--json", action="store_true", help="print the summary as one JSON object")

    act = commands.add_parser(
        "import-activity",
        help="import engagement events (visits, downloads, email replies, webinars) from a CSV",
        description="Import an activity export: each row names a lead by email, what they "
        "did and when. Rows matching no lead are listed in the reject file.",
    )
    act.add_argument("file", type=Path, metavar="FILE")
    act.add_argument(
        "--time-zone",
        default="UTC",
        metavar="ZONE",
        help="zone of times written without one, e.g. Europe/Paris (default UTC)",
    )
    act.add_argument(
        "--day-first",
        action="store_true",
        help="read 03/04/2026 as 3 April (default: month first, as in the US)",
    )
    act.add_argument("--encoding", help="read with this encoding instead of detecting it")
    act.add_argument("--delimiter", help="column separator instead of detecting it")
    act.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
    act.add_argument("--again", action="store_true", help="import a file imported before")
    act.add_argument("--json", action="store_true", help="print the summary as one JSON object")


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
        "import": run_import,
        "import-activity": run_import_activity,
        "queue": run_queue,
        "claim": run_claim,
        "release": run_release,
        "rescore": run_rescore,
        "log-call": run_log_call,
        "lead": run_lead,
    }
    from teleprospect.cli_team import TEAM_HANDLERS

    handlers.update(TEAM_HANDLERS)
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
    from teleprospect.demo.loader import DemoRefused, load_demo

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


def delimiter_arg(text: str | None) -> str | None:
    """A tab is hard to type on a command line: accept \\t and "tab" for it."""
    return "\t" if text in ("\\t", "tab", "TAB") else text


def import_error(error: Exception) -> CommandError:
    from teleprospect.services.imports.leads import AlreadyImported

    hint = " Add --again to import it anyway." if isinstance(error, AlreadyImported) else ""
    return CommandError(f"{error}{hint}")


def run_import(args: argparse.Namespace) -> int:
    from teleprospect.core.csv_reader import CsvError
    from teleprospect.services.identity.current_user import os_login
    from teleprospect.services.imports.leads import (
        ImportError_,
        LeadImportRequest,
        import_leads,
        load_mapping,
        save_mapping,
    )

    opened = open_db(args)
    db = opened.db
    progress = TerminalProgress(f"Importing {args.file.name}")
    delimiter = delimiter_arg(args.delimiter)
    try:
        mapping = load_mapping(db, args.mapping) if args.mapping else None
        request = LeadImportRequest(
            path=args.file,
            mapping=mapping,
            encoding=args.encoding,
            delimiter=delimiter,
            campaign_name=args.campaign,
            default_region=args.region,
            on_duplicate=DuplicatePolicy(args.on_duplicate),
            dry_run=args.dry_run,
            allow_reimport=args.again,
            report_dir=data_dir() / "imports",
            login=os_login(),
        )
        summary = import_leads(db, request, progress=progress)
        if args.save_mapping:
            from teleprospect.services.imports.leads import preview_file

            used = (
                mapping
                or preview_file(
                    db, args.file, encoding=args.encoding, delimiter=delimiter
                ).suggested
            )
            save_mapping(db, args.save_mapping, used)
    except (ImportError_, CsvError, ValueError) as exc:
        raise import_error(exc) from None
    finally:
        progress.finish()
        db.dispose()
    if args.json:
        print(json.dumps(summary.as_json()))
        return EXIT_OK
    if summary.campaign_created and not summary.dry_run:
        print(f"Created the campaign {summary.campaign!r}.")
    verb = "Would import" if summary.dry_run else "Imported"
    print(
        f"{verb} {summary.imported:,} new leads from {summary.rows:,} rows of {args.file.name} "
        f"({summary.dialect}): {summary.updated:,} updated, {summary.duplicates:,} duplicates, "
        f"{summary.rejected:,} rejected, {summary.invalid_phones:,} without a valid phone, "
        f"{summary.dnc:,} do-not-call."
    )
    if summary.reject_file:
        print(f"Rejected rows: {summary.reject_file}")
    if summary.summary_file:
        print(f"Summary: {summary.summary_file}")
    return EXIT_OK


def run_import_activity(args: argparse.Namespace) -> int:
    from teleprospect.core.csv_reader import CsvError
    from teleprospect.services.identity.current_user import os_login
    from teleprospect.services.imports.activity import ActivityImportRequest, import_activity
    from teleprospect.services.imports.leads import ImportError_

    opened = open_db(args)
    db = opened.db
    delimiter = delimiter_arg(args.delimiter)
    try:
        summary = import_activity(
            db,
            ActivityImportRequest(
                path=args.file,
                encoding=args.encoding,
                delimiter=delimiter,
                day_first=args.day_first,
                time_zone=args.time_zone,
                dry_run=args.dry_run,
                allow_reimport=args.again,
                report_dir=data_dir() / "imports",
                login=os_login(),
            ),
        )
    except (ImportError_, CsvError) as exc:
        raise import_error(exc) from None
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(summary.as_json()))
        return EXIT_OK
    verb = "Would store" if summary.dry_run else "Stored"
    print(
        f"{verb} {summary.imported:,} engagement events for {summary.leads_touched:,} leads from "
        f"{summary.rows:,} rows of {args.file.name}: {summary.already_known:,} already known, "
        f"{summary.unmatched:,} matching no lead, {summary.rejected:,} rejected in all."
    )
    if summary.reject_file:
        print(f"Rejected rows: {summary.reject_file}")
    return EXIT_OK


def _user_id(db, login: str | None) -> int:  # noqa: ANN001
    from teleprospect.services.errors import UnknownUser
    from teleprospect.services.identity.current_user import os_login
    from teleprospect.services.queue.claims import find_user_id

    login = login or os_login()
    try:
        return find_user_id(db, login)
    except UnknownUser:
        raise CommandError(
            f"There is no user with the login {login!r}; give one with --user."
        ) from None


def run_queue(args: argparse.Namespace) -> int:
    from teleprospect.services.queue.page import queue_page

    db = open_db(args).db
    try:
        entries = queue_page(db, _user_id(db, args.user), limit=args.limit)
    finally:
        db.dispose()
    if args.json:
        for position, e in enumerate(entries, start=1):
            print(
                json.dumps(
                    {
                        "position": position,
                        "id": e.lead_id,
                        "reason": e.reason,
                        "name": e.name,
                        "company": e.company,
                        "phone": e.phone_e164,
                        "local_time": e.local_time,
                        "score": e.score,
                        "grade": e.grade,
                        "attempts": e.attempts,
                        "campaign": e.campaign,
                    }
                )
            )
        return EXIT_OK
    if not entries:
        print("The queue is empty: nobody is due for a call now.")
        return EXIT_OK
    for position, e in enumerate(entries, start=1):
        print(
            f"{position:>3}. #{e.lead_id} {e.name} ({e.company}) — {e.reason};"
            f" {e.local_time} local, score {e.score} {e.grade}"
        )
    return EXIT_OK


def run_claim(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from teleprospect.services.queue.claims import claim_next

    db = open_db(args).db
    try:
        claimed = claim_next(db, _user_id(db, args.user), lease=timedelta(minutes=args.lease))
    finally:
        db.dispose()
    if claimed is None:
        if args.json:
            print(json.dumps(None))
        else:
            print("Nothing to claim: the queue is empty.")
        return EXIT_OK
    if args.json:
        print(json.dumps(claimed.as_json()))
        return EXIT_OK
    print(
        f"Claimed #{claimed.lead_id} {claimed.name} ({claimed.company}),"
        f" {claimed.phone_e164 or 'no valid phone'}, {claimed.local_time} local — "
        f"{claimed.reason}. Held until {claimed.claim_expires_at:%H:%M:%S} UTC."
    )
    return EXIT_OK


def run_release(args: argparse.Namespace) -> int:
    from teleprospect.services.errors import LeadNotFound
    from teleprospect.services.queue.claims import release_claim

    db = open_db(args).db
    try:
        released = release_claim(db, args.lead_id, _user_id(db, args.user))
    except LeadNotFound as exc:
        raise CommandError(str(exc)) from None
    finally:
        db.dispose()
    if not released:
        raise CommandError(f"Lead {args.lead_id} is not claimed by you; nothing was released.")
    print(f"Released lead {args.lead_id}: it is back in the queue.")
    return EXIT_OK


def run_rescore(args: argparse.Namespace) -> int:
    from teleprospect.services.scoring.scores import rescore_all

    db = open_db(args).db
    progress = TerminalProgress("Re-scoring")
    try:
        summary = rescore_all(db, progress=progress)
    finally:
        progress.finish()
        db.dispose()
    if args.json:
        print(json.dumps(summary.as_json()))
        return EXIT_OK
    print(
        f"Re-scored {summary.leads:,} leads with scoring rules version {summary.rules_version}:"
        f" {summary.changed:,} scores changed, in {summary.seconds:.1f} s."
    )
    return EXIT_OK
