"""The team lead's commands: ``users``, ``reassign``, ``export``, ``acceptance``, ``workload``.

The acting user is the operating-system login matched to a user, or ``--as LOGIN`` (for
scripts, and for a login that is no user when the team lets unknown logins pick). An
action the user may not take ends with its reason on stderr and exit code 4.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from teleprospect.cli import CommandError, delimiter_arg, open_db, positive_int

#: An action the acting user is not allowed (their role, a deactivated account, an
#: unknown login the team refuses).
EXIT_REFUSED = 4

ROLE_CHOICES = {
    "teleprospector": "teleprospector",
    "team-lead": "team_lead",
    "team_lead": "team_lead",
}
STATUS_CHOICES = {
    "new": "new",
    "working": "working",
    "nurture": "nurture",
    "sales-ready": "sales_ready",
    "sales_ready": "sales_ready",
    "handed-off": "handed_off",
    "handed_off": "handed_off",
}


# ----------------------------------------------------------------------------- parsers


def _as_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_login",
        metavar="LOGIN",
        help="act as this user (default: the user whose login is yours)",
    )


def _json_option(parser: argparse.ArgumentParser, what: str = "the result") -> None:
    parser.add_argument("--json", action="store_true", help=f"print {what} as JSON")


def add_team_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    _add_users(commands)
    _add_reassign(commands)
    _add_export(commands)
    _add_acceptance(commands)
    _add_workload(commands)


def _add_users(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    users = commands.add_parser(
        "users",
        help="the team's users: add, list, set role or admin, deactivate, reactivate",
        description="Managing users is for admins; while the team has no admin yet, whoever "
        "sets it up may (add the first team lead with --admin).",
    )
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a user (their login is their computer login)")
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--name", required=True, help="the name colleagues know them by")
    add.add_argument("--role", choices=["teleprospector", "team-lead"], default="teleprospector")
    add.add_argument("--admin", action="store_true", help="may manage users")
    listing = actions.add_parser("list", help="list the users")
    listing.add_argument("--active", action="store_true", help="only active users")
    role = actions.add_parser("set-role", help="make a user a teleprospector or a team lead")
    role.add_argument("login", metavar="LOGIN")
    role.add_argument(
        "role", choices=sorted(ROLE_CHOICES), metavar="ROLE", help="teleprospector or team-lead"
    )
    admin = actions.add_parser("set-admin", help="give or take a user's admin rights")
    admin.add_argument("login", metavar="LOGIN")
    admin.add_argument("admin", choices=["on", "off"], metavar="on|off")
    off = actions.add_parser(
        "deactivate", help="deactivate a user and list the open work to reassign"
    )
    off.add_argument("login", metavar="LOGIN")
    on = actions.add_parser("reactivate", help="let a deactivated user work again")
    on.add_argument("login", metavar="LOGIN")
    for parser in (add, listing, role, admin, off, on):
        _as_option(parser)
        _json_option(parser)


def _add_reassign(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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
    reassign.add_argument("--campaign", metavar="NAME", help="leads of this campaign")
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
        "--undo", type=positive_int, metavar="BATCH_ID", help="undo reassignment BATCH_ID"
    )
    _as_option(reassign)
    _json_option(reassign)


def _add_export(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = commands.add_parser(
        "export",
        help="hand sales-ready leads to sales as a CRM file",
        description="Write the sales-ready leads, each with its qualification story and a "
        "reference sales can send back, as one recorded batch; they move to handed off.",
    )
    export.add_argument("--status", choices=["sales-ready"], default="sales-ready")
    export.add_argument("--format", choices=["salesforce", "hubspot", "full"], default="salesforce")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument("--lead", metavar="ID[,ID…]", help="these leads (ids)")
    export.add_argument("--campaign", metavar="NAME", help="leads of this campaign")
    export.add_argument("--owner", metavar="LOGIN", help="leads of this rep")
    export.add_argument("--country", metavar="CC", help="leads in this country (ISO code)")
    export.add_argument(
        "--again", action="store_true", help="also export leads handed to sales before"
    )
    _as_option(export)
    _json_option(export)


def _add_acceptance(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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
    acceptance.add_argument("--delimiter", help="column separator instead of detecting it")
    acceptance.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
    _as_option(acceptance)
    _json_option(acceptance)


def _add_workload(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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
    _as_option(workload)
    _json_option(workload)


# ----------------------------------------------------------------------------- helpers


def _acting(db: Any, args: argparse.Namespace, *, allow_unknown: bool = False) -> int | None:
    from teleprospect.services.errors import UnknownUser
    from teleprospect.services.identity.current_user import LoginRefused, acting_user_id

    try:
        return acting_user_id(db, as_login=args.as_login, allow_unknown=allow_unknown)
    except LoginRefused as exc:
        raise CommandError(str(exc), EXIT_REFUSED) from None
    except UnknownUser:
        raise CommandError(f"There is no user with the login {args.as_login!r}.") from None


def _acting_id(db: Any, args: argparse.Namespace) -> int:
    user_id = _acting(db, args)
    assert user_id is not None
    return user_id


def _user_id(db: Any, login: str) -> int:
    from teleprospect.services.errors import UnknownUser
    from teleprospect.services.team.users import find_user

    try:
        return find_user(db, login).id
    except UnknownUser:
        raise CommandError(f"There is no user with the login {login!r}.") from None


def _campaign_id(db: Any, name: str) -> int:
    from teleprospect.services.imports.campaigns import campaign_names

    wanted = " ".join(name.split()).casefold()
    campaigns = campaign_names(db)
    for campaign_id, campaign_name, _ in campaigns:
        if campaign_name.casefold() == wanted:
            return campaign_id
    known = ", ".join(repr(n) for _, n, _ in campaigns) or "none"
    raise CommandError(f"There is no campaign {name!r} (the campaigns are: {known}).")


def _ids(text: str | None) -> tuple[int, ...]:
    if not text:
        return ()
    ids = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit():
            raise CommandError(f"{part!r} is not a lead id.", 2)
        ids.append(int(part))
    return tuple(ids)


def _date(text: str | None, option: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} {text!r} is not a date (YYYY-MM-DD).", 2) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn refused actions and the services' own errors into one line and an exit code."""

    def handler(args: argparse.Namespace) -> int:
        from teleprospect.core.csv_reader import CsvError
        from teleprospect.services.errors import UnknownUser
        from teleprospect.services.identity.permissions import PermissionDenied
        from teleprospect.services.team.acceptance import VerdictError
        from teleprospect.services.team.handoff import ExportError
        from teleprospect.services.team.reassign import ReassignError
        from teleprospect.services.team.users import UserError

        try:
            return run(args)
        except PermissionDenied as exc:
            raise CommandError(str(exc), EXIT_REFUSED) from None
        except (ExportError, ReassignError, UserError, VerdictError, CsvError) as exc:
            raise CommandError(str(exc)) from None
        except UnknownUser as exc:
            raise CommandError(str(exc)) from None

    return handler


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


