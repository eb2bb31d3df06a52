"""``teleprospect import`` and ``import-activity``: leads and engagement from CSV files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from teleprospect.cli.common import (
    PROG,
    CommandError,
    ExitCode,
    TerminalProgress,
    acting_user_id,
    add_json_option,
    database,
    delimiter,
    error_message,
    name_text,
    print_json,
    record_id,
    say,
    who_is_here,
)
from teleprospect.config import data_dir
from teleprospect.core.domain import CampaignChannel, DuplicatePolicy
from teleprospect.core.text import printable, shorten

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands
    from teleprospect.services.imports.proposal import MappingProposal
    from teleprospect.services.imports.reports import ImportSummary


def _campaign_type(text: str) -> CampaignChannel:
    from teleprospect.services.settings.campaigns import campaign_channel

    try:
        return campaign_channel(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def setup_parser(commands: Commands) -> None:
    imp = commands.add_parser(
        "import",
        help="import leads from a CSV file (any CRM or marketing export)",
        description="Import leads from a CSV file. Encoding and delimiter are detected, "
        "columns are mapped from their names, phones normalised, duplicates found and "
        "do-not-call numbers and emails kept out of the queue. All or nothing. "
        "'teleprospect import history' lists past imports; 'teleprospect import undo "
        "BATCH_ID' undoes one (team leads).",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    # import history / import undo BATCH_ID (run_import_word).
    imp.add_argument("batch", nargs="?", help=argparse.SUPPRESS)
    imp.add_argument(
        "--campaign",
        type=name_text,
        metavar="NAME",
        help="campaign the leads came from (created if it does not exist)",
    )
    imp.add_argument(
        "--campaign-type",
        type=_campaign_type,
        metavar="TYPE",
        help="type of a campaign the import creates: webinar, white_paper, trade_show, "
        "contact_form (webinar and contact_form leads count as inbound), email or other",
    )
    imp.add_argument(
        "--region",
        metavar="CC",
        help="country for numbers written without +code (default: the campaign's)",
    )
    imp.add_argument("--mapping", type=name_text, metavar="NAME", help="use a saved column mapping")
    imp.add_argument(
        "--save-mapping",
        type=name_text,
        metavar="NAME",
        help="save the mapping used under this name for the next file",
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        dest="corrections",
        help="send a column to a field, over the suggestion and a saved mapping "
        "(repeatable), e.g. --map 'Tel 2=phone:mobile' --map Notes=ignore",
    )
    imp.add_argument(
        "--show-mapping",
        action="store_true",
        help="print the mapping the import would use, and import nothing",
    )
    imp.add_argument(
        "--on-duplicate",
        choices=[p.value for p in DuplicatePolicy],
        default=DuplicatePolicy.SKIP.value,
        help="skip duplicates (default), update the existing lead with the "
        "file's non-empty values, or import and mark as possible duplicate",
    )
    imp.add_argument("--encoding", help="read with this encoding instead of detecting it")
    imp.add_argument(
        "--delimiter",
        type=delimiter,
        help="column separator instead of detecting it ('\\t' = tab)",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="read and check everything, report, but save nothing"
    )
    imp.add_argument(
        "--again",
        action="store_true",
        help="import a file that was imported before (same checksum)",
    )
    add_json_option(imp, "the summary")
    imp.set_defaults(run=run_import)

    act = commands.add_parser(
        "import-activity",
        help="import engagement events (visits, downloads, email replies, webinars) from a CSV",
        description="Import an activity export: each row names a lead by email, what they "
        "did and when. Rows matching no lead are listed in the reject file.",
    )
    act.add_argument("file", type=Path, metavar="FILE")
    act.add_argument(
        "--time-zone",
        default="UTC",
        metavar="ZONE",
        help="zone of times written without one, e.g. Europe/Paris (default UTC)",
    )
    act.add_argument(
        "--day-first",
        action="store_true",
        help="read 03/04/2026 as 3 April (default: month first, as in the US)",
    )
    act.add_argument("--encoding", help="read with this encoding instead of detecting it")
    act.add_argument("--delimiter", type=delimiter, help="column separator instead of detecting it")
    act.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
    act.add_argument("--again", action="store_true", help="import a file imported before")
    add_json_option(act, "the summary")
    act.set_defaults(run=run_import_activity)


def run_import(args: argparse.Namespace) -> int:
    from teleprospect.services.imports.errors import AlreadyImported
    from teleprospect.services.imports.leads import LeadImportRequest, import_leads
    from teleprospect.services.imports.mappings import save_mapping
    from teleprospect.services.imports.proposal import propose_mapping

    if str(args.file) in IMPORT_WORDS:
        return run_import_word(args)
    if args.batch is not None:
        raise CommandError(f"unrecognised argument: {args.batch}", ExitCode.USAGE)
    if args.campaign_type is not None and not args.campaign:
        raise CommandError(
            "--campaign-type is the type of the campaign named by --campaign; name it.",
            ExitCode.USAGE,
        )
    progress = TerminalProgress(f"Importing {args.file.name}")
    with database(args) as db:
        try:
            proposal = propose_mapping(
                db,
                args.file,
                encoding=args.encoding,
                delimiter=args.delimiter,
                saved_mapping=args.mapping,
                corrections=args.corrections,
                count=args.show_mapping,
            )
            if args.show_mapping:
                if args.save_mapping:
                    save_mapping(db, args.save_mapping, proposal.mapping)
                return _show_mapping(proposal, args)
            for warning in proposal.warnings:
                print(f"Warning: {printable(warning)}", file=sys.stderr)
            request = LeadImportRequest(
                path=args.file,
                mapping=proposal.mapping,
                encoding=args.encoding,
                delimiter=args.delimiter,
                campaign_name=args.campaign,
                campaign_type=args.campaign_type,
                default_region=args.region,
                on_duplicate=DuplicatePolicy(args.on_duplicate),
                dry_run=args.dry_run,
                allow_reimport=args.again,
                report_dir=data_dir() / "imports",
                login=who_is_here(db),
            )
            summary = import_leads(db, request, progress=progress)
            if args.save_mapping:
                save_mapping(db, args.save_mapping, proposal.mapping)
        except AlreadyImported as exc:
            hint = f"{error_message(exc)} Add --again to import it anyway."
            raise CommandError.about(exc, hint) from None
        except ValueError as exc:
            # A value the import cannot use (a region, a mapping): its own words suffice.
            raise CommandError.about(exc, str(exc)) from None
        finally:
            progress.finish()
    if args.json:
        print_json(summary.as_json())
        return _import_exit_code(summary, args.file)
    if summary.campaign_created:
        say(f"Created the campaign {summary.campaign!r}.")
    verb = "Would import" if summary.dry_run else "Imported"
    say(
        f"{verb} {summary.imported:,} new leads from {summary.rows:,} rows of {args.file.name} "
        f"({summary.dialect}): {summary.updated:,} updated, {summary.duplicates:,} duplicates, "
        f"{summary.rejected:,} rejected, {summary.invalid_phones:,} without a valid phone, "
        f"{summary.dnc:,} do-not-call."
    )
    if summary.skipped_note:
        say(summary.skipped_note)
    for count, label in _NAMED_COUNTS:
        if summary.examples.get(count):
            say(f"{label}: {getattr(summary, count):,}{summary.behind(count)}")
    if summary.reject_file:
        say(f"Rejected rows: {summary.reject_file}")
    if summary.summary_file:
        say(f"Summary: {summary.summary_file}")
    return _import_exit_code(summary, args.file)


def _import_exit_code(summary: ImportSummary, file: Path) -> int:
    """A file whose every row was rejected imported nothing a script can go on with: it
    fails (exit code 1), saying so in one sentence on stderr."""
    if summary.rows and summary.rejected == summary.rows:
        where = f" (reasons in {summary.reject_file})" if summary.reject_file else ""
        print(
            f"{PROG}: error: every one of the {summary.rows:,} rows of {file.name} was "
            f"rejected, so no lead was imported{where}.",
            file=sys.stderr,
        )
        return ExitCode.FAILURE
    return ExitCode.OK


#: The counts of an import whose rows are named after the summary line, in this order.
_NAMED_COUNTS = (
    ("read_problems", "Rows not read as written"),
    ("rejected", "Rows rejected"),
    ("invalid_phones", "Leads without a valid phone"),
    ("dnc", "Do-not-call"),
    ("flagged", "Rows with a flagged value"),
)


def _show_mapping(proposal: MappingProposal, args: argparse.Namespace) -> int:
    """The mapping as a table (or JSON): column, where it goes, an example value."""
    if args.json:
        print_json(proposal.as_json())
        return ExitCode.OK
    if proposal.leads is None:
        rows = "more than 100,000 rows"
    else:
        rows = "1 row" if proposal.leads == 1 else f"{proposal.leads:,} rows"
    say(f"{proposal.file_name} ({proposal.dialect.description}), {rows}.")
    say("Columns and where their values go (correct one with --map 'COLUMN=FIELD'):")
    width = min(max((len(column) for column in proposal.header), default=6), 32)
    for column, example in zip(proposal.header, proposal.examples, strict=True):
        target = proposal.mapping.target(column)
        shown = shorten(example, 40) if example else ""
        line = f"  {shorten(column, 32):<{width}}  {str(target):<14} {target.title:<26} {shown}"
        say(line.rstrip())
    for warning in proposal.warnings:
        say(f"Warning: {warning}")
    if args.save_mapping:
        say(f"Saved as {args.save_mapping!r}.")
    return ExitCode.OK


def run_import_activity(args: argparse.Namespace) -> int:
    from teleprospect.services.imports.activity import ActivityImportRequest, import_activity
    from teleprospect.services.imports.errors import AlreadyImported

    with database(args) as db:
        try:
            summary = import_activity(
                db,
                ActivityImportRequest(
                    path=args.file,
                    encoding=args.encoding,
                    delimiter=args.delimiter,
                    day_first=args.day_first,
                    time_zone=args.time_zone,
                    dry_run=args.dry_run,
                    allow_reimport=args.again,
                    report_dir=data_dir() / "imports",
                    login=who_is_here(db),
                ),
            )
        except AlreadyImported as exc:
            hint = f"{error_message(exc)} Add --again to import it anyway."
            raise CommandError.about(exc, hint) from None
    if args.json:
        print_json(summary.as_json())
        return ExitCode.OK
    verb = "Would store" if summary.dry_run else "Stored"
    say(
        f"{verb} {summary.imported:,} engagement events for {summary.leads_touched:,} leads from "
        f"{summary.rows:,} rows of {args.file.name}: {summary.already_known:,} already known, "
        f"{summary.unmatched:,} matching no lead, {summary.rejected:,} rejected in all."
    )
    if summary.reject_file:
        say(f"Rejected rows: {summary.reject_file}")
    return ExitCode.OK


#: Words read as a command, not a file, after `import` (a file of that name: ./undo).
IMPORT_WORDS = ("history", "undo")


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
