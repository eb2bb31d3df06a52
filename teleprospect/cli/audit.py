"""``teleprospect audit``: the audit trail, newest first, for team leads.

One line per entry: when (your local time, with its zone), who (and "as LOGIN" when an
admin acted as someone else), from which workstation, what, and what changed. ``--json``
prints one object per entry (JSON Lines); ``--csv FILE`` writes every entry the filters
select to a file a spreadsheet opens safely.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teleprospect.cli.common import (
    ExitCode,
    acting_user_id,
    add_as_option,
    add_json_option,
    database,
    print_json,
    print_json_lines,
    record_id,
    say,
    user_by_login,
    whole_number,
)
from teleprospect.core.text import printable, shorten

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands
    from teleprospect.core.audit import AuditKind
    from teleprospect.services.audit.trail import AuditFilter, AuditRow

#: The most entries one command prints (a CSV file takes any number).
MAX_AUDIT_LIMIT = 10_000
#: The longest "what changed" a line shows; --json and --csv carry it whole.
MAX_CHANGE_LENGTH = 300


def setup_parser(commands: Commands) -> None:
    audit = commands.add_parser(
        "audit",
        help="read the audit trail: who did what, as whom, when and from where",
        description="The audit trail, newest first: status changes, reassignments and "
        "their undos, exports to sales and sales' verdicts, user and role changes, team "
        "settings, scripts and scoring rules published, do-not-call, acting as someone "
        "else. Team leads only. Filters narrow each other; dates without a time are days "
        "on your clock (--until includes its day).",
    )
    audit.add_argument(
        "--since", type=_since, metavar="DATE", help="from this day or time (YYYY-MM-DD[THH:MM])"
    )
    audit.add_argument(
        "--until", type=_until, metavar="DATE", help="up to this day (included) or time"
    )
    audit.add_argument("--user", metavar="LOGIN", help="what this user did, or someone did as them")
    audit.add_argument(
        "--lead",
        type=record_id,
        metavar="ID",
        help="what touched this lead, reassignments and exports it was part of included",
    )
    audit.add_argument(
        "--kind",
        type=_kinds,
        metavar="KIND[,KIND…]",
        help="only these kinds: " + ", ".join(_kind_values()),
    )
    audit.add_argument(
        "--limit",
        type=whole_number(1, MAX_AUDIT_LIMIT),
        default=50,
        metavar="N",
        help="how many entries to print, newest first (default 50)",
    )
    audit.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help="write every entry the filters select to FILE (CSV) instead of printing",
    )
    audit.add_argument("--force", action="store_true", help="replace FILE when it exists")
    add_as_option(audit)
    add_json_option(audit, "one entry per line")
    audit.set_defaults(run=run_audit)


# ----------------------------------------------------------------------------- arguments


def _kind_values() -> list[str]:
    from teleprospect.core.audit import AuditKind

    return [kind.value for kind in AuditKind]


def _kinds(text: str) -> tuple[AuditKind, ...]:
    from teleprospect.core.audit import kind_named

    kinds = []
    for part in text.split(","):
        if not part.strip():
            continue
        try:
            kinds.append(kind_named(part))
        except ValueError:
            # The kinds are too many for one line: --help lists them.
            shown = shorten(printable(part.strip()), 40)
            raise argparse.ArgumentTypeError(f"{shown!r} is not a kind of audit entry") from None
    return tuple(kinds)


def _moment(text: str, *, end_of_day: bool) -> datetime:
    cleaned = text.strip()
    try:
        if len(cleaned) == 10:  # a day: from its first moment, or up to its last
            day = date.fromisoformat(cleaned)
            start = datetime(day.year, day.month, day.day)
            return (start + timedelta(days=1) if end_of_day else start).astimezone()
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        shown = shorten(printable(text), 40)
        raise argparse.ArgumentTypeError(
            f"{shown!r} is not a date: write 2026-12-01, or 2026-12-01T10:30 (optionally with "
            "+01:00 or Z)"
        ) from None
    # A time without a zone is on the workstation's clock.
    return value if value.tzinfo is not None else value.astimezone()


def _since(text: str) -> datetime:
    return _moment(text, end_of_day=False)


def _until(text: str) -> datetime:
    return _moment(text, end_of_day=True)


# ----------------------------------------------------------------------------- output


def local_time_text(at: datetime) -> str:
    """``at`` on this computer's clock, with its zone: ``2026-11-25 16:00:00 CET``."""
    local = at.astimezone()
    return local.strftime("%Y-%m-%d %H:%M:%S ") + (local.strftime("%Z") or local.strftime("%z"))


def entry_line(row: AuditRow) -> str:
    """One entry as a line of text; every value made printable on its own, so a subject or
    a value cannot start a line or drive the terminal."""
    who = printable(row.actor)
    if row.acted_as:
        who += f" as {printable(row.acted_as)}"
    if row.workstation:
        who += f", on {printable(row.workstation)}"
    line = f"{local_time_text(row.at)}  {who}  {printable(row.what)}"
    change = printable(row.change)
    return f"{line} — {shorten(change, MAX_CHANGE_LENGTH)}" if change else line


def entry_json(row: AuditRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": row.at,
        "kind": row.kind.value,
        "what": row.kind.label,
        "by": row.actor,
        "as": row.acted_as or None,
        "user_id": row.user_id,
        "by_user_id": row.by_user_id,
        "workstation": row.workstation,
        "lead_id": row.lead_id,
        "subject": row.subject,
        "before": row.before,
        "after": row.after,
        "change": row.change,
    }


def run_audit(args: argparse.Namespace) -> int:
    from teleprospect.services.audit.trail import AuditFilter, audit_page, export_audit_trail

    with database(args) as db:
        acting = acting_user_id(db, args)
        where = AuditFilter(
            user_id=user_by_login(db, args.user) if args.user else None,
            lead_id=args.lead,
            kinds=args.kind or (),
            since=args.since,
            until=args.until,
        )
        if args.csv is not None:
            written = export_audit_trail(db, acting, args.csv, where, overwrite=args.force)
            if args.json:
                print_json({"file": written.path, "entries": written.entries})
            else:
                say(written.describe())
            return ExitCode.OK
        # One more than asked: whether to say that there are more.
        rows = audit_page(db, acting, where, limit=args.limit + 1)
    shown, more = rows[: args.limit], len(rows) > args.limit
    if args.json:
        print_json_lines(entry_json(row) for row in shown)
        return ExitCode.OK
    if not shown:
        say(f"No audit entries{_filtered(where)}.")
        return ExitCode.OK
    for row in shown:
        say(entry_line(row))
    if more:
        say(
            f"… older entries too: the newest {args.limit:,} are shown; narrow the filters, "
            "raise --limit or write them all with --csv FILE."
        )
    return ExitCode.OK


def _filtered(where: AuditFilter) -> str:
    given = any(
        value not in (None, ())
        for value in (where.user_id, where.lead_id, where.kinds, where.since, where.until)
    )
    return " match the filters" if given else " yet"
