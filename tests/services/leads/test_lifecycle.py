"""Every status change the services make is checked and written to the lead's history."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from teleprospect.core.domain import HistoryKind, UserRole
from teleprospect.core.lifecycle import IllegalTransition, LeadStatus
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.leads.lifecycle import change_status
from teleprospect.store.database import Database
from teleprospect.store.models import Lead, LeadHistory, User


@pytest.fixture
def lead_and_rep(db: Database) -> tuple[int, int]:
    with db.write() as session:
        rep = User(login="mia", name="Mia Lopez", role=UserRole.TELEPROSPECTOR)
        lead = Lead(first_name="Omar", last_name="Haddad", company="Northwind")
        session.add_all([rep, lead])
    return lead.id, rep.id


def history(db: Database, lead_id: int) -> list[tuple[str | None, str | None, int | None, str]]:
    with db.read() as session:
        rows = session.scalars(
            select(LeadHistory).where(LeadHistory.lead_id == lead_id).order_by(LeadHistory.id)
        )
        return [
            (h.from_value, h.to_value, h.user_id, h.reason)
            for h in rows
            if h.kind is HistoryKind.STATUS
        ]


def test_each_change_writes_who_from_to_and_why(db: Database, lead_and_rep) -> None:
    lead_id, rep_id = lead_and_rep
    change_status(db, lead_id, LeadStatus.WORKING, user_id=rep_id, reason="first call")
    change_status(db, lead_id, "nurture", user_id=rep_id, reason="timeline next year")
    change_status(db, lead_id, LeadStatus.WORKING, user_id=None, reason="call step due")
    assert history(db, lead_id) == [
        ("new", "working", rep_id, "first call"),
        ("working", "nurture", rep_id, "timeline next year"),
        ("nurture", "working", None, "call step due"),
    ]
    with db.read() as session:
        assert session.get(Lead, lead_id).status is LeadStatus.WORKING


def test_an_illegal_change_changes_nothing(db: Database, lead_and_rep) -> None:
    lead_id, rep_id = lead_and_rep
    with pytest.raises(IllegalTransition):
        change_status(db, lead_id, LeadStatus.ACCEPTED, user_id=rep_id)
    with db.read() as session:
        assert session.get(Lead, lead_id).status is LeadStatus.NEW
    assert history(db, lead_id) == []


def test_unknown_lead_is_reported(db: Database) -> None:
    with pytest.raises(LeadNotFound, match="no lead with id 4242"):
        change_status(db, 4242, LeadStatus.WORKING, user_id=None)
