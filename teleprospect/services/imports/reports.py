"""What an import tells afterwards: its summary, the reject file (every rejected row, its
number and reason) and the file of every duplicate found.

The two CSV reports are opened in spreadsheets, so their cells are neutralised as the
sales exports' are (:mod:`teleprospect.core.csv_export`): a cell of the file that starts
like a formula is written with a leading apostrophe.
"""

from __future__ import annotations

import contextlib
import os
import sys
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from teleprospect.core.csv_export import NeutralisingWriter
from teleprospect.core.csv_reader import CsvRow
from teleprospect.core.text import printable, shorten


@dataclass(frozen=True)
class DuplicateFound:
    row_number: int
    lead_id: int
    lead_name: str
    reason: str
    action: str  # "skipped", "updated", "marked"


#: How many rows the summary names behind each of its counts.
EXAMPLES_LISTED = 3


@dataclass
class ImportSummary:
    file_name: str
    dialect: str = ""
    #: "Skipped 2 lines above the header." ("" when the header is the first line).
    skipped_note: str = ""
    #: Rows that were not read exactly as written (a quote never closed, bytes that are
    #: not UTF-8, values beyond the header): they are flagged too.
    read_problems: int = 0
    rows: int = 0
    imported: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    invalid_phones: int = 0
    dnc: int = 0
    flagged: int = 0
    batch_id: int | None = None
    dry_run: bool = False
    seconds: float = 0.0
    reject_file: Path | None = None
    summary_file: Path | None = None
    duplicates_file: Path | None = None
    #: The first DUPLICATES_LISTED duplicates; all of them are in ``duplicates_file``.
    duplicate_list: list[DuplicateFound] = field(default_factory=list)
    #: The campaign the leads were filed under, and whether this import created it.
    campaign: str | None = None
    campaign_created: bool = False
    #: Ids of the new leads, compactly (a million-row file stays small in memory).
    imported_lead_ids: array[int] = field(default_factory=lambda: array("q"))
    #: The first rows behind each count, by the count's name: "row 17: '555-01'".
    examples: dict[str, list[str]] = field(default_factory=dict)

    def note(self, count: str, row_number: int, what: str) -> None:
        """Name ``row_number`` and what it held behind the count called ``count`` (the
        first :data:`EXAMPLES_LISTED` of them)."""
        listed = self.examples.setdefault(count, [])
        if len(listed) < EXAMPLES_LISTED:
            listed.append(f"row {row_number}: {shorten(printable(what), 120)}")

    def behind(self, count: str) -> str:
        """ " — row 17: '555-01'; row 18: '12' …" for the count called ``count`` ("" if
        no row is named)."""
        listed = self.examples.get(count)
        if not listed:
            return ""
        more = " …" if getattr(self, count, 0) > len(listed) else ""
        return " — " + "; ".join(listed) + more

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "dialect": self.dialect,
            "rows": self.rows,
            "imported": self.imported,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "invalid_phones": self.invalid_phones,
            "dnc": self.dnc,
            "flagged": self.flagged,
            "batch_id": self.batch_id,
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "reject_file": str(self.reject_file) if self.reject_file else None,
            "summary_file": str(self.summary_file) if self.summary_file else None,
            "duplicates_file": str(self.duplicates_file) if self.duplicates_file else None,
            "campaign": self.campaign,
            "campaign_created": self.campaign_created,
            "skipped_note": self.skipped_note,
            "read_problems": self.read_problems,
            "examples": self.examples,
        }


#: What an unfinished report file is called until its import commits.
PARTIAL_SUFFIX = ".part"


