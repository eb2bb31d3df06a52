"""``teleprospect journal``: the calls this computer kept while the database server could not
be reached (``log-call --offline-ok``, or the app), and sending them now (``--send``).

The app sends them by itself once the server answers again; this command is for
dialers and scripts, and for a look at what is still waiting."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from teleprospect.cli.common import (
    CommandError,
    ExitCode,
    add_json_option,
    database,
    print_json,
    say,
)

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands
    from teleprospect.services.offline.journal import JournalEntry


def setup_parser(commands: Commands) -> None:
    journal = commands.add_parser(
        "journal",
        help="the calls kept on this computer while the server was away; --send sends them",
        description="List the calls this computer kept while the database server could not be "
        "reached, in the order they were made: those waiting to be sent and those the server "
        "held for review (the lead changed meanwhile). With --send, send the waiting ones now, "
        "each exactly once; the app does the same by itself when the server is back.",
    )
    journal.add_argument(
        "--send", action="store_true", help="send the waiting calls to the server now"
    )
    add_json_option(journal, "the calls (or what became of them)")
    journal.set_defaults(run=run_journal)


def _line(entry: JournalEntry) -> str:
    who = entry.as_login or entry.login
    name = entry.lead_name or f"lead {entry.lead_id}"
    text = f"{entry.state.label:<10} {entry.taken_at:%Y-%m-%d %H:%M} UTC  {name} ({who}): "
    text += entry.summary
    return text + (f" — {entry.reason}" if entry.reason else "")


def run_journal(args: argparse.Namespace) -> int:
    return _send(args) if args.send else _show(args)


def _show(args: argparse.Namespace) -> int:
    from teleprospect.config import resolve_db_url
    from teleprospect.services.offline.journal import EntryState, journal_for_url

    journal = journal_for_url(resolve_db_url(args.db).url)
    waiting = journal.entries(EntryState.WAITING)
    review = journal.entries(EntryState.REVIEW)
    if args.json:
        print_json(
            {
                "waiting": [entry.as_json() for entry in waiting],
                "review": [entry.as_json() for entry in review],
            }
        )
        return ExitCode.OK
    for entry in [*waiting, *review]:
        say(_line(entry))
    if not waiting and not review:
        say("Nothing is waiting: every call saved on this computer reached the server.")
    else:
        say(f"{len(waiting)} waiting to be sent, {len(review)} held for review.")
    return ExitCode.OK


def _send(args: argparse.Namespace) -> int:
    from teleprospect.config import resolve_db_url
    from teleprospect.services.offline.connection import is_unreachable
    from teleprospect.services.offline.journal import journal_for_url, journal_of
    from teleprospect.services.offline.replay import replay_journal

    try:
        with database(args) as db:
            report = replay_journal(db, journal_of(db))
    except Exception as error:
        if not is_unreachable(error):
            raise
        waiting = journal_for_url(resolve_db_url(args.db).url).count()
        raise CommandError.about(
            error,
            f"The database server cannot be reached: {waiting} call"
            f"{'s' if waiting != 1 else ''} stay on this computer, waiting.",
        ) from None
    if args.json:
        print_json(
            {
                "applied": [
                    {"client_action_id": o.client_action_id, "call_id": o.call_id, "text": o.text}
                    for o in report.applied
                ],
                "review": [
                    {"client_action_id": o.client_action_id, "text": o.text} for o in report.review
                ],
                "waiting": report.waiting,
                "summary": report.describe(),
            }
        )
    else:
        say(report.describe())
        for outcome in report.review:
            say(f"  held for review: {outcome.text}")
    return ExitCode.FAILURE if report.waiting else ExitCode.OK
