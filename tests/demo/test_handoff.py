"""Demo hand-offs: batches with accepted, rejected and unanswered leads on a fresh demo
database, the same for the same seed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select

from teleprospect.core.lifecycle import LeadStatus
from teleprospect.demo.handoff import add_demo_handoffs
from teleprospect.demo.loader import load_demo
from teleprospect.services.team.acceptance import unanswered_handoffs
from teleprospect.services.team.handoff import ExportRequest, export_handoff, handoff_batches
from teleprospect.services.team.workload import workload
from teleprospect.store.database import Database
from teleprospect.store.migrate import upgrade_to_head
from teleprospect.store.models import HandoffItem, Lead, LeadHistory, User
from tests.services.team_fixtures import NOW


def test_demo_handoffs_give_the_views_real_content(db: Database, tmp_path: Path) -> None:
    load_demo(db, leads=400, seed=3, now=NOW, handoffs=False)
    summary = add_demo_handoffs(db, seed=3, now=NOW)
    assert summary.batches == 4
    assert summary.accepted >= 2 and summary.rejected >= 1 and summary.waiting >= 2
    assert summary.overdue >= 1
    assert summary.handed_off == summary.accepted + summary.rejected + summary.waiting

    batches = handoff_batches(db)
    assert len(batches) == 4 and all(b.file_sha256 if False else b.sha256 for b in batches)
    assert sum(b.accepted for b in batches) == summary.accepted
    assert sum(b.waiting for b in batches) == summary.waiting
    with db.read() as s:
        statuses = Counter(s.scalars(select(Lead.status)).all())
        assert statuses[LeadStatus.ACCEPTED] == summary.accepted
        assert statuses[LeadStatus.HANDED_OFF] == summary.waiting
        assert statuses[LeadStatus.NURTURE] > 0 and statuses[LeadStatus.SALES_READY] >= 2, (
            "some sales-ready leads are left for an export of one's own"
        )
        # Every move went through the lifecycle, with history at the time it happened.
        items = s.scalars(select(HandoffItem)).all()
        for item in items:
            handed = s.scalars(
                select(LeadHistory).where(
                    LeadHistory.lead_id == item.lead_id, LeadHistory.to_value == "handed_off"
                )
            ).one()
            assert handed.at < NOW and handed.user_id is not None
            if item.verdict is not None:
                assert item.verdict_at is not None and handed.at < item.verdict_at < NOW
        boss = s.scalar(select(User.id).where(User.login == "maria.lopez"))
    flagged = unanswered_handoffs(db, now=NOW)
    assert len(flagged) == summary.overdue and all(f.days_waiting > 14 for f in flagged)
    load = workload(db, boss, now=NOW)
    assert load.total("open_leads") > 0
    # What is left can be exported by the team lead.
    result = export_handoff(db, ExportRequest(tmp_path / "first.csv"), boss, now=NOW)
    assert result.leads >= 2


def _fingerprint(url: str) -> list[tuple[object, ...]]:
    db = Database(url)
    upgrade_to_head(db)
    load_demo(db, leads=250, seed=9, now=NOW, handoffs=False)
    add_demo_handoffs(db, seed=9, now=NOW)
    with db.read() as s:
        rows = s.execute(
            select(
                HandoffItem.reference, HandoffItem.verdict, HandoffItem.verdict_reason,
                HandoffItem.verdict_at, Lead.status,
            ).join(Lead, Lead.id == HandoffItem.lead_id).order_by(HandoffItem.reference)
        ).all()  # fmt: skip
    db.dispose()
    return [tuple(row) for row in rows]


def test_the_same_seed_gives_the_same_handoffs(tmp_path: Path) -> None:
    first = _fingerprint(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    assert first and first == _fingerprint(f"sqlite:///{tmp_path / 'b.sqlite3'}")
