"""``teleprospect queue``, ``claim``, ``release`` and ``rescore``: the call queue."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import TYPE_CHECKING

from teleprospect.cli.common import (
    CommandError,
    ExitCode,
    TerminalProgress,
    acting_user_id,
    add_as_option,
    add_json_option,
    database,
    print_json,
    print_json_lines,
    record_id,
    say,
    whole_number,
)
from teleprospect.core.leases import DEFAULT_LEASE, MAX_LEASE, MIN_LEASE

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands

#: A page of a queue: more than anyone calls in a week, few enough to print.
MAX_QUEUE_LIMIT = 100_000
_MINUTE = timedelta(minutes=1)
#: ``--lease``: the lease limits of the desk, in whole minutes (refused before any work).
MIN_LEASE_MINUTES = MIN_LEASE // _MINUTE
MAX_LEASE_MINUTES = MAX_LEASE // _MINUTE
DEFAULT_LEASE_MINUTES = DEFAULT_LEASE // _MINUTE


def setup_parser(commands: Commands) -> None:
    queue = commands.add_parser(
        "queue",
        help="print a rep's call queue in order, with the reason for each place",
        description="The leads due for a call now, in queue order: due callbacks, fresh "
        "inbound leads, then the backlog by priority; only leads inside their calling hours.",
    )
    add_as_option(queue)
    queue.add_argument(
        "--limit",
        type=whole_number(1, MAX_QUEUE_LIMIT),
        default=20,
        metavar="N",
        help="how many (default 20)",
    )
    add_json_option(queue, "one line per lead")
    queue.set_defaults(run=run_queue)

    claim = commands.add_parser(
        "claim",
        help="claim the next lead of a rep's queue and print it",
        description="Hand the next lead of the queue to you (or --as LOGIN) with a lease of "
        "a few minutes; no other workstation gets it meanwhile. The lease runs on the "
        "database's clock (a team server's, whatever this computer's clock says).",
    )
    add_as_option(claim)
    claim.add_argument(
        "--lease",
        type=whole_number(MIN_LEASE_MINUTES, MAX_LEASE_MINUTES, unit="minutes"),
        default=DEFAULT_LEASE_MINUTES,
        metavar="MINUTES",
        help=f"how long the claim holds without renewal, {MIN_LEASE_MINUTES} to"
        f" {MAX_LEASE_MINUTES} (default {DEFAULT_LEASE_MINUTES})",
    )
    add_json_option(claim, "the lead")
    claim.set_defaults(run=run_claim)

    release = commands.add_parser("release", help="give a claimed lead back to the queue")
    release.add_argument("lead_id", type=record_id, metavar="LEAD_ID")
    add_as_option(release)
    release.set_defaults(run=run_release)

    rescore = commands.add_parser(
        "rescore", help="re-score every lead with the scoring rules in force"
    )
    add_json_option(rescore, "the summary")
    rescore.set_defaults(run=run_rescore)


def run_queue(args: argparse.Namespace) -> int:
    from teleprospect.services.queue.page import queue_page

    with database(args) as db:
        entries = queue_page(db, acting_user_id(db, args), limit=args.limit)
    if args.json:
        print_json_lines(
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
                "calls": e.calls,
                "last_outcome": e.last_outcome,
                "campaign": e.campaign,
            }
            for position, e in enumerate(entries, start=1)
        )
        return ExitCode.OK
    if not entries:
        say("The queue is empty: nobody is due for a call now.")
        return ExitCode.OK
    for position, e in enumerate(entries, start=1):
        say(
            f"{position:>3}. #{e.lead_id} {e.name} ({e.company}) — {e.reason};"
            f" {e.local_time} local, score {e.score} {e.grade}"
        )
    return ExitCode.OK


def run_claim(args: argparse.Namespace) -> int:
    from teleprospect.services.queue.claims import claim_next

    with database(args) as db:
        claimed = claim_next(db, acting_user_id(db, args), lease=timedelta(minutes=args.lease))
    if claimed is None:
        if args.json:
            print_json(None)
        else:
            say("Nothing to claim: the queue is empty.")
        return ExitCode.OK
    if args.json:
        print_json(claimed.as_json())
        return ExitCode.OK
    say(
        f"Claimed #{claimed.lead_id} {claimed.name} ({claimed.company}),"
        f" {claimed.phone_e164 or 'no valid phone'}, {claimed.local_time} local — "
        f"{claimed.reason}. Held until {claimed.claim_expires_at:%H:%M:%S} UTC."
    )
    return ExitCode.OK


def run_release(args: argparse.Namespace) -> int:
    from teleprospect.services.queue.claims import release_claim

    with database(args) as db:
        released = release_claim(db, args.lead_id, acting_user_id(db, args))
    if not released:
        raise CommandError(f"Lead {args.lead_id} is not claimed by you; nothing was released.")
    say(f"Released lead {args.lead_id}: it is back in the queue.")
    return ExitCode.OK


def run_rescore(args: argparse.Namespace) -> int:
    from teleprospect.services.scoring.rescore import rescore_all

    progress = TerminalProgress("Re-scoring")
    with database(args) as db:
        try:
            summary = rescore_all(db, progress=progress)
        finally:
            progress.finish()
    if args.json:
        print_json(summary.as_json())
        return ExitCode.OK
    say(
        f"Re-scored {summary.leads:,} leads with scoring rules version {summary.rules_version}:"
        f" {summary.changed:,} scores and {summary.reordered:,} places in the queue changed,"
        f" in {summary.seconds:.1f} s."
    )
    return ExitCode.OK
