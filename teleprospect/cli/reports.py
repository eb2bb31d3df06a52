"""``teleprospect report``: the team lead's reports, as the Reports tab shows them.

    teleprospect report waterfall --from 2026-11-01 --to 2026-11-30 --by rep --json

``--json`` prints one object per row and ``--csv`` the CSV, both with the same rows and
columns as the tab's table; without either, an aligned text table.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from teleprospect.cli.common import (
    CommandError,
    ExitCode,
    acting_user_id,
    add_as_option,
    database,
    print_json,
    say,
    user_by_login,
)

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands
    from teleprospect.services.reports import Report
    from teleprospect.store.database import Database

#: The default range: the 90 days up to today.
DEFAULT_DAYS = 90
REPORT_NAMES = ("waterfall", "activity", "speed-to-lead", "connect-hours", "sources", "nurture")


def setup_parser(commands: Commands) -> None:
    report = commands.add_parser(
        "report",
        help="the team lead's reports: waterfall, activity, speed to lead, connect hours, sources",
        description="A report over a date range (by default the last 90 days, UTC), with "
        "the rows the Reports tab shows. waterfall: leads that arrived, worked, connected, "
        "made sales-ready, handed off, accepted or rejected; activity: each rep's dials, "
        "connects, talk time and results per day or week; speed-to-lead: minutes from "
        "arrival to first attempt and connect; connect-hours: connect rate by the lead's "
        "local weekday and hour; sources: sales' verdicts and rejection reasons.",
    )
    report.add_argument(
        "name", choices=REPORT_NAMES, metavar="REPORT", help=", ".join(REPORT_NAMES)
    )
    report.add_argument(
        "--from", dest="first", type=day, metavar="DATE", help="first day (YYYY-MM-DD)"
    )
    report.add_argument("--to", dest="last", type=day, metavar="DATE", help="last day, included")
    report.add_argument(
        "--campaign",
        action="append",
        metavar="NAME",
        help="only this campaign (repeat for several)",
    )
    report.add_argument("--source", action="append", metavar="SOURCE", help="only this lead source")
    report.add_argument("--rep", action="append", metavar="LOGIN", help="only this rep")
    report.add_argument(
        "--country", action="append", metavar="CC", help="only leads in this country (ISO code)"
    )
    report.add_argument(
        "--by", choices=["campaign", "source", "rep", "day", "week"], help="one row per …"
    )
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the rows as JSON")
    output.add_argument("--csv", action="store_true", help="print the rows as CSV")
    add_as_option(report)
    report.set_defaults(run=run_report_command)


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _campaign_ids(db: Database, user_id: int, names: list[str]) -> tuple[int, ...]:
    from teleprospect.services.reports import report_choices

    known = {name.casefold(): cid for cid, name in report_choices(db, user_id).campaigns}
    found = []
    for name in names:
        if name.casefold() not in known:
            raise CommandError(f"There is no campaign called {name!r}.")
        found.append(known[name.casefold()])
    return tuple(found)


def run_report_command(args: argparse.Namespace) -> int:
    from teleprospect.core.reports import Grouping, ReportFilter
    from teleprospect.services.reports import run_report

    today = datetime.now(UTC).date()
    last = args.last or today
    first = args.first or last - timedelta(days=DEFAULT_DAYS - 1)
    with database(args) as db:
        user_id = acting_user_id(db, args)
        f = ReportFilter.days(
            first,
            last,
            campaign_ids=_campaign_ids(db, user_id, args.campaign or []),
            sources=tuple(args.source or ()),
            rep_ids=tuple(user_by_login(db, login) for login in args.rep or ()),
            countries=tuple(args.country or ()),
        )
        report = run_report(db, user_id, args.name, f, Grouping(args.by) if args.by else None)
    if args.json:
        print_json(report.records())
    elif args.csv:
        from teleprospect.core.csv_export import write_csv
        from teleprospect.services.reports.export import report_cells, report_header

        write_csv(sys.stdout, report_header(report), report_cells(report))
    else:
        _print_table(report)
    return ExitCode.OK


def _text(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "rate":
        return f"{value:.0%}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _print_table(report: Report[Any]) -> None:
    f = report.filter
    by = f" by {report.grouping}" if report.grouping else ""
    say(f"{report.title}{by}, {f.start:%Y-%m-%d} to {(f.end - timedelta(days=1)):%Y-%m-%d}")
    if not report.rows:
        say("No data in this range.")
        return
    cols = report.columns
    cells = [[_text(getattr(row, c.name), c.kind) for c in cols] for row in report.rows]
    widths = [max(len(c.header), *(len(r[i]) for r in cells)) for i, c in enumerate(cols)]
    say("  ".join(c.header.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip())
    for row in cells:
        say("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