# ----------------------------------------------------------------------------- users


def _user_json(user: Any) -> dict[str, Any]:
    return {
        "id": user.id,
        "login": user.login,
        "name": user.name,
        "role": user.role.value,
        "admin": user.is_admin,
        "active": user.is_active,
    }


@_guarded
def run_users(args: argparse.Namespace) -> int:
    from teleprospect.core.domain import UserRole
    from teleprospect.services.team import users

    db = open_db(args).db
    try:
        command = args.users_command
        if command == "list":
            found = users.list_users(db, include_inactive=not args.active)
            if args.json:
                _print_json([_user_json(u) for u in found])
            elif not found:
                print("No users yet: add the first with `teleprospect users add LOGIN --name …`.")
            else:
                width = max(len(u.login) for u in found)
                for u in found:
                    print(f"{u.login:<{width}}  {u.name} — {u.role_text}")
            return 0
        acting = _acting(db, args, allow_unknown=True)
        if command == "add":
            new = users.NewUser(
                args.login, args.name, UserRole(ROLE_CHOICES[args.role]), args.admin
            )
            user = users.add_user(db, new, acting_user_id=acting)
            message = f"Added {user.name} ({user.login}), {user.role_text}."
        else:
            target = _user_id(db, args.login)
            if command == "set-role":
                user = users.set_role(
                    db, target, UserRole(ROLE_CHOICES[args.role]), acting_user_id=acting
                )
                message = f"{user.name} ({user.login}) is now: {user.role_text}."
            elif command == "set-admin":
                user = users.set_admin(db, target, args.admin == "on", acting_user_id=acting)
                message = f"{user.name} ({user.login}) is now: {user.role_text}."
            elif command == "reactivate":
                user = users.reactivate_user(db, target, acting_user_id=acting)
                message = f"{user.name} ({user.login}) is active again."
            else:
                done = users.deactivate_user(db, target, acting_user_id=acting)
                if args.json:
                    work = done.open_work
                    _print_json(
                        {
                            **_user_json(done.user),
                            "open_work": {
                                "owned_leads": work.owned_leads,
                                "open_callbacks": work.open_callbacks,
                                "live_claims": work.live_claims,
                            },
                            "claims_released": done.claims_released,
                        }
                    )
                    return 0
                print(done.describe())
                if not done.open_work.is_empty:
                    print(
                        f"Reassign them with: teleprospect reassign --from {done.user.login} "
                        "--to LOGIN[,LOGIN…]"
                    )
                return 0
        if args.json:
            _print_json(_user_json(user))
        else:
            print(message)
        return 0
    finally:
        db.dispose()


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


