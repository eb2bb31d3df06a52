"""``teleprospect search``: find any lead by a part of its name, company, email or phone."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from teleprospect.cli.common import (
    ExitCode,
    add_json_option,
    database,
    print_json_lines,
    say,
    whole_number,
)
from teleprospect.core.text import printable

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands

#: More than a screen, few enough to print.
MAX_SEARCH_LIMIT = 10_000


def setup_parser(commands: Commands) -> None:
    search = commands.add_parser(
        "search",
        help="find leads by any part of a name, company, email or phone, an id or a reference",
        description="Find leads as the Leads tab does: any part of a name, company or email "
        "(three characters or more), any part of a phone number typed with or without "
        "spaces, + or dashes, a lead id (#123) or a hand-off reference (TP-0007-000123). "
        "All words must match. Leads of an import still under way are not found.",
    )
    search.add_argument(
        "text", type=search_text, metavar="TEXT", help="what to look for (quote several words)"
    )
    search.add_argument(
        "--limit",
        type=whole_number(1, MAX_SEARCH_LIMIT),
        default=20,
        metavar="N",
        help="how many leads at most (default 20)",
    )
    add_json_option(search, "one line per lead")
    search.set_defaults(run=run_search)


def search_text(text: str) -> str:
    """TEXT, refused before any work when no search can be made of it."""
    from teleprospect.core.errors import Invalid
    from teleprospect.core.lead_search import MIN_FRAGMENT, parse_search

    try:
        terms = parse_search(text)
    except Invalid as error:
        raise argparse.ArgumentTypeError(str(error).rstrip(".")) from None
    if terms.empty:
        raise argparse.ArgumentTypeError(
            f"give at least {MIN_FRAGMENT} letters or digits in a row, or a lead's id"
        )
    return text


def run_search(args: argparse.Namespace) -> int:
    from teleprospect.services.leads.lead_list import LeadListing, list_leads

    with database(args) as db:
        page = list_leads(db, LeadListing(search=args.text), limit=args.limit)
    if args.json:
        print_json_lines(
            {
                "id": row.id,
                "name": row.name,
                "company": row.company,
                "email": row.email,
                "phone": row.phone,
                "status": row.status,
                "score": row.score,
                "grade": row.grade,
                "owner": row.owner,
                "campaign": row.campaign,
                "held_by": row.holder or None,
            }
            for row in page.rows
        )
        return ExitCode.OK
    if page.note:
        say(page.note)
    if not page.rows:
        say(f"No lead matches {printable(args.text)!r}.")
        return ExitCode.OK
    for row in page.rows:
        held = f"; held by {row.holder}" if row.holder else ""
        say(
            f"#{row.id} {row.name} ({row.company}) — {row.phone or 'no phone'},"
            f" {row.email or 'no email'}; {row.status}, score {row.score} {row.grade}{held}"
        )
    return ExitCode.OK
