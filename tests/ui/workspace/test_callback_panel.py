"""The callback page of the decision panel: the suggested time in the lead's window, the
time read in both zones, and a warning as soon as a time outside the lead's window is
chosen (a rep in Berlin, a lead in Tokyo)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime

from teleprospect.core.callback_slots import MIN_CALLBACK_GAP, next_call_slot
from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition
from teleprospect.core.queue_policy import CallingHours
from teleprospect.ui.workspace.decision_panel import DecisionPanel

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = "Asia/Tokyo"
#: Wednesday 25 November 2026, 16:00 in Berlin, midnight in Tokyo.
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture
def panel(qtbot, monkeypatch: pytest.MonkeyPatch) -> DecisionPanel:
    monkeypatch.setattr("teleprospect.ui.workspace.decision_panel.local_zone", lambda: BERLIN)
    widget = DecisionPanel()
    qtbot.addWidget(widget)
    widget.resize(520, 420)
    widget.show()
    suggested = next_call_slot([TOKYO], NOW, CallingHours(), gap=MIN_CALLBACK_GAP)
    widget.reset(
        now=NOW,
        lead_zone_names=(TOKYO,),
        hours=CallingHours(),
        suggested_callback_at=suggested,
    )
    widget.set_disposition(Disposition.CALLBACK_REQUESTED)
    widget.set_decision(DecisionKind.CALLBACK)
    return widget


def choose(panel: DecisionPanel, at_berlin: datetime) -> None:
    panel.callback_at.setDateTime(
        QDateTime(
            QDate(at_berlin.year, at_berlin.month, at_berlin.day),
            QTime(at_berlin.hour, at_berlin.minute),
        )
    )


def test_the_callback_starts_at_the_first_good_time_in_tokyo_shown_in_both_zones(
    panel: DecisionPanel,
) -> None:
    # Thursday 09:00 in Tokyo is Thursday 01:00 in Berlin.
    assert panel.callback_time() == datetime(2026, 11, 26, 0, 0, tzinfo=UTC)
    assert panel.callback_local.text() == "Thu 01:00 here · Thu 09:00 in Tokyo"
    assert not panel.callback_warning.isVisible()
    assert panel.problem() is None


def test_tomorrow_at_ten_here_is_seven_in_the_evening_in_tokyo_and_says_so_at_once(
    panel: DecisionPanel,
) -> None:
    choose(panel, datetime(2026, 11, 26, 10, 0, tzinfo=BERLIN))
    assert panel.callback_local.text() == "Thu 10:00 here · Thu 18:00 in Tokyo"
    assert panel.callback_warning.isVisible()
    warning = panel.callback_warning.text()
    assert "outside calling hours (Thu 18:00 local)" in warning
    assert "If the lead asked for that time" in warning
    assert panel.problem() == warning  # saving says the same

    panel.callback_requested.setChecked(True)  # the lead asked for that time
    assert not panel.callback_warning.isVisible() and panel.problem() is None

    choose(panel, datetime(2026, 11, 26, 15, 0, tzinfo=BERLIN))  # 23:00 in Tokyo
    assert panel.callback_warning.isVisible()
    assert "never allowed before 08:00 or after 21:00" in panel.callback_warning.text()


def test_a_time_that_has_passed_by_the_databases_clock_is_warned_about(
    panel: DecisionPanel,
) -> None:
    choose(panel, (NOW - timedelta(hours=1)).astimezone(BERLIN))
    assert panel.callback_warning.isVisible()
    assert "has passed" in panel.callback_warning.text()


def test_a_lead_whose_local_time_is_unknown_is_said_so(panel: DecisionPanel) -> None:
    panel.reset(now=NOW, lead_zone_names=(), hours=CallingHours())
    panel.set_decision(DecisionKind.CALLBACK)
    assert "the lead's local time is unknown" in panel.callback_local.text()
    assert "unknown" in (panel.callback_warning.text() or "")
