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
    CommandError,
    ExitCode,
    TerminalProgress,
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
IMPORT_WORDS = ("history", "undo")


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


def run_import_word(args: argparse.Namespace) -> int:
    """``import history`` or ``import undo BATCH_ID`` (``args.file`` is the word)."""
    if not hasattr(args, "as_login"):
        args.as_login = None
    word = str(args.file)
    if word == "history":
        if args.batch is not None:
            raise CommandError(
                f"import history takes no batch id ({args.batch!r}).", ExitCode.USAGE
            )
        return _history(args)
    if args.batch is None:
        raise CommandError(
            "import undo needs the id of the import to undo (see: teleprospect import history).",
            ExitCode.USAGE,
        )
    try:
        batch_id = record_id(args.batch)
    except argparse.ArgumentTypeError as exc:
        raise CommandError(f"BATCH_ID: {exc}", ExitCode.USAGE) from None
    return _undo(args, batch_id)


def _history(args: argparse.Namespace) -> int:
    from teleprospect.services.imports.undo import import_batches

    with database(args) as db:
        batches = import_batches(db)
    if args.json:
        print_json(batches)
        return ExitCode.OK
    if not batches:
        say("No imports yet.")
    for b in batches:
        undone = (
            f"  undone {b.undone_at:%Y-%m-%d %H:%M} UTC by {b.undone_by}" if b.undone_at else ""
        )
        say(
            f"#{b.id}  {b.started_at:%Y-%m-%d %H:%M} UTC  {b.kind.value}  {b.file_name}  by "
            f"{b.by or '?'}: {b.imported:,} new, {b.updated:,} updated of {b.rows:,} rows{undone}"
        )
    return ExitCode.OK


def _undo(args: argparse.Namespace, batch_id: int) -> int:
    from teleprospect.services.imports.undo import undo_import

    progress = TerminalProgress(f"Undoing import #{batch_id}")
    with database(args) as db:
        try:
            undone = undo_import(db, batch_id, acting_user_id(db, args), progress=progress)
        finally:
            progress.finish()
    if args.json:
        print_json(undone)
    else:
        say(undone.describe())
    return ExitCode.OK
