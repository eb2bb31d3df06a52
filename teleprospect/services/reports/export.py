"""A report as CSV cells and as a file: the same rows and columns as its table."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from teleprospect.core.csv_export import Cell
from teleprospect.services.csv_files import write_csv_file
from teleprospect.services.reports.common import Report

__all__ = ["report_cells", "report_header", "write_report_csv"]


def _cell(value: object) -> Cell:
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def report_header(report: Report[Any], *, titles: bool = False) -> list[str]:
    """The column names (as in the JSON), or the table's headers."""
    return [c.header if titles else c.name for c in report.columns]


def report_cells(report: Report[Any]) -> Iterator[Sequence[Cell]]:
    for record in report.records():
        yield [_cell(value) for value in record.values()]


def write_report_csv(report: Report[Any], path: Path, *, overwrite: bool = True) -> int:
    """Write the report to ``path`` (UTF-8 with BOM, Excel-safe), whole or not at all."""
    return write_csv_file(
        path, report_header(report, titles=True), report_cells(report), overwrite=overwrite
    )
