"""The Reports tab driven as a team lead uses it: choose a report, a grouping, a range and
filters; read the table and the chart; export the CSV and save the chart."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from teleprospect.store.database import Database
from teleprospect.ui.reports.charts import HeatMap
from teleprospect.ui.reports.reports_page import ReportsPage
from tests.services.reports.report_desk import Desk, build_desk

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.fixture
def desk(sqlite_db: Database) -> Desk:
    return build_desk(sqlite_db)


@pytest.fixture
def page(qtbot, sqlite_db: Database, desk: Desk) -> ReportsPage:  # noqa: ANN001
    page = ReportsPage(sqlite_db, desk.team.boss)
    qtbot.addWidget(page)
    page.from_edit.setDate(QDate(2026, 11, 1))
    page.to_edit.setDate(QDate(2026, 11, 30))
    page.resize(1200, 760)
    page.show()  # the first showing reads the filters' choices and computes the report
    return page


def choose(combo, text: str) -> None:  # noqa: ANN001
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered"
    combo.setCurrentIndex(index)


def table(page: ReportsPage) -> list[list[str]]:
    model = page.model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def shoot(page: ReportsPage, name: str) -> None:
    """Keep a picture of the chart for the documentation when asked to."""
    if os.environ.get("TELEPROSPECT_DOCS_SHOTS"):
        assert page.chart is not None
        page.chart.grab().save(str(DOCS / f"reports-{name}.png"))


def test_the_waterfall_shows_each_campaigns_stages_in_table_and_chart(
    page: ReportsPage,
    qtmodeltester,  # noqa: ANN001
) -> None:
    assert page.report_box.currentText() == "Waterfall"
    assert [page.by_box.itemText(i) for i in range(page.by_box.count())] == [
        "Campaign", "Source", "Rep",
    ]  # fmt: skip
    rows = table(page)
    assert [row[:9] for row in rows] == [
        ["Spring webinar", "3", "3", "2", "2", "2", "1", "1", "–"],
        ["White paper", "2", "1", "1", "0", "0", "0", "0", "–"],
    ]
    assert page.model.headerData(13, Qt.Orientation.Horizontal) == "Accepted / judged"
    assert rows[0][13] == "50.0%"
    assert page.chart is not None and page.chart.objectName() == "reportChart"
    qtmodeltester.check(page.model)
    shoot(page, "waterfall")


def test_filters_and_groupings_recompute_the_report(page: ReportsPage) -> None:
    choose(page.by_box, "Rep")
    assert [row[0] for row in table(page)] == ["Sam Carter", "Julie Moreau"]
    choose(page.country_box, "US")
    assert [row[:2] for row in table(page)] == [["Sam Carter", "1"]]
    choose(page.country_box, "All")
    choose(page.campaign_box, "Spring webinar")
    assert [row[:2] for row in table(page)] == [["Sam Carter", "2"], ["Julie Moreau", "1"]]


@pytest.mark.parametrize(
    ("report", "first_row", "picture"),
    [
        ("Rep activity", ["Julie Moreau", "2026-11-23", "2", "0", "0.0%"], "activity"),
        ("Speed to lead", ["Spring webinar", "3", "3", "2", "20"], "speed-to-lead"),
        ("Connect rate by local hour", ["Mon", "10", "2", "0", "0.0%"], "connect-hours"),
        ("Source quality", ["Spring webinar", "2", "1", "1", "0"], "sources"),
    ],
)
def test_every_report_has_its_table_and_chart(
    page: ReportsPage, report: str, first_row: list[str], picture: str
) -> None:
    choose(page.report_box, report)
    assert table(page)[0][: len(first_row)] == first_row
    assert page.chart is not None
    if report.startswith("Connect"):
        assert isinstance(page.chart, HeatMap) and not page.by_box.isEnabled()
    shoot(page, picture)


def test_the_nurture_report_is_listed_but_not_yet_offered(page: ReportsPage) -> None:
    index = page.report_box.findText("Nurture (not yet available)")
    item = page.report_box.model().item(index)  # type: ignore[attr-defined]
    assert index >= 0 and not item.isEnabled()


def test_an_empty_range_says_so(page: ReportsPage) -> None:
    page.from_edit.setDate(QDate(2025, 1, 1))
    page.to_edit.setDate(QDate(2025, 1, 31))
    assert page.status.text() == "No data in this range."
    assert not page.export_button.isEnabled()


def test_the_table_exports_to_csv_and_the_chart_to_png_and_pdf(
    page: ReportsPage, tmp_path: Path
) -> None:
    page.export_csv(tmp_path / "waterfall.csv")
    with (tmp_path / "waterfall.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["Group", "Arrived", "Worked"]
    assert rows[1][:3] == ["Spring webinar", "3", "3"]
    page.save_chart(tmp_path / "chart.png")
    page.save_chart(tmp_path / "chart.pdf")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "chart.pdf").read_bytes()[:5] == b"%PDF-"
