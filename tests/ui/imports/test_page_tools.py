"""The sentences the import wizard's pages show when something fails."""

from __future__ import annotations

import errno
import logging

import pytest

from teleprospect.core.csv_reader import CsvError
from teleprospect.services.imports.leads import ImportCancelled
from teleprospect.store.database import DatabaseError
from teleprospect.ui.imports.page_tools import problem_text


def test_file_problems_are_told_in_the_wizards_words() -> None:
    gone = FileNotFoundError(errno.ENOENT, "No such file or directory", "/data/leads.csv")
    assert problem_text(gone) == "leads.csv no longer exists."
    locked = PermissionError(errno.EACCES, "Permission denied", "/data/leads.csv")
    assert problem_text(locked) == "The file could not be read: Permission denied."
    assert problem_text(CsvError("This is not a CSV file.\nmore")) == "This is not a CSV file."
    assert problem_text(ImportCancelled()) == "The import was cancelled; nothing was changed."


def test_database_problems_speak_the_shared_vocabulary() -> None:
    assert problem_text(DatabaseError("The database is locked.")) == "The database is locked."


def test_an_unexpected_error_is_one_line_for_the_page_and_logged_in_full(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        text = problem_text(KeyError("first\nsecond"))
    assert text.startswith("Something went wrong") and "\n" not in text
    assert any(record.exc_info for record in caplog.records)
