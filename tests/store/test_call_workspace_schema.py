"""The call-workspace schema (migration 0004) on both backends: the database checks what
the models say, and the migration goes down and up again with data in place."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import HistoryKind
from teleprospect.store.database import Database
from teleprospect.store.migrate import alembic_config, upgrade_to_head
from teleprospect.store.models import (
    Call,
    Lead,
    LeadHistory,
    NurtureEnrollment,
    NurtureTrack,
    User,
)

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def _lead_and_user(db: Database) -> tuple[int, int]:
    with db.write() as s:
        user = User(login="rep", name="Rep")
        lead = Lead(first_name="Ada")
        s.add_all([user, lead])
        s.flush()
        return lead.id, user.id


def test_every_history_kind_and_decision_kind_is_accepted(db: Database) -> None:
    lead_id, user_id = _lead_and_user(db)
    with db.write() as s:
        for kind in HistoryKind:
            s.add(LeadHistory(lead_id=lead_id, user_id=user_id, kind=kind, at=NOW))
        for kind in DecisionKind:
            s.add(Call(lead_id=lead_id, user_id=user_id, started_at=NOW, decision_kind=kind))
    with db.read() as s:
        assert s.query(LeadHistory).count() == len(HistoryKind)
        assert s.query(Call).count() == len(DecisionKind)


def test_the_database_refuses_an_unknown_history_kind(db: Database) -> None:
    lead_id, _ = _lead_and_user(db)
    with pytest.raises(IntegrityError), db.write() as s:
        s.execute(
            text("INSERT INTO lead_history (lead_id, at, kind, reason) VALUES (:l, :at, 'x', '')"),
            {"l": lead_id, "at": NOW.replace(tzinfo=None)},
        )


def test_a_lead_has_at_most_one_open_enrolment(db: Database) -> None:
    lead_id, _ = _lead_and_user(db)
    with db.write() as s:
        track = NurtureTrack(key="t", name="T", definition={})
        s.add(track)
        s.flush()
        s.add(NurtureEnrollment(lead_id=lead_id, track_id=track.id, starts_at=NOW, ended_at=NOW))
        s.add(NurtureEnrollment(lead_id=lead_id, track_id=track.id, starts_at=NOW))
        track_id = track.id
    with pytest.raises(IntegrityError), db.write() as s:
        s.add(NurtureEnrollment(lead_id=lead_id, track_id=track_id, starts_at=NOW))


def test_migration_goes_down_and_up_again_keeping_calls(db_url: str) -> None:
    db = Database(db_url)
    try:
        upgrade_to_head(db)
        lead_id, user_id = _lead_and_user(db)
        with db.write() as s:
            s.add(Call(lead_id=lead_id, user_id=user_id, started_at=NOW, notes="kept"))
            s.add(LeadHistory(lead_id=lead_id, kind=HistoryKind.CONTACT, at=NOW))
            s.add(LeadHistory(lead_id=lead_id, kind=HistoryKind.STATUS, at=NOW))
        config = alembic_config(db)
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT notes FROM call")).scalar() == "kept"
            # History the old schema cannot hold is dropped, the rest kept.
            kinds = conn.execute(text("SELECT kind FROM lead_history")).scalars().all()
            assert kinds == ["status"]
        upgrade_to_head(db)
        with db.read() as s:
            call = s.query(Call).one()
            assert (call.notes, call.dialed_number, call.decision_reason) == ("kept", "", "")
    finally:
        db.dispose()