@_guarded
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

    db = open_db(args).db
    try:
        acting = _acting_id(db, args)
        if args.undo is not None:
            undone = undo_reassignment(db, args.undo, acting)
            if args.json:
                _print_json(
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
                print(undone.describe())
            return 0
        if not args.to:
            raise CommandError("Say who gets the leads with --to LOGIN[,LOGIN…].", 2)
        statuses: list[LeadStatus] = []
        for part in (args.status or "").split(","):
            if part.strip():
                key = part.strip().lower()
                if key not in STATUS_CHOICES:
                    raise CommandError(
                        f"{part!r} is not a status (new, working, nurture, sales-ready).", 2
                    )
                statuses.append(LeadStatus(STATUS_CHOICES[key]))
        selection = LeadSelection(
            lead_ids=_ids(args.lead),
            owner_id=_user_id(db, args.from_login) if args.from_login else None,
            campaign_id=_campaign_id(db, args.campaign) if args.campaign else None,
            statuses=tuple(statuses),
            grade=args.grade,
            country=args.country,
            last_activity_before=_date(args.inactive_since, "--inactive-since"),
            last_activity_after=_date(args.active_since, "--active-since"),
        )
        targets = tuple(
            _user_id(db, login.strip()) for login in args.to.split(",") if login.strip()
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
            _print_json(
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
            return 0
        print(done.describe())
        if done.skipped_claimed:
            for c in done.claimed[:20]:
                print(f"  skipped #{c.lead_id} {c.name} ({c.company}): held by {c.holder_name}")
            print("Add --include-claimed to move them anyway.")
        if done.batch_id is not None:
            print(f"Undo with: teleprospect reassign --undo {done.batch_id}")
        return 0
    finally:
        db.dispose()


# ----------------------------------------------------------------------------- export


@_guarded
def run_export(args: argparse.Namespace) -> int:
    from teleprospect.core.handoff import ExportFormat
    from teleprospect.services.team.handoff import AlreadyExported, ExportRequest, export_handoff

    db = open_db(args).db
    try:
        acting = _acting_id(db, args)
        request = ExportRequest(
            path=args.out,
            format=ExportFormat(args.format),
            lead_ids=_ids(args.lead),
            campaign_id=_campaign_id(db, args.campaign) if args.campaign else None,
            owner_id=_user_id(db, args.owner) if args.owner else None,
            country=args.country,
            again=args.again,
        )
        try:
            result = export_handoff(db, request, acting)
        except AlreadyExported as exc:
            raise CommandError(str(exc).replace("(again)", "(--again)")) from None
    finally:
        db.dispose()
    if args.json:
        _print_json(
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
        return 0
    print(result.describe())
    print(f"SHA-256: {result.sha256}")
    return 0


# ----------------------------------------------------------------------------- acceptance


@_guarded
def run_acceptance(args: argparse.Namespace) -> int:
    from teleprospect.config import data_dir
    from teleprospect.core.handoff import RejectedTo
    from teleprospect.services.team.acceptance import VerdictImportRequest, import_verdicts

    db = open_db(args).db
    try:
        acting = _acting_id(db, args)
        summary = import_verdicts(
            db,
            VerdictImportRequest(
                path=args.file,
                encoding=args.encoding,
                delimiter=delimiter_arg(args.delimiter),
                rejected_to=RejectedTo(args.rejected_to),
                day_first=args.day_first,
                time_zone=args.time_zone,
                report_dir=data_dir() / "imports",
                dry_run=args.dry_run,
            ),
            acting,
        )
    finally:
        db.dispose()
    if args.json:
        _print_json(summary.as_json())
        return 0
    print(summary.describe())
    for problem in summary.problems[:10]:
        print(f"  row {problem.row_number}: {problem.reason}")
    if summary.bad_rows > 10:
        print(f"  … and {summary.bad_rows - 10:,} more.")
    if summary.reject_file:
        print(f"Bad rows: {summary.reject_file}")
    return 0


# ----------------------------------------------------------------------------- workload


@_guarded
def run_workload(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from teleprospect.services.team.acceptance import unanswered_handoffs
    from teleprospect.services.team.workload import workload

    try:
        zone = ZoneInfo(args.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(f"{args.time_zone!r} is not a time zone name.", 2) from None
    db = open_db(args).db
    try:
        acting = _acting_id(db, args)
        load = workload(db, acting, zone=zone)
        if args.period == "today":
            load = workload(db, acting, zone=zone, period=load.today, now=load.now)
        waiting = unanswered_handoffs(db, now=load.now)
    finally:
        db.dispose()
    if args.json:
        _print_json(
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
        return 0
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
        print("  ".join(cells).rstrip())
    print(f"Connects and sales-ready: {load.period.label}.")
    if waiting:
        longest = waiting[0]
        print(
            f"Sales has not followed up on {len(waiting):,} handed-off "
            f"lead{'s' if len(waiting) != 1 else ''}; the longest waiting: {longest.name} "
            f"({longest.company}), {longest.days_waiting} days, {longest.reference}."
        )
    return 0


TEAM_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "users": run_users,
    "reassign": run_reassign,
    "export": run_export,
    "acceptance": run_acceptance,
    "workload": run_workload,
}
