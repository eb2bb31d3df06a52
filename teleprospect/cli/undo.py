"""Nothing lost: ``teleprospect import history``, ``teleprospect import undo BATCH_ID`` and
``teleprospect merge KEEP OTHER``.

``import history`` and ``import undo`` are read by the ``import`` command (whose first
argument is otherwise a file: ``./undo`` names a file called "undo"); ``merge`` is a
command of its own.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from teleprospect.cli.common import (
    ExitCode,
    acting_user_id,
    add_as_option,
    add_json_option,
    database,
    print_json,
    record_id,
    say,
)

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands


#: What ``teleprospect import WORD`` does instead of importing a file named WORD.
def setup_parser(commands: Commands) -> None:
    merge = commands.add_parser(
        "merge",
        help="merge two leads that are one person into one",
        description="Merge lead OTHER into lead KEEP: its calls, answers, phones, history, "
        "callbacks, engagement and nurture enrolments move to KEEP, its email and the "
        "fields KEEP lacks are kept, and OTHER's id then leads to KEEP. Team leads only.",
    )
    merge.add_argument("keep", type=record_id, metavar="KEEP")
    merge.add_argument("other", type=record_id, metavar="OTHER")
    add_as_option(merge)
    add_json_option(merge)
    merge.set_defaults(run=run_merge)


def run_merge(args: argparse.Namespace) -> int:
    from teleprospect.services.leads.merge import merge_leads

    with database(args) as db:
        merged = merge_leads(db, args.keep, args.other, acting_user_id(db, args))
    if args.json:
        print_json(
            {"kept_id": merged.kept_id, "merged_id": merged.merged_id, "moved": merged.moved}
        )
    else:
        say(merged.describe())
    return ExitCode.OK
