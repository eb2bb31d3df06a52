"""One lead, one score: on a demo desk every screen and command shows each lead with the
same score and grade — `teleprospect queue --json` and `teleprospect lead ID --json`, the
queue view, the Leads list, and the call workspace's header and Score tab — and that
score is what the rules in force give (re-scoring changes nothing).

(It pins the issue "one lead, three scores": Rahul Nair read 78 B in the queue and 47 C in
the workspace.)
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QModelIndex
from sqlalchemy import select

from teleprospect.cli import main
from teleprospect.demo.loader import DEMO_USERS, load_demo
from teleprospect.services.scoring.rescore import rescore_all
from teleprospect.services.scoring.scores import active_rules
from teleprospect.store.database import Database
from teleprospect.store.models import Lead, User
from teleprospect.ui.desk.queue_model import COLUMN_INDEX as QUEUE_COLUMNS
from teleprospect.ui.desk.queue_model import QueueTableModel
from teleprospect.ui.leads.lead_table_model import COLUMN_INDEX as LIST_COLUMNS
from teleprospect.ui.leads.lead_table_model import LEAD_ID_ROLE, LeadTableModel
from teleprospect.ui.workspace.call_workspace import CallWorkspace

NOW = datetime(2025, 6, 11, 14, 0, tzinfo=UTC)  # a Wednesday: Europe and the Americas call
LEADS = 240
#: Leads looked at on every screen: those in the reps' queues and every fifth one besides.
SAMPLE = 50


@pytest.fixture
def demo(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    load_demo(sqlite_db, leads=LEADS, seed=11, now=NOW)
    # The commands' queue reads the demo's clock: its calling windows are open then.
    monkeypatch.setattr("teleprospect.store.clock.utcnow", lambda: NOW)
    return sqlite_db


def cli_json(capsys: pytest.CaptureFixture[str], db: Database, *argv: str) -> list[dict]:
    url = db.url.render_as_string(hide_password=False)
    assert main(["--db", url, *argv, "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_every_screen_and_command_shows_one_score(demo: Database, capsys, qtbot) -> None:
    rules = active_rules(demo)
    with demo.read() as s:
        truth = {
            lead_id: (score, rules.grade_of(score).grade)
            for lead_id, score in s.execute(select(Lead.id, Lead.score))
        }
        reps = dict(s.execute(select(User.login, User.id)).all())
    # The stored scores are the rules' for the leads' data today.
    assert (rescore_all(demo, now=NOW).changed, len(truth)) == (0, LEADS)

    # `teleprospect queue --json`, for each rep of the demo team.
    queued: dict[int, tuple[int, str]] = {}
    for user in DEMO_USERS:
        for row in cli_json(capsys, demo, "queue", "--as", user.login, "--limit", "1000"):
            queued[row["id"]] = (row["score"], row["grade"])
    assert len(queued) >= 20, "the reps' queues hold leads to look at"
    assert queued == {lead_id: truth[lead_id] for lead_id in queued}
    ids = sorted(truth)
    sample = sorted({*list(queued)[: SAMPLE // 2], *ids[:: len(ids) // (SAMPLE // 2)]})
    assert len(sample) >= SAMPLE - 5

    # `teleprospect lead ID --json`.
    for lead_id in sample:
        (shown,) = cli_json(capsys, demo, "lead", str(lead_id))
        assert (shown["score"], shown["grade"]) == truth[lead_id], lead_id
        points = [int(line.split()[0].replace("\u2212", "-")) for line in shown["breakdown_lines"]]
        assert sum(points) == shown["score"], f"lead {lead_id}: the lines add up to the score"

    # The queue view of each rep.
    for user in DEMO_USERS:
        model = QueueTableModel(demo, reps[user.login], now_provider=lambda: NOW)
        while model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        for row in range(model.rowCount()):
            entry = model.entry(row)
            text = model.index(row, QUEUE_COLUMNS["score"]).data()
            assert text == "{} {}".format(*truth[entry.lead_id]), entry.name
            if entry.reason.startswith("score "):
                assert entry.reason.startswith(f"score {truth[entry.lead_id][0]},")

    # The Leads list.
    leads = LeadTableModel(demo)
    while leads.canFetchMore(QModelIndex()):
        leads.fetchMore(QModelIndex())
    assert leads.rowCount() == LEADS
    for row in range(leads.rowCount()):
        lead_id = leads.index(row, 0).data(LEAD_ID_ROLE)
        assert leads.index(row, LIST_COLUMNS["score"]).data() == "{} {}".format(*truth[lead_id])

    # The call workspace: the header and the Score tab, read-only as a team lead opens any.
    workspace = CallWorkspace(now_provider=lambda: NOW)
    qtbot.addWidget(workspace)
    workspace.set_context(demo, reps["maria.lopez"], "maria.lopez")
    for lead_id in sample:
        workspace.open_lead(lead_id, read_only=True, holder="someone")
        qtbot.waitUntil(lambda lead_id=lead_id: _shown(workspace) == lead_id)
        score, grade = truth[lead_id]
        header = workspace.lead_panel.header.text()
        assert re.search(rf"score <b>{score}</b> {grade} \(", header), (lead_id, header)
        tab = workspace.lead_panel.score_view.toPlainText()
        assert tab.startswith(f"Score {score} · grade {grade} ("), (lead_id, tab)


def _shown(workspace: CallWorkspace) -> int | None:
    detail = workspace.lead_panel.detail
    return detail.id if detail is not None and workspace.lead_panel.live is not None else None