class ImportReports:
    """The reject file (every rejected row, its number and reason), the duplicates file and
    the summary.

    The files are written under temporary names (``.NAME.PID.part``) and moved into place
    by :meth:`finish` only after the import committed; :meth:`discard` removes them. What a
    killed import left behind is removed by the next import into the same folder.
    """

    def __init__(self, directory: Path | None, source: Path, header: Iterable[str]) -> None:
        self.directory = directory
        self.header = list(header)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.stem = f"{source.stem}-{stamp}"
        self._reject_path: Path | None = None
        self._reject_stream: Any = None
        self._reject_writer: Any = None
        #: The duplicates file, once the import committed and it is in place.
        self.duplicates_path: Path | None = None
        self._duplicates_partial: Path | None = None
        self._duplicates_stream: Any = None
        self._duplicates_writer: Any = None
        self._reject_partial: Path | None = None
        if directory is not None:
            remove_abandoned_reports(directory)

    def _partial(self, name: str) -> Path:
        assert self.directory is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        return self.directory / f".{name}.{os.getpid()}{PARTIAL_SUFFIX}"

    def duplicate(self, found: DuplicateFound) -> None:
        """Every duplicate, streamed to a CSV file beside the summary."""
        if self.directory is None:
            return
        if self._duplicates_writer is None:
            self._duplicates_partial = self._partial(f"{self.stem}-duplicates.csv")
            self._duplicates_stream = open(  # noqa: SIM115 - closed in finish()/discard()
                self._duplicates_partial, "w", encoding="utf-8-sig", newline=""
            )
            self._duplicates_writer = NeutralisingWriter(self._duplicates_stream)
            self._duplicates_writer.writerow(
                ["Row", "Matched lead id", "Matched lead", "Why", "What was done"]
            )
        self._duplicates_writer.writerow(
            [found.row_number, found.lead_id, found.lead_name, found.reason, found.action]
        )

    def _close(self) -> None:
        for stream in (self._reject_stream, self._duplicates_stream):
            if stream is not None:
                stream.close()
        self._reject_stream = self._duplicates_stream = None

    def reject(self, row: CsvRow, reason: str) -> None:
        if self.directory is None:
            return
        if self._reject_writer is None:
            self._reject_partial = self._partial(f"{self.stem}-rejected.csv")
            self._reject_stream = open(  # noqa: SIM115 - closed in finish()/discard()
                self._reject_partial, "w", encoding="utf-8-sig", newline=""
            )
            self._reject_writer = NeutralisingWriter(self._reject_stream)
            self._reject_writer.writerow(["Row", "Reason", *self.header])
        self._reject_writer.writerow([row.row_number, reason, *row.cells])

    def finish(self, summary: ImportSummary) -> tuple[Path | None, Path | None]:
        return self.finish_with(
            lambda reject_file: summary_text(summary, reject_file, self.duplicates_path)
        )

    def finish_with(self, text: Callable[[Path | None], str]) -> tuple[Path | None, Path | None]:
        """Once the import committed: move the reports into place and write
        ``text(reject_file)`` as the summary beside them; the reject file and the summary
        file, or None where none was written."""
        self._close()
        if self.directory is None:
            return None, None
        if self._reject_partial is not None:
            self._reject_path = self.directory / f"{self.stem}-rejected.csv"
            os.replace(self._reject_partial, self._reject_path)
            self._reject_partial = None
        if self._duplicates_partial is not None:
            self.duplicates_path = self.directory / f"{self.stem}-duplicates.csv"
            os.replace(self._duplicates_partial, self.duplicates_path)
            self._duplicates_partial = None
        summary_path = self.directory / f"{self.stem}-summary.txt"
        partial = self._partial(summary_path.name)
        try:
            partial.write_text(text(self._reject_path), encoding="utf-8")
            os.replace(partial, summary_path)
        finally:
            partial.unlink(missing_ok=True)
        return self._reject_path, summary_path

    def discard(self) -> None:
        """The import did not commit: leave no report behind."""
        self._close()
        for path in (self._reject_partial, self._duplicates_partial):
            if path is not None:
                path.unlink(missing_ok=True)
        self._reject_partial = self._duplicates_partial = None
        self._reject_path = self.duplicates_path = None


def remove_abandoned_reports(directory: Path) -> None:
    """Remove the unfinished reports of imports whose process is gone (killed, crashed)."""
    try:
        partials = list(directory.glob(f".*{PARTIAL_SUFFIX}"))
    except OSError:
        return
    for partial in partials:
        pid_text = partial.name.removesuffix(PARTIAL_SUFFIX).rpartition(".")[2]
        if pid_text.isdigit() and not _process_alive(int(pid_text)):
            with contextlib.suppress(OSError):
                partial.unlink()


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - no cheap, safe check there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def summary_text(
    summary: ImportSummary, reject_file: Path | None, duplicates_file: Path | None = None
) -> str:
    lines = [
        f"Import of {summary.file_name}"
        + (
            " (dry run: nothing was saved)" if summary.dry_run else f" — import #{summary.batch_id}"
        ),
        f"Read as: {summary.dialect}",
        *([summary.skipped_note] if summary.skipped_note else []),
        "",
        f"Rows read:                 {summary.rows:>9,}",
        f"Rows not read as written:  {summary.read_problems:>9,}" + summary.behind("read_problems"),
        f"New leads:                 {summary.imported:>9,}",
        f"Existing leads updated:    {summary.updated:>9,}",
        f"Duplicates found:          {summary.duplicates:>9,}",
        f"Rows rejected:             {summary.rejected:>9,}" + summary.behind("rejected"),
        f"Leads with no valid phone: {summary.invalid_phones:>9,}"
        + summary.behind("invalid_phones"),
        f"Do-not-call (not queued):  {summary.dnc:>9,}" + summary.behind("dnc"),
        f"Rows with a flagged value: {summary.flagged:>9,}" + summary.behind("flagged"),
    ]
    if reject_file:
        lines += ["", f"Rejected rows, each with its row number and reason: {reject_file}"]
    if duplicates_file:
        lines += ["", f"Every duplicate, with the lead it matched and why: {duplicates_file}"]
    if summary.duplicate_list:
        shown = len(summary.duplicate_list)
        first = (
            f"the first {shown} of {summary.duplicates:,}" if shown < summary.duplicates else "all"
        )
        lines += ["", f"Duplicates, {first} (row: matched lead — why — what was done):"]
        lines += [
            f"  row {d.row_number}: lead #{d.lead_id} {d.lead_name} — {d.reason} — {d.action}"
            for d in summary.duplicate_list
        ]
    return "\n".join(lines) + "\n"
