"""The audit trail records acts with who, as whom and where, and cannot be edited."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import UserRole
from teleprospect.services.audit.record import record_audit
from teleprospect.store.database import Attribution
from teleprospect.store.models import AuditEntry, User


def _user(db, login: str) -> int:
    with db.write() as session:
        user = User(login=login, name=login.title(), role=UserRole.TEAM_LEAD)
        session.add(user)
        session.flush()
        return user.id


def test_an_entry_names_who_really_acted_and_as_whom(db) -> None:
    admin, rep = _user(db, "ada"), _user(db, "rob")
    db.attribution = Attribution("ada", admin, "desk-7")
    with db.write() as session:
        record_audit(
            session,
            AuditKind.USER_CHANGED,
            user_id=rep,
            subject="rob's role",
            before={"role": UserRole.TELEPROSPECTOR},
            after={"role": UserRole.TEAM_LEAD},
        )
    with db.read() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert (entry.user_id, entry.by_user_id, entry.by_login) == (rep, admin, "ada")
    assert entry.workstation == "desk-7"
    assert entry.before == {"role": "teleprospector"} and entry.after == {"role": "team_lead"}
    assert entry.at is not None and entry.at.tzinfo is not None


def test_an_entry_rolled_back_with_its_act_leaves_no_trace(db) -> None:
    with pytest.raises(RuntimeError), db.write() as session:
        record_audit(session, AuditKind.SETTING_CHANGED, user_id=None, subject="calling hours")
        raise RuntimeError("the act failed")
    with db.read() as session:
        assert session.scalars(select(AuditEntry)).all() == []


def test_the_database_refuses_to_change_or_delete_an_entry(db) -> None:
    with db.write() as session:
        record_audit(session, AuditKind.SETTING_CHANGED, user_id=None, subject="calling hours")
    for statement in (
        update(AuditEntry).values(subject="nothing happened"),
        delete(AuditEntry),
    ):
        with pytest.raises(DBAPIError, match="append-only"), db.write() as session:
            session.execute(statement)
    with db.read() as session:
        assert session.scalars(select(AuditEntry.subject)).all() == ["calling hours"]
