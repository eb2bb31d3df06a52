"""Issue 13: the log file both front-ends write: in the data folder, rotating, never the
terminal."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from teleprospect import logfile

ROOT = Path(__file__).resolve().parents[1]


def test_records_go_to_a_rotating_file_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEPROSPECT_DATA_DIR", str(tmp_path / "first"))
    path = logfile.setup_logging("command line")
    assert path == tmp_path / "first" / "logs" / "teleprospect.log"
    assert logfile.current_log_file() == path
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    assert [(h.maxBytes, h.backupCount) for h in handlers] == [(2_000_000, 4)]
    try:
        raise LookupError("lena.vogel@vogel.de")
    except LookupError as error:
        logfile.log_failure(error, "teleprospect lead")
    handlers[0].flush()
    assert "lena.vogel@vogel.de" in path.read_text(encoding="utf-8")
    assert capsys.readouterr().err == ""  # nothing on the terminal

    # Another data folder (another test, another user): the records follow it.
    monkeypatch.setenv("TELEPROSPECT_DATA_DIR", str(tmp_path / "second"))
    second = logfile.setup_logging("desktop")
    assert second == tmp_path / "second" / "logs" / "teleprospect.log"
    assert sum(isinstance(h, RotatingFileHandler) for h in logging.getLogger().handlers) == 1


def test_a_data_folder_that_cannot_be_written_logs_nothing_and_prints_nothing(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    # A process of its own: under pytest the root logger always has pytest's handlers.
    script = (
        "import logging; from teleprospect import logfile; "
        "assert logfile.setup_logging('command line') is None; "
        "assert logfile.current_log_file() is None; "
        "logging.getLogger('teleprospect').error('a failure nobody can log')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "TELEPROSPECT_DATA_DIR": str(blocked), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
