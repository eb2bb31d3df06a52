"""The mapping an import of a file will use, shown before anything is imported.

The suggestion from the file's column names, a saved mapping over it, the user's
corrections over both (``Column=field``), and what the import preview warns about, with
the number of leads concerned ("500 leads will have no phone").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from teleprospect.core.column_mapping import ColumnMapping, mapping_warnings
from teleprospect.core.csv_reader import CsvDialect
from teleprospect.services.imports.errors import ImportInvalid
from teleprospect.services.imports.leads import count_leads, preview_file
from teleprospect.store.database import Database

__all__ = ["MappingProposal", "propose_mapping"]


@dataclass(frozen=True)
class MappingProposal:
    file_name: str
    dialect: CsvDialect
    mapping: ColumnMapping
    #: For each column of the file, its first non-empty value among the first rows.
    examples: tuple[str, ...]
    #: Rows of the file (each a lead to be); ``None`` when not counted (asked for, or
    #: needed by a warning) or more than :data:`COUNTED_ROWS`.
    leads: int | None
    warnings: list[str]

    @property
    def header(self) -> tuple[str, ...]:
        return self.dialect.header

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file_name,
            "read_as": self.dialect.description,
            "rows": self.leads,
            "columns": [
                {"column": column, "maps_to": str(self.mapping.target(column)), "example": example}
                for column, example in zip(self.header, self.examples, strict=True)
            ],
            "warnings": self.warnings,
        }


def propose_mapping(
    db: Database,
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    saved_mapping: str | None = None,
    corrections: Sequence[str] = (),
    count: bool = False,
) -> MappingProposal:
    """The mapping for ``path``: suggested, a saved one applied, then ``corrections``
    (``"Column=field"`` each). The rows are counted with ``count``, or when a warning
    needs their number. :class:`ImportInvalid` for a correction naming no column of the
    file or no field; CsvError for a file that is no CSV."""
    path = Path(path)
    if not path.is_file():  # the import's own sentence (checked_source)
        raise ImportInvalid(f"{path} does not exist or is not a file.")
    preview = preview_file(
        db, path, encoding=encoding, delimiter=delimiter, saved_mapping=saved_mapping
    )
    header = preview.dialect.header
    mapping = preview.suggested
    for correction in corrections:
        try:
            mapping = mapping.with_override(header, correction)
        except ValueError as exc:
            raise ImportInvalid(str(exc)) from None
    mapping = ColumnMapping({column: mapping.target(column) for column in header})
    leads = count_leads(path, preview.dialect) if count or mapping_warnings(mapping) else None
    return MappingProposal(
        file_name=path.name,
        dialect=preview.dialect,
        mapping=mapping,
        examples=tuple(_examples(header, preview.rows)),
        leads=leads,
        warnings=mapping_warnings(mapping, leads),
    )


def _examples(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    found = []
    for position in range(len(header)):
        value = next((row[position] for row in rows if len(row) > position and row[position]), "")
        found.append(" ".join(value.split()))
    return found
