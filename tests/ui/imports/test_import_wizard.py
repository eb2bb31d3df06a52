"""The import wizard, driven as a user drives it: from choosing a file to the summary.

Background work runs inline (tests/ui/conftest.py), so every page shows its result as soon
as it is entered; the run page starts the import from a zero-delay timer, hence waitUntil.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtWidgets import QComboBox, QInputDialog, QMessageBox, QWizard
from sqlalchemy import func, select

from teleprospect.core.column_mapping import ColumnMapping, ColumnTarget, LeadField, PhoneLabel
from teleprospect.core.domain import DuplicatePolicy
from teleprospect.services.imports.mappings import saved_mapping_names
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead, LeadPhone
from teleprospect.ui import background
from teleprospect.ui.imports.drop import csv_paths_from_mime
from teleprospect.ui.imports.mapping_model import MappingTableModel
from teleprospect.ui.imports.preview_page import PreviewTableModel
from teleprospect.ui.imports.summary_page import DuplicateListModel
from teleprospect.ui.imports.wizard import (
    MAPPING_PAGE,
    OPTIONS_PAGE,
    PREVIEW_PAGE,
    RUN_PAGE,
    SUMMARY_PAGE,
    ImportWizard,
    open_import_wizard,
)

Answer = QMessageBox.StandardButton

HEADER = "Vorname;Nachname;E-Mail;Firma;Telefon;Mobil;Notizen"
ROWS = [
    "Anna;Berg;anna.berg@example.de;Müller Logistik GmbH;030 1234567;0151 23456789;webinar",
    "Jonas;Keller;j.keller@example.com;Keller & Söhne;+49 89 998877;;",
    "Marie;Dubois;marie@exemple.fr;Import SA;+33 1 23 45 67 89;+33 6 12 34 56 78;",
    # The same person as the first row: a duplicate, updated under the "update" policy.
    "Anna;Berg;anna.berg@example.de;Müller Logistik GmbH;;;called back",
    # Nothing to import: rejected, with its reason in the reject file.
    ";;;;;;only a note",
]


@pytest.fixture
def semicolon_file(tmp_path: Path) -> Path:
    path = tmp_path / "messe-leads.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


class Answers:
    """Answers QMessageBox.question from a queue and remembers what was asked."""

    def __init__(self) -> None:
        self.queue: list[QMessageBox.StandardButton] = []
        self.asked: list[str] = []

    def __call__(self, *args: object, **kwargs: object) -> QMessageBox.StandardButton:
        self.asked.append(str(args[2]))
        return self.queue.pop(0)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    answering = Answers()
    monkeypatch.setattr(QMessageBox, "question", answering)
    return answering


@pytest.fixture
def open_wizard(qtbot, sqlite_db: Database) -> Callable[[], ImportWizard]:
    def open_() -> ImportWizard:
        wizard = ImportWizard(sqlite_db)
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        return wizard

    return open_


def click_next(qtbot, wizard: ImportWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def go_to_preview(qtbot, wizard: ImportWizard, path: Path) -> None:
    qtbot.keyClicks(wizard.file_page.ui.pathEdit, str(path))
    click_next(qtbot, wizard)
    assert wizard.currentId() == PREVIEW_PAGE


def run_to_summary(qtbot, wizard: ImportWizard) -> None:
    click_next(qtbot, wizard)  # "Import" on the options page
    qtbot.waitUntil(lambda: wizard.currentId() == SUMMARY_PAGE)


def count_leads(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Lead)) or 0


# --- the whole way ------------------------------------------------------------------------


def test_import_from_file_choice_to_summary(
    qtbot, open_wizard, sqlite_db: Database, semicolon_file: Path
) -> None:
    wizard = open_wizard()
    go_to_preview(qtbot, wizard, semicolon_file)

    preview = wizard.preview_page
    assert preview.ui.delimiterCombo.currentData() == ";"
    assert "semicolon" in preview.ui.detectedLabel.text()
    assert preview.model.rowCount() == len(ROWS)
    assert preview.model.columnCount() == 7
    assert preview.model.index(0, 0).data() == "Anna"
    assert preview.model.headerData(2, Qt.Orientation.Horizontal) == "E-Mail"
    assert not preview.ui.previousImportLabel.isVisible()

    click_next(qtbot, wizard)
    assert wizard.currentId() == MAPPING_PAGE
    mapping = wizard.mapping_page
    model = mapping.model
    assert model.target_of("Mobil") == ColumnTarget(LeadField.PHONE, PhoneLabel.MOBILE)
    # The user says the "Mobil" column holds other numbers, through the row's combo box.
    row = model.header().index("Mobil")
    combo = mapping.ui.mappingTable.indexWidget(model.index(row, MappingTableModel.TARGET))
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("phone:other"))
    assert model.target_of("Mobil") == ColumnTarget(LeadField.PHONE, PhoneLabel.OTHER)
    assert model.index(row, MappingTableModel.TARGET).data() == "Phone (other)"

    click_next(qtbot, wizard)
    assert wizard.currentId() == OPTIONS_PAGE
    options = wizard.options_page
    qtbot.keyClicks(options.ui.campaignCombo, "Trade show Hannover")
    assert "new campaign" in options.ui.campaignHintLabel.text()
    options.set_region("DE")
    update = options.policy_button(DuplicatePolicy.UPDATE)
    qtbot.mouseClick(update, Qt.MouseButton.LeftButton, pos=QPoint(8, update.height() // 2))
    assert options.policy() is DuplicatePolicy.UPDATE

    finished: list[object] = []
    wizard.import_finished.connect(finished.append)
    run_to_summary(qtbot, wizard)

    summary = wizard.summary
    assert summary is not None and finished == [summary]
    with sqlite_db.read() as session:
        leads = session.scalars(select(Lead)).all()
        campaign = session.scalars(select(Campaign)).one()
        other_phones = session.scalars(
            select(LeadPhone.e164).where(LeadPhone.label == "other")
        ).all()
    assert campaign.name == "Trade show Hannover" and campaign.default_region == "DE"
    assert {lead.campaign_id for lead in leads} == {campaign.id}
    assert "+4915123456789" in other_phones  # the corrected mapping was used
    assert (summary.rows, summary.imported, summary.updated, summary.rejected) == (5, 3, 1, 1)
    assert summary.imported == len(leads)

    page = wizard.summary_page
    assert page.counts["imported"].text() == "3"
    assert page.counts["updated"].text() == "1"
    assert page.counts["duplicates"].text() == "1"
    assert page.counts["rejected"].text() == "1"
    assert "Trade show Hannover" in page.ui.summaryHeadline.text()
    assert page.duplicates_model.rowCount() == 1
    assert page.duplicates_model.index(0, 3).data() == "updated"
    assert page.ui.openRejectsButton.isEnabled()
    assert summary.reject_file is not None and summary.reject_file.is_file()
    assert page.ui.openSummaryButton.isEnabled()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()

    with qtbot.waitSignal(wizard.show_leads) as shown:
        qtbot.mouseClick(page.ui.showLeadsButton, Qt.MouseButton.LeftButton)
    assert sorted(shown.args[0]) == sorted(lead.id for lead in leads)
    assert not wizard.isVisible()


def test_keyboard_only_file_page(qtbot, open_wizard, semicolon_file: Path) -> None:
    wizard = open_wizard()
    wizard.file_page.ui.pathEdit.setFocus()
    qtbot.keyClicks(wizard.file_page.ui.pathEdit, str(semicolon_file))
    qtbot.keyClick(wizard.file_page.ui.pathEdit, Qt.Key.Key_Return)
    assert wizard.currentId() == PREVIEW_PAGE


def test_no_rejects_disables_the_reject_button_and_dry_run_saves_nothing(
    qtbot, open_wizard, sqlite_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "clean.csv"
    path.write_text("Email,First Name,Phone\nanna@example.com,Anna,+1 212 555 0101\n")
    wizard = open_wizard()
    go_to_preview(qtbot, wizard, path)
    assert wizard.preview_page.ui.delimiterCombo.currentData() == ","
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    wizard.options_page.ui.dryRunBox.setChecked(True)
    run_to_summary(qtbot, wizard)
    page = wizard.summary_page
    assert page.counts["imported"].text() == "1"
    assert "Nothing was saved" in page.ui.summaryHeadline.text()
    assert not page.ui.openRejectsButton.isEnabled()
    assert not page.ui.showLeadsButton.isEnabled()
    assert count_leads(sqlite_db) == 0


# --- importing the same file again ----------------------------------------------------------


def test_reimport_is_asked_about(
    qtbot, open_wizard, sqlite_db: Database, semicolon_file: Path, answers: Answers
) -> None:
    first = open_wizard()
    go_to_preview(qtbot, first, semicolon_file)
    click_next(qtbot, first)
    click_next(qtbot, first)
    run_to_summary(qtbot, first)
    assert answers.asked == []  # a first import asks nothing
    leads_before = count_leads(sqlite_db)

    again = open_wizard()
    go_to_preview(qtbot, again, semicolon_file)
    note = again.preview_page.ui.previousImportLabel
    assert note.isVisible() and "already imported" in note.text()
    click_next(qtbot, again)
    click_next(qtbot, again)

    answers.queue.append(Answer.No)
    click_next(qtbot, again)
    assert again.currentId() == OPTIONS_PAGE  # not run
    assert "already imported" in answers.asked[-1]
    assert count_leads(sqlite_db) == leads_before

    answers.queue.append(Answer.Yes)
    run_to_summary(qtbot, again)
    assert again.summary is not None and again.summary.duplicates > 0  # skipped: all known
    assert count_leads(sqlite_db) == leads_before


# --- cancel and errors ----------------------------------------------------------------------


def test_cancel_during_the_run_leaves_no_leads(
    qtbot, open_wizard, sqlite_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    lines = ["First Name,Last Name,Email,Phone"]
    lines += [
        f"Person{n},Test{n},person{n}@example.com,+1 212 555 {n % 10000:04d}"
        for n in range(4500)  # three chunks of the import: room to cancel after the first
    ]
    path.write_text("\n".join(lines) + "\n")
    wizard = open_wizard()
    go_to_preview(qtbot, wizard, path)
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)

    run_page = wizard.run_page

    def stop_at_first_report(value: int) -> None:
        if value > 0 and run_page.ui.cancelImportButton.isEnabled():
            qtbot.mouseClick(run_page.ui.cancelImportButton, Qt.MouseButton.LeftButton)

    run_page.ui.importProgress.valueChanged.connect(stop_at_first_report)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: run_page.ui.runErrorLabel.isVisible())

    assert wizard.currentId() == RUN_PAGE
    assert "cancelled" in run_page.ui.runErrorLabel.text()
    assert count_leads(sqlite_db) == 0
    assert not wizard.is_running()
    # Nothing was lost: Back leads to the choices, ready to run again.
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == OPTIONS_PAGE


def test_binary_file_shows_one_sentence_on_the_preview_page(
    qtbot, open_wizard, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(bytes(range(256)) * 40)
    wizard = open_wizard()
    go_to_preview(qtbot, wizard, path)
    page = wizard.preview_page
    message = page.ui.errorLabel.text()
    assert page.ui.errorLabel.isVisible()
    assert "not a CSV file" in message
    assert "\n" not in message and "Traceback" not in message
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert page.model.rowCount() == 0


def test_missing_file_is_an_error_not_a_crash(qtbot, open_wizard, tmp_path: Path) -> None:
    wizard = open_wizard()
    go_to_preview(qtbot, wizard, tmp_path / "gone.csv")
    assert "does not exist" in wizard.preview_page.ui.errorLabel.text()


def test_changing_the_delimiter_reads_the_file_again(
    qtbot, open_wizard, semicolon_file: Path
) -> None:
    wizard = open_wizard()
    go_to_preview(qtbot, wizard, semicolon_file)
    page = wizard.preview_page
    page.ui.delimiterCombo.setCurrentIndex(page.ui.delimiterCombo.findData(","))
    assert page.model.columnCount() == 1  # no comma in the header: one column
    assert wizard.preview.dialect.delimiter == ","
    page.ui.delimiterCombo.setCurrentIndex(page.ui.delimiterCombo.findData(";"))
    assert page.model.columnCount() == 7


# --- mappings ---------------------------------------------------------------------------------


def test_mapping_is_saved_under_a_name_and_applied_again(
    qtbot, open_wizard, sqlite_db: Database, semicolon_file: Path, monkeypatch
) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("Fair list", True))
    wizard = open_wizard()
    go_to_preview(qtbot, wizard, semicolon_file)
    click_next(qtbot, wizard)
    page = wizard.mapping_page
    page.model.setData(
        page.model.index(page.model.header().index("Notizen"), MappingTableModel.TARGET),
        "ignore",
    )
    qtbot.mouseClick(page.ui.saveMappingButton, Qt.MouseButton.LeftButton)
    assert saved_mapping_names(sqlite_db) == ["Fair list"]
    assert page.ui.savedMappingCombo.currentData() == "Fair list"
    assert "Saved" in page.ui.mappingStatusLabel.text()

    # A later file of the same kind: the saved choice comes back when it is picked.
    again = open_wizard()
    go_to_preview(qtbot, again, semicolon_file)
    click_next(qtbot, again)
    target = again.mapping_page.model.target_of
    assert target("Notizen").field is LeadField.EXTRA
    again.mapping_page.ui.savedMappingCombo.setCurrentIndex(
        again.mapping_page.ui.savedMappingCombo.findData("Fair list")
    )
    assert target("Notizen").field is LeadField.IGNORE
    assert target("E-Mail").field is LeadField.EMAIL


def test_mapping_warnings_are_shown(qtbot, open_wizard, semicolon_file: Path) -> None:
    wizard = open_wizard()
    go_to_preview(qtbot, wizard, semicolon_file)
    click_next(qtbot, wizard)
    page = wizard.mapping_page
    assert not page.ui.mappingWarningsLabel.isVisible()
    for column in ("Telefon", "Mobil"):
        page.model.setData(
            page.model.index(page.model.header().index(column), MappingTableModel.TARGET),
            "ignore",
        )
    # Before importing, the page says how many leads it concerns (the file's 5 rows).
    assert "5 leads will have no phone" in page.ui.mappingWarningsLabel.text()
    assert page.ui.mappingWarningsLabel.isVisible()


def test_every_email_and_phone_label_can_be_chosen() -> None:
    from teleprospect.ui.imports.mapping_model import TARGETS

    assert set(TARGETS) == set(ColumnTarget.choices())


def test_moving_a_one_value_field_frees_the_other_column() -> None:
    model = MappingTableModel()
    header = ("Company", "Employer")
    mapping = ColumnMapping({"Company": ColumnTarget(LeadField.COMPANY)})
    model.set_columns(header, ("Acme", "Acme Holding"), mapping)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, roles: changed.append((first.row(), last.row())))
    assert model.setData(model.index(1, MappingTableModel.TARGET), "company")
    assert model.target_of("Company").field is LeadField.EXTRA
    assert model.target_of("Employer").field is LeadField.COMPANY
    assert changed == [(0, 1)]
    assert not model.setData(model.index(0, MappingTableModel.TARGET), "no such field")
    assert not model.setData(model.index(0, MappingTableModel.COLUMN), "email")


# --- item models --------------------------------------------------------------------------------


def test_models_pass_the_qt_model_tester(qtmodeltester) -> None:
    mapping = MappingTableModel()
    mapping.set_columns(
        ("First Name", "Email", "Mobile", "Notes"),
        ("Anna", "anna@example.com", "+49 151 2345678", ""),
        ColumnMapping(
            {
                "First Name": ColumnTarget(LeadField.FIRST_NAME),
                "Email": ColumnTarget(LeadField.EMAIL),
                "Mobile": ColumnTarget(LeadField.PHONE, PhoneLabel.MOBILE),
                "Notes": ColumnTarget(LeadField.IGNORE),
            }
        ),
    )
    qtmodeltester.check(mapping)

    preview = PreviewTableModel()
    preview.set_rows(("a", "b"), [["1", "2"], ["3"]])
    qtmodeltester.check(preview)

    from teleprospect.services.imports.reports import DuplicateFound

    duplicates = DuplicateListModel()
    duplicates.set_duplicates([DuplicateFound(3, 7, "Anna Berg", "same email", "skipped")])
    qtmodeltester.check(duplicates)


# --- opening it from the main window ----------------------------------------------------------


def test_open_with_a_dropped_file_starts_on_the_preview(
    qtbot, sqlite_db: Database, semicolon_file: Path
) -> None:
    wizard = open_import_wizard(None, sqlite_db, semicolon_file)
    qtbot.addWidget(wizard)
    assert wizard.currentId() == PREVIEW_PAGE
    assert wizard.preview_page.model.rowCount() == len(ROWS)


def test_csv_paths_from_mime(tmp_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls(
        [
            QUrl.fromLocalFile(str(tmp_path / "leads.csv")),
            QUrl.fromLocalFile(str(tmp_path / "UNICODE.TXT")),
            QUrl.fromLocalFile(str(tmp_path / "tabbed.tsv")),
            QUrl.fromLocalFile(str(tmp_path / "book.xlsx")),
            QUrl("https://example.com/leads.csv"),
            QUrl.fromLocalFile(str(tmp_path / "leads.csv")),
        ]
    )
    assert csv_paths_from_mime(mime) == [
        tmp_path / "leads.csv",
        tmp_path / "UNICODE.TXT",
        tmp_path / "tabbed.tsv",
    ]
    text_only = QMimeData()
    text_only.setText("/tmp/leads.csv")
    assert csv_paths_from_mime(text_only) == []


# --- on worker threads, as in the application --------------------------------------------------


def big_file(tmp_path: Path, rows: int = 6500) -> Path:
    path = tmp_path / "big.csv"
    lines = ["First Name,Last Name,Email,Phone"]
    lines += [
        f"Person{n},Test{n},person{n}@example.com,+1 212 555 {n % 10000:04d}" for n in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def next_enabled(wizard: ImportWizard) -> Callable[[], bool]:
    return lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_closing_while_running_asks_then_stops_and_closes(
    qtbot, open_wizard, sqlite_db: Database, tmp_path: Path, answers: Answers
) -> None:
    background.set_inline(False)  # restored by tests/ui/conftest.py
    wizard = open_wizard()
    go_to_preview(qtbot, wizard, big_file(tmp_path))
    qtbot.waitUntil(next_enabled(wizard))
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    run_page = wizard.run_page
    answers.queue += [Answer.No, Answer.Yes]
    click_next(qtbot, wizard)
    qtbot.waitUntil(wizard.is_running)
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()

    wizard.reject()  # the window's close button or Esc
    assert "still running" in answers.asked[-1]
    assert wizard.isVisible() and not wizard.cancel_requested()

    wizard.reject()
    assert wizard.cancel_requested()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=30_000)
    assert not wizard.is_running()
    assert run_page.isVisible() is False
    assert count_leads(sqlite_db) == 0


# --- by keyboard alone ------------------------------------------------------------------------


def test_whole_import_by_keyboard_alone(
    qtbot, open_wizard, sqlite_db: Database, semicolon_file: Path
) -> None:
    wizard = open_wizard()
    # Arrow keys choose among radio buttons only in the active window.
    with qtbot.waitActive(wizard):
        wizard.activateWindow()
    focus = wizard.focusWidget
    qtbot.keyClicks(focus(), str(semicolon_file))  # the file field has the focus
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    assert wizard.currentId() == PREVIEW_PAGE
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    assert wizard.currentId() == MAPPING_PAGE
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    assert wizard.currentId() == OPTIONS_PAGE

    options = wizard.options_page
    assert focus() is options.ui.campaignCombo
    qtbot.keyClicks(focus(), "Trade show Hannover")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert focus() is options.ui.regionCombo
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert focus() is options.ui.policy_skip
    qtbot.keyClick(focus(), Qt.Key.Key_Down)
    assert options.policy() is DuplicatePolicy.UPDATE
    qtbot.keyClick(focus(), Qt.Key.Key_Return)  # Import
    qtbot.waitUntil(lambda: wizard.currentId() == SUMMARY_PAGE)

    summary = wizard.summary
    assert summary is not None
    assert (summary.imported, summary.updated, summary.campaign) == (3, 1, "Trade show Hannover")
    assert count_leads(sqlite_db) == 3
    qtbot.keyClick(focus(), Qt.Key.Key_Return)  # Finish
    assert not wizard.isVisible()
