"""``teleprospect callbacks``: the callbacks a rep has promised and the team's, with each
time in the rep's zone (this computer's) and the lead's."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from teleprospect.cli.common import (
    ExitCode,
    acting_user_id,
    add_as_option,
    add_json_option,
    database,
    print_json_lines,
    say,
    user_by_login,
)
from teleprospect.core.callback_slots import CallbackWhen, both_zones_text

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands


def setup_parser(commands: Commands) -> None:
    parser = commands.add_parser(
        "callbacks",
        help="list the callbacks due: overdue, today's and upcoming",
        description="Your open callbacks and the team's, soonest first, each with its time "
        "here (this computer's zone) and at the lead. Overdue and today's are judged by the "
        "database's clock.",
    )
    add_as_option(parser)
    parser.add_argument(
        "--user",
        metavar="LOGIN",
        help="list the callbacks this rep sees (team leads only; --as acts as someone else)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--overdue", action="store_true", help="only the overdue ones")
    which.add_argument("--today", action="store_true", help="only those due later today")
    add_json_option(parser, "one line per callback")
    parser.set_defaults(run=run_callbacks)


def _here() -> datetime:
    return datetime.now().astimezone()


def run_callbacks(args: argparse.Namespace) -> int:
    from teleprospect.services.calls.callback_list import list_callbacks

    only = CallbackWhen.OVERDUE if args.overdue else CallbackWhen.TODAY if args.today else None
    zone = _here().tzinfo
    assert zone is not None
    with database(args) as db:
        user_id = acting_user_id(db, args)
        whose = user_by_login(db, args.user) if args.user else None
        found = list_callbacks(db, user_id, of_user_id=whose, only=only, display_zone=zone)
    if args.json:
        print_json_lines(
            {
                **row.as_json(),
                "here": row.due_at.astimezone(zone).isoformat(timespec="minutes"),
                "at_lead": both_zones_text(row.due_at, zone, row.lead_zones),
            }
            for row in found.rows
        )
        return ExitCode.OK
    if not found.rows:
        what = {None: "open", CallbackWhen.OVERDUE: "overdue", CallbackWhen.TODAY: "more"}[only]
        say(f"No {what} callbacks{' today' if only is CallbackWhen.TODAY else ''}.")
        return ExitCode.OK
    for row in found.rows:
        local = row.due_at.astimezone(zone)
        kind = "personal" if row.personal else "team"
        if row.personal and row.owner_name and whose is not None:
            kind = f"personal, {row.owner_name}"
        note = f" — {row.note}" if row.note else ""
        say(
            f"{row.when.label:<8} {local:%Y-%m-%d} #{row.lead_id} {row.name} ({row.company}):"
            f" {both_zones_text(row.due_at, zone, row.lead_zones)} [{kind}]{note}"
        )
    if found.truncated:
        say(f"(the soonest {len(found.rows)} shown)")
    return ExitCode.OK
