"""Importing engagement events: matched by email, stored once, all or nothing."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from teleprospect.core.domain import EngagementKind
from teleprospect.services.imports.activity import ActivityImportRequest, import_activity
from teleprospect.services.imports.errors import AlreadyImported, ImportError_
from teleprospect.store.database import Database
from teleprospect.store.models import EngagementEvent, Lead

HEADER = ["Email Address", "Activity Type", "Activity Date", "Asset Name"]


@pytest.fixture
def two_leads(db: Database) -> dict[str, int]:
    with db.write() as session:
        ann = Lead(first_name="Ann", email="ann@example.com")
        bo = Lead(first_name="Bo", email="bo@example.com")
        session.add_all([ann, bo])
    return {"ann": ann.id, "bo": bo.id}


def write(path, rows):  # noqa: ANN001, ANN201
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def events(db: Database) -> list[tuple[int, EngagementKind, datetime, str]]:
    with db.read() as session:
        return [
            tuple(r)
            for r in session.execute(
                select(
                    EngagementEvent.lead_id,
                    EngagementEvent.kind,
                    EngagementEvent.occurred_at,
                    EngagementEvent.detail,
                ).order_by(EngagementEvent.occurred_at)
            )
        ]


ROWS = [
    ["ANN@example.com", "Email Opened", "2026-03-01T10:00:00Z", "March newsletter"],
    ["bo@example.com", "Attended webinar", "2026-03-02 15:00", "Cloud costs live"],
    ["stranger@elsewhere.example", "Visited Web Page", "2026-03-03 09:00", "/pricing"],
    ["ann@example.com", "Downloaded", "sometime", "White paper"],
]


def test_events_are_matched_by_email_and_the_rest_rejected(db, two_leads, tmp_path) -> None:
    summary = import_activity(
        db, ActivityImportRequest(write(tmp_path / "a.csv", ROWS), report_dir=tmp_path / "r")
    )
    assert (summary.rows, summary.imported, summary.unmatched, summary.rejected) == (4, 2, 1, 2)
    assert summary.leads_touched == 2
    assert events(db) == [
        (
            two_leads["ann"],
            EngagementKind.EMAIL_OPEN,
            datetime(2026, 3, 1, 10, tzinfo=UTC),
            "March newsletter",
        ),
        (
            two_leads["bo"],
            EngagementKind.WEBINAR_ATTENDED,
            datetime(2026, 3, 2, 15, tzinfo=UTC),
            "Cloud costs live",
        ),
    ]
    with open(summary.reject_file, encoding="utf-8-sig", newline="") as stream:
        rejected = list(csv.reader(stream))[1:]
    assert [(r[0], r[1][:20]) for r in rejected] == [
        ("5", "'sometime' is not a "),
        ("4", "no lead has the emai"),
    ]
    assert rejected[1][2] == "stranger@elsewhere.example"


def test_overlapping_exports_store_each_event_once(db, two_leads, tmp_path) -> None:
    import_activity(db, ActivityImportRequest(write(tmp_path / "a.csv", ROWS[:2])))
    with pytest.raises(AlreadyImported):
        import_activity(db, ActivityImportRequest(tmp_path / "a.csv"))
    second = import_activity(db, ActivityImportRequest(write(tmp_path / "b.csv", ROWS[:3])))
    assert (second.imported, second.already_known) == (0, 2)
    assert len(events(db)) == 2


def test_a_file_without_email_or_date_column_is_refused(db, tmp_path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Name,Activity\nAnn,Opened\n", encoding="utf-8")
    with pytest.raises(ImportError_, match="email and one with the date"):
        import_activity(db, ActivityImportRequest(path))


def test_dry_run_stores_nothing(db, two_leads, tmp_path) -> None:
    summary = import_activity(
        db, ActivityImportRequest(write(tmp_path / "a.csv", ROWS), dry_run=True)
    )
    assert summary.imported == 2 and events(db) == []


def test_engagement_moves_the_score_at_once(db, two_leads, tmp_path) -> None:
    with db.read() as session:
        before = session.get(Lead, two_leads["bo"]).score
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    import_activity(
        db,
        ActivityImportRequest(
            write(tmp_path / "a.csv", [["bo@example.com", "Attended webinar", now, "Live"]])
        ),
    )
    with db.read() as session:
        lead = session.get(Lead, two_leads["bo"])
    assert lead.score > before and lead.scored_at is not None


def test_a_failed_activity_import_leaves_no_report_and_no_batch(
    db, two_leads, tmp_path, monkeypatch, caplog
) -> None:
    from sqlalchemy import func

    from teleprospect.services.imports import activity
    from teleprospect.store.models import ImportBatch

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(activity._EventStore, "store", disk_full)
    with caplog.at_level("WARNING"), pytest.raises(ImportError_, match="nothing was imported"):
        import_activity(
            db, ActivityImportRequest(write(tmp_path / "a.csv", ROWS), report_dir=tmp_path / "r")
        )
    assert events(db) == []
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    assert list((tmp_path / "r").iterdir()) == [], "the row rejected before the error is not kept"
    assert "a.csv" in caplog.text and "No space left" in caplog.text
