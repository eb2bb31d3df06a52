"""What a drag onto the main window carries that the lead import can take: local CSV files.

The main window accepts a drag only when this finds something, so a dragged web link,
an image or a spreadsheet workbook is refused at the door instead of failing later.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData

#: File name endings of delimited text exports: CRMs write .csv, Excel's "Unicode text"
#: is .txt, and some tools name tab-separated files .tsv.
IMPORTABLE_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})


def csv_paths_from_mime(mime: QMimeData) -> list[Path]:
    """The local files in ``mime`` that the lead import can read, in the order dragged."""
    if not mime.hasUrls():
        return []
    paths: list[Path] = []
    for url in mime.urls():
        if not url.isLocalFile():
            continue  # a link from a browser or a mail client's attachment server
        path = Path(url.toLocalFile())
        if path.suffix.lower() in IMPORTABLE_SUFFIXES and path not in paths:
            paths.append(path)
    return paths
