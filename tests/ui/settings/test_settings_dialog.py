"""Issue 17: the Settings window. A team lead edits calling hours, routing, a campaign and
the points of a script answer, is told in one sentence what cannot be, previews how many
leads change grade and publishes; a rep sees everything and can change nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime

from teleprospect.core.domain import CampaignChannel, Disposition, UserRole
from teleprospect.services.defaults import seed_defaults
from teleprospect.services.scoring.publishing import rules_in_force
from teleprospect.services.settings.campaigns import list_campaigns
from teleprospect.services.settings.edit import settings_json
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, LeadAnswer, User
from teleprospect.ui.settings.settings_dialog import READ_ONLY_NOTE, SettingsDialog
from tests.services.call_fixtures import add_lead

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Database:
    from teleprospect.services.database import upgrade_database

    db = Database(sqlite_url)
    upgrade_database(db)
    seed_defaults(db)
    return db


def people(db: Database) -> tuple[int, int]:
    with db.write() as s:
        boss = User(login="boss", name="Bea Boss", role=UserRole.TEAM_LEAD)
        rep = User(login="rep", name="Rita Rep")
        s.add_all([boss, rep, Campaign(name="Spring webinar", channel=CampaignChannel.OTHER)])
        s.flush()
        return boss.id, rep.id


def test_a_team_lead_edits_saves_and_is_told_what_cannot_be(qtbot, sqlite_db: Database) -> None:
    boss, _ = people(sqlite_db)
    dialog = SettingsDialog(sqlite_db, boss)
    qtbot.addWidget(dialog)
    dialog.show()
    hours = dialog.hours_page
    assert hours.start_edit.time() == QTime(9, 0) and dialog.save_button.isEnabled()

    hours.start_edit.setTime(QTime(7, 30))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "go beyond the legal limit" in dialog.message_label.text()
    assert settings_json(sqlite_db)["calling_hours"]["start"] == "09:00"

    hours.start_edit.setTime(QTime(8, 30))
    again, minutes, _, _ = hours.rule_widgets(Disposition.NO_ANSWER)
    minutes.setValue(0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message_label.text().startswith("No answer: A retry needs a delay")
    minutes.setValue(120)
    routing = dialog.routing_page
    routing.by_score.setChecked(True)
    routing.min_score.setValue(85)
    routing.receivers_list.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dialog.settings_changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = settings_json(sqlite_db)
    assert saved["calling_hours"]["start"] == "08:30"
    assert saved["retry_rules"]["by_disposition"]["no_answer"]["delay_minutes"] == 120
    assert saved["routing"] == {"min_score": 85, "min_company_size": None, "receivers": [boss]}


def test_a_campaign_becomes_inbound_from_the_window(qtbot, sqlite_db: Database) -> None:
    boss, _ = people(sqlite_db)
    dialog = SettingsDialog(sqlite_db, boss)
    qtbot.addWidget(dialog)
    page = dialog.campaigns_page
    page.table.selectRow(0)
    assert page.name_edit.text() == "Spring webinar"
    page.type_combo.setCurrentIndex(page.type_combo.findData(CampaignChannel.WEBINAR))
    page.offer_edit.setText("our webinar on ledgers")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message_label.text() == (
        "Campaign “Spring webinar” saved: its leads count as inbound."
    )
    [campaign] = list_campaigns(sqlite_db)
    assert (campaign.channel, campaign.offer, campaign.inbound) == (
        CampaignChannel.WEBINAR,
        "our webinar on ledgers",
        True,
    )
    page.region_edit.setText("Q1")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "'Q1' is not a country code" in dialog.message_label.text()


def test_answer_points_preview_and_publish(qtbot, sqlite_db: Database) -> None:
    boss, _ = people(sqlite_db)
    lead = add_lead(sqlite_db)
    with sqlite_db.write() as s:
        s.add(LeadAnswer(lead_id=lead, question_id="current_solution", value="spreadsheets"))
    dialog = SettingsDialog(sqlite_db, boss)
    qtbot.addWidget(dialog)
    dialog.resize(900, 640)
    dialog.tabs.setCurrentWidget(dialog.scoring_page)
    page = dialog.scoring_page
    page.point_box("current_solution", "spreadsheets").setValue(20)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.preview_label.text() == (
        "1 of 1 leads change grade (B→A 1); 1 change score; 1 reach the sales-ready"
        " threshold, 0 fall below it."
    )
    dialog.show()
    qtbot.waitExposed(dialog)
    shot = dialog.grab()
    assert not shot.isNull()
    if os.environ.get("TELEPROSPECT_DOCS_SHOTS"):  # refresh the README's picture on request
        assert shot.save(str(DOCS / "settings.png"))
    page.note_edit.setText("spreadsheet users switch")
    with qtbot.waitSignal(page.published):
        qtbot.mouseClick(page.publish_button, Qt.MouseButton.LeftButton)
    assert "Scoring rules version 2 published; 1 leads re-scored" in dialog.message_label.text()
    in_force = rules_in_force(sqlite_db)
    assert (in_force.version, in_force.note) == (2, "spreadsheet users switch")
    assert [
        r.points for r in in_force.rules.qualification if r.question_id == "current_solution"
    ] == [{"spreadsheets": 20}]


def test_a_rep_sees_the_settings_and_can_change_nothing(qtbot, sqlite_db: Database) -> None:
    _, rep = people(sqlite_db)
    dialog = SettingsDialog(sqlite_db, rep)
    qtbot.addWidget(dialog)
    assert dialog.message_label.text() == READ_ONLY_NOTE
    assert not dialog.save_button.isEnabled()
    assert not dialog.hours_page.start_edit.isEnabled()
    assert not dialog.campaigns_page.add_button.isEnabled()
    assert not dialog.scoring_page.publish_button.isEnabled()
    assert dialog.scoring_page.preview_button.isEnabled()  # looking ahead changes nothing
