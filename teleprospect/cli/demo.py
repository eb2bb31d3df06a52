"""``teleprospect demo``: realistic demo data (the only command that reaches ``demo``)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from teleprospect.cli.common import (
    ExitCode,
    TerminalProgress,
    database,
    say,
    who_is_here,
    whole_number,
)

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands

#: Enough for any benchmark; more would take hours and the disk.
MAX_DEMO_LEADS = 10_000_000


def setup_parser(commands: Commands) -> None:
    demo = commands.add_parser("demo", help="fill the database with realistic demo data")
    demo.add_argument(
        "--leads",
        type=whole_number(1, MAX_DEMO_LEADS),
        default=2000,
        metavar="N",
        help="how many leads (default 2000; up to millions for benchmarks)",
    )
    demo.add_argument(
        "--seed",
        type=whole_number(0, 2**32 - 1),
        default=1,
        metavar="S",
        help="random seed: the same seed gives the same data (default 1)",
    )
    demo.add_argument(
        "--append",
        action="store_true",
        help="add demo data even when the database already holds leads",
    )
    demo.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from teleprospect.demo.loader import load_demo

    progress = TerminalProgress("Loading demo data")
    with database(args, create=True) as db:
        try:
            summary = load_demo(
                db,
                leads=args.leads,
                seed=args.seed,
                append=args.append,
                progress=progress,
                you=who_is_here(db),
            )
        finally:
            progress.finish()
        where = db.describe()
    say(
        f"Loaded {summary.leads:,} leads ({summary.invalid_phones:,} with a bad phone number, "
        f"flagged), {summary.campaigns} campaigns and {summary.users} users into "
        f"{where} in {summary.seconds:.1f} s."
    )
    return ExitCode.OK
