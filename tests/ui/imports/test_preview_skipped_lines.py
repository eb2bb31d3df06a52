"""The preview says when lines above the header were skipped, and shows the rows below it."""

from __future__ import annotations

from pathlib import Path

from tests.ui.imports.test_import_wizard import go_to_preview, open_wizard  # noqa: F401 - a fixture


def test_the_preview_says_it_skipped_a_title_and_shows_the_rows_below_the_header(
    qtbot,
    open_wizard,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Leads export\nExported 2025-03-01\n\nFirst Name,Email\nAnna,anna@x.de\n",
        encoding="utf-8",
    )
    wizard = open_wizard()
    go_to_preview(qtbot, wizard, path)
    preview = wizard.preview_page
    text = preview.ui.detectedLabel.text()
    assert "comma" in text and "Skipped 3 lines above the header." in text
    assert preview.model.rowCount() == 1 and preview.model.index(0, 0).data() == "Anna"
