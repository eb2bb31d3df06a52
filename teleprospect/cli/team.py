"""The team lead's commands: ``reassign``, ``export``, ``acceptance`` and ``workload``.

They act as your computer login's user, or ``--as LOGIN``; an action your role does not
allow ends with its reason and :attr:`~teleprospect.cli.common.ExitCode.NOT_PERMITTED`.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teleprospect.cli.common import (
    CommandError,
    ExitCode,
    acting_user_id,
    add_as_option,
    add_json_option,
    database,
    delimiter,
    error_message,
    id_list,
    name_text,
    print_json,
    record_id,
    say,
    user_by_login,
)

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands
    from teleprospect.store.database import Database

STATUS_CHOICES = {
    "new": "new",
    "working": "working",
    "nurture": "nurture",
    "sales-ready": "sales_ready",
    "sales_ready": "sales_ready",
    "handed-off": "handed_off",
    "handed_off": "handed_off",
}


def setup_parser(commands: Commands) -> None:
    _add_reassign(commands)
    _add_export(commands)
    _add_acceptance(commands)
    _add_workload(commands)


def _add_reassign(commands: Commands) -> None:
    reassign = commands.add_parser(
        "reassign",
        help="move leads to other reps (or undo a reassignment)",
        description="Move the leads the filters select to one rep, or spread them over "
        "several. Open callbacks and nurture enrollments go along; leads someone is "
        "working right now are skipped unless --include-claimed. The move is recorded and "
        "can be undone as one with --undo.",
    )
    reassign.add_argument("--from", dest="from_login", metavar="LOGIN", help="leads of this rep")
    reassign.add_argument(
        "--to", metavar="LOGIN[,LOGIN…]", help="the rep, or reps, who get the leads"
    )
    reassign.add_argument(
        "--spread",
        choices=["round-robin", "least-loaded"],
        default="round-robin",
        help="how several reps share the leads (default round-robin)",
    )
    reassign.add_argument("--lead", metavar="ID[,ID…]", help="these leads (ids)")
    reassign.add_argument(
        "--campaign", type=name_text, metavar="NAME", help="leads of this campaign"
    )
    reassign.add_argument(
        "--status",
        metavar="S[,S…]",
        help="new, working, nurture, sales-ready (default: all four)",
    )
    reassign.add_argument("--grade", metavar="G", help="leads of this grade (A, B, …)")
    reassign.add_argument("--country", metavar="CC", help="leads in this country (ISO code)")
    reassign.add_argument(
        "--inactive-since",
        metavar="DATE",
        help="leads with no call (or arrival) since DATE (YYYY-MM-DD)",
    )
    reassign.add_argument(
        "--active-since", metavar="DATE", help="leads called (or arrived) since DATE"
    )
    reassign.add_argument(
        "--include-claimed",
        action="store_true",
        help="also move leads someone is working right now",
    )
    reassign.add_argument("--reason", default="", help="why, for the leads' history")
    reassign.add_argument(
        "--dry-run", action="store_true", help="show what would move; change nothing"
    )
    reassign.add_argument(
        "--undo", type=record_id, metavar="BATCH_ID", help="undo reassignment BATCH_ID"
    )
    add_as_option(reassign)
    add_json_option(reassign)
    reassign.set_defaults(run=run_reassign)


def _add_export(commands: Commands) -> None:
    export = commands.add_parser(
        "export",
        help="hand sales-ready leads to sales as a CRM file",
        description="Write the sales-ready leads, each with its qualification story and a "
        "reference sales can send back, as one recorded batch; they move to handed off.",
    )
    export.add_argument("--status", choices=["sales-ready"], default="sales-ready")
    export.add_argument("--format", choices=["salesforce", "hubspot", "full"], default="salesforce")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument("--force", action="store_true", help="replace FILE when it already exists")
    export.add_argument("--lead", metavar="ID[,ID…]", help="these leads (ids)")
    export.add_argument("--campaign", type=name_text, metavar="NAME", help="leads of this campaign")
    export.add_argument("--owner", metavar="LOGIN", help="leads of this rep")
    export.add_argument("--country", metavar="CC", help="leads in this country (ISO code)")
    export.add_argument(
        "--again", action="store_true", help="also export leads handed to sales before"
    )
    add_as_option(export)
    add_json_option(export)
    export.set_defaults(run=run_export)


def _add_acceptance(commands: Commands) -> None:
    acceptance = commands.add_parser(
        "acceptance",
        help="import sales' verdicts (accepted or rejected) on handed-off leads",
        description="Each row names a lead by its id, email or Teleprospect reference and "
        "says accepted or rejected (yes/no, won/lost… work too), with a reason and a date. "
        "Bad rows are listed with their row number and go to a reject file.",
    )
    acceptance.add_argument("file", type=Path, metavar="FILE")
    acceptance.add_argument(
        "--rejected-to",
        choices=["nurture", "disqualified"],
        default="nurture",
        help="where rejected leads go (default nurture)",
    )
    acceptance.add_argument("--day-first", action="store_true", help="read 03/04 as 3 April")
    acceptance.add_argument("--time-zone", default="UTC", metavar="ZONE")
    acceptance.add_argument("--encoding", help="read with this encoding instead of detecting it")
    acceptance.add_argument(
        "--delimiter", type=delimiter, help="column separator instead of detecting it"
    )
    acceptance.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
    add_as_option(acceptance)
    add_json_option(acceptance)
    acceptance.set_defaults(run=run_acceptance)


def _add_workload(commands: Commands) -> None:
    workload = commands.add_parser(
        "workload",
        help="each rep's queue, callbacks, calls, connects and sales-ready leads",
        description="For every active rep: leads due now, callbacks due today, calls today "
        "and this week, connects and leads made sales-ready in the period; and the leads "
        "sales has not followed up.",
    )
    workload.add_argument(
        "--period", choices=["today", "week"], default="week", help="for connects and sales-ready"
    )
    workload.add_argument("--time-zone", default="UTC", metavar="ZONE", help="whose today")
    add_as_option(workload)
    add_json_option(workload)
    workload.set_defaults(run=run_workload)


# ----------------------------------------------------------------------------- helpers


def _campaign_id(db: Database, name: str) -> int:
    from teleprospect.core.normalise import campaign_key
    from teleprospect.services.imports.campaigns import campaign_names

    wanted = campaign_key(name)
    campaigns = campaign_names(db)
    for campaign_id, campaign_name, _ in campaigns:
        if campaign_key(campaign_name) == wanted:
            return campaign_id
    known = ", ".join(repr(n) for _, n, _ in campaigns) or "none"
    raise CommandError(f"There is no campaign {name!r} (the campaigns are: {known}).")


def _date(text: str | None, option: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{option} {text!r} is not a date (YYYY-MM-DD).", ExitCode.USAGE
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# ----------------------------------------------------------------------------- reassign


def _move_json(move: Any) -> dict[str, Any]:
    return {
        "id": move.lead_id,
        "name": move.name,
        "company": move.company,
        "from": move.from_owner_name,
        "to": move.to_owner_name,
        "callbacks": move.callbacks_moved,
        "enrollments": move.enrollments_moved,
    }


def run_reassign(args: argparse.Namespace) -> int:
    from teleprospect.core.lifecycle import LeadStatus
    from teleprospect.core.reassignment import Spread
    from teleprospect.services.team.reassign import (
        LeadSelection,
        ReassignRequest,
        preview_reassignment,
        reassign,
    )
    from teleprospect.services.team.reassign_undo import undo_reassignment

    with database(args) as db:
        acting = acting_user_id(db, args)
        if args.undo is not None:
            undone = undo_reassignment(db, args.undo, acting)
            if args.json:
                print_json(
                    {
                        "batch_id": undone.batch_id,
                        "restored": undone.restored,
                        "callbacks_restored": undone.callbacks_restored,
                        "refused": [
                            {"id": r.lead_id, "name": r.name, "why": r.why} for r in undone.refused
                        ],
                    }
                )
            else:
                say(undone.describe())
            return ExitCode.OK
        if not args.to:
            raise CommandError("Say who gets the leads with --to LOGIN[,LOGIN…].", ExitCode.USAGE)
        statuses: list[LeadStatus] = []
        for part in (args.status or "").split(","):
            if part.strip():
                key = part.strip().lower()
                if key not in STATUS_CHOICES:
                    raise CommandError(
                        f"{part!r} is not a status (new, working, nurture, sales-ready).",
                        ExitCode.USAGE,
                    )
                statuses.append(LeadStatus(STATUS_CHOICES[key]))
        selection = LeadSelection(
            lead_ids=id_list(args.lead, "--lead"),
            owner_id=user_by_login(db, args.from_login) if args.from_login else None,
            campaign_id=_campaign_id(db, args.campaign) if args.campaign else None,
            statuses=tuple(statuses),
            grade=args.grade,
            country=args.country,
            last_activity_before=_date(args.inactive_since, "--inactive-since"),
            last_activity_after=_date(args.active_since, "--active-since"),
        )
        targets = tuple(
            user_by_login(db, login.strip()) for login in args.to.split(",") if login.strip()
        )
        request = ReassignRequest(
            selection,
            targets,
            Spread(args.spread.replace("-", "_")),
            include_claimed=args.include_claimed,
            reason=args.reason,
        )
        run = preview_reassignment if args.dry_run else reassign
        done = run(db, request, acting)
        if args.json:
            print_json(
                {
                    "batch_id": done.batch_id,
                    "dry_run": args.dry_run,
                    "selected": done.selected,
                    "moved": done.moved,
                    "per_user": [
                        {"user_id": i, "name": n, "leads": c} for i, n, c in done.per_user
                    ],
                    "callbacks_moved": done.callbacks_moved,
                    "enrollments_moved": done.enrollments_moved,
                    "skipped_claimed": [
                        {
                            "id": c.lead_id,
                            "name": c.name,
                            "held_by": c.holder_name,
                            "until": c.claim_expires_at,
                        }
                        for c in done.claimed
                    ]
                    if not done.claimed_included
                    else [],
                    "unchanged": list(done.unchanged),
                    "moves": [_move_json(m) for m in done.moves],
                }
            )
            return ExitCode.OK
        say(done.describe())
        if done.skipped_claimed:
            for c in done.claimed[:20]:
                say(f"  skipped #{c.lead_id} {c.name} ({c.company}): held by {c.holder_name}")
            say("Add --include-claimed to move them anyway.")
        if done.batch_id is not None:
            say(f"Undo with: teleprospect reassign --undo {done.batch_id}")
        return ExitCode.OK


# ----------------------------------------------------------------------------- export


def run_export(args: argparse.Namespace) -> int:
    from teleprospect.core.handoff import ExportFormat
    from teleprospect.services.team.handoff import AlreadyExported, ExportRequest, export_handoff

    with database(args) as db:
        acting = acting_user_id(db, args)
        request = ExportRequest(
            path=args.out,
            format=ExportFormat(args.format),
            lead_ids=id_list(args.lead, "--lead"),
            campaign_id=_campaign_id(db, args.campaign) if args.campaign else None,
            owner_id=user_by_login(db, args.owner) if args.owner else None,
            country=args.country,
            again=args.again,
            overwrite=args.force,
        )
        try:
            result = export_handoff(db, request, acting)
        except AlreadyExported as exc:
            message = error_message(exc).replace("(again)", "(--again)")
            raise CommandError.about(exc, message) from None
    if args.json:
        print_json(
            {
                "batch_id": result.batch_id,
                "file": result.path,
                "format": result.format.value,
                "leads": result.leads,
                "sha256": result.sha256,
                "created_at": result.created_at,
                "references": [{"id": i, "reference": r} for i, r in result.references],
            }
        )
        return ExitCode.OK
    say(result.describe())
    say(f"SHA-256: {result.sha256}")
    return ExitCode.OK


# ----------------------------------------------------------------------------- acceptance


def run_acceptance(args: argparse.Namespace) -> int:
    from teleprospect.config import data_dir
    from teleprospect.core.handoff import RejectedTo
    from teleprospect.services.team.acceptance import VerdictImportRequest, import_verdicts

    with database(args) as db:
        acting = acting_user_id(db, args)
        summary = import_verdicts(
            db,
            VerdictImportRequest(
                path=args.file,
                encoding=args.encoding,
                delimiter=args.delimiter,
                rejected_to=RejectedTo(args.rejected_to),
                day_first=args.day_first,
                time_zone=args.time_zone,
                report_dir=data_dir() / "imports",
                dry_run=args.dry_run,
            ),
            acting,
        )
    if args.json:
        print_json(summary.as_json())
        return ExitCode.OK
    say(summary.describe())
    for problem in summary.problems[:10]:
        say(f"  row {problem.row_number}: {problem.reason}")
    if summary.bad_rows > 10:
        say(f"  … and {summary.bad_rows - 10:,} more.")
    if summary.reject_file:
        say(f"Bad rows: {summary.reject_file}")
    return ExitCode.OK


# ----------------------------------------------------------------------------- workload


def run_workload(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from teleprospect.services.team.acceptance import unanswered_handoffs
    from teleprospect.services.team.workload import workload

    try:
        zone = ZoneInfo(args.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(f"{args.time_zone!r} is not a time zone name.", ExitCode.USAGE) from None
    with database(args) as db:
        acting = acting_user_id(db, args)
        load = workload(db, acting, zone=zone)
        if args.period == "today":
            load = workload(db, acting, zone=zone, period=load.today, now=load.now)
        waiting = unanswered_handoffs(db, now=load.now)
    if args.json:
        print_json(
            {
                "period": {
                    "label": load.period.label,
                    "start": load.period.start,
                    "end": load.period.end,
                },
                "reps": [
                    {
                        "login": r.login,
                        "name": r.name,
                        "role": r.role.value,
                        "queue": r.queue_size,
                        "open_leads": r.open_leads,
                        "due_callbacks": r.due_callbacks,
                        "calls_today": r.calls_today,
                        "calls_this_week": r.calls_this_week,
                        "connects": r.connects,
                        "made_sales_ready": r.made_sales_ready,
                    }
                    for r in load.reps
                ],
                "unanswered_handoffs": [
                    {
                        "id": w.lead_id,
                        "name": w.name,
                        "company": w.company,
                        "reference": w.reference,
                        "handed_off_at": w.handed_off_at,
                        "days_waiting": w.days_waiting,
                    }
                    for w in waiting
                ],
            }
        )
        return ExitCode.OK
    headers = ("Rep", "Queue", "Open", "Callbacks", "Calls today", "Calls week", "Connects",
               "Sales-ready")  # fmt: skip
    rows = [
        (r.name, r.queue_size, r.open_leads, r.due_callbacks, r.calls_today, r.calls_this_week,
         r.connects, r.made_sales_ready)
        for r in load.reps
    ]  # fmt: skip
    widths = [max(len(str(v)) for v in column) for column in zip(headers, *rows, strict=True)]
    for row in (headers, *rows):
        cells = [
            str(v).ljust(w) if i == 0 else str(v).rjust(w)
            for i, (v, w) in enumerate(zip(row, widths, strict=True))
        ]
        say("  ".join(cells).rstrip())
    say(f"Connects and sales-ready: {load.period.label}.")
    if waiting:
        longest = waiting[0]
        say(
            f"Sales has not followed up on {len(waiting):,} handed-off "
            f"lead{'s' if len(waiting) != 1 else ''}; the longest waiting: {longest.name} "
            f"({longest.company}), {longest.days_waiting} days, {longest.reference}."
        )
    return ExitCode.OK
