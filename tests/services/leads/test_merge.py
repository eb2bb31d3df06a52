"""Merging two leads that are one person (issue 15, part 3): everything of both is kept
on one, the merge is in history and the audit trail, the old id still resolves, and what
may not be merged is refused in one sentence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import Disposition, EngagementKind, HistoryKind
from teleprospect.core.permissions import PermissionDenied
from teleprospect.services.calls.lead_detail import lead_detail
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.leads.merge import LeadMergeRefused, merge_leads
from teleprospect.store.database import Database
from teleprospect.store.models import (
    AuditEntry,
    Call,
    CallAnswer,
    EngagementEvent,
    Lead,
    LeadAnswer,
    LeadHistory,
    LeadMerge,
    LeadPhone,
    NurtureEnrollment,
    NurtureTrack,
)
from teleprospect.store.types import utcnow
from tests.services.team_fixtures import NOW, Team, add_callback, add_lead, make_team


@pytest.fixture
def team(db: Database) -> Team:
    return make_team(db)


def both_worked(db: Database, team: Team) -> tuple[int, int]:
    """Jane twice: each lead with a phone, a call with an answer, history, a callback,
    engagement and a nurture enrolment."""
    keep = add_lead(
        db, "Jane", last_name="Berg", company="Acme", email="jane@acme.com",
        phone_raw="+49 30 901820", phone_e164="+4930901820", phone_valid=True,
    )  # fmt: skip
    other = add_lead(
        db, "Jane", last_name="Berg", company="ACME GmbH", email="j.berg@private.example",
        title="CFO", phone_raw="+1 415 555 2671", phone_e164="+14155552671", phone_valid=True,
    )  # fmt: skip
    with db.write() as s:
        track = s.scalars(select(NurtureTrack).limit(1)).one()  # a shipped one
        for lead_id, when in ((keep, NOW - timedelta(days=3)), (other, NOW - timedelta(days=1))):
            s.add(LeadPhone(lead_id=lead_id, raw="x", e164=None, position=0, label="fax"))
            call = Call(lead_id=lead_id, user_id=team.sam, disposition=Disposition.CONNECTED)
            s.add(call)
            s.flush()
            s.add(CallAnswer(call_id=call.id, question_id="budget", value=f"from {lead_id}"))
            s.add(
                LeadAnswer(
                    lead_id=lead_id, question_id="budget", value=f"from {lead_id}",
                    call_id=call.id, answered_at=when,
                )
            )  # fmt: skip
            s.add(LeadHistory(lead_id=lead_id, kind=HistoryKind.STATUS, to_value="working"))
            s.add(EngagementEvent(lead_id=lead_id, kind=EngagementKind.DOWNLOAD, occurred_at=when))
            s.add(
                NurtureEnrollment(
                    lead_id=lead_id, track_id=track.id, starts_at=when, enrolled_at=when
                )
            )
    for lead_id in (keep, other):
        add_callback(db, lead_id, team.sam)
    return keep, other


def count(db: Database, model, lead_id: int) -> int:  # noqa: ANN001
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.lead_id == lead_id))


def test_merging_keeps_every_call_answer_phone_history_and_enrolment_of_both(
    db: Database, team: Team
) -> None:
    keep, other = both_worked(db, team)
    merged = merge_leads(db, keep, other, team.boss)
    assert merged.moved["calls"] == 1 and merged.moved["engagement events"] == 1
    assert f"Lead #{other} (Jane Berg) merged into lead #{keep}" in merged.describe()
    with db.read() as s:
        assert s.get(Lead, other) is None
        kept = s.get(Lead, keep)
        assert kept is not None
        assert kept.title == "CFO", "what the kept lead lacked comes from the other"
        assert kept.email == "jane@acme.com"
        assert kept.extra[f"Email (from lead #{other})"] == "j.berg@private.example"
        numbers = {p.e164 for p in s.scalars(select(LeadPhone).where(LeadPhone.lead_id == keep))}
        assert "+14155552671" in numbers
        answers = s.scalars(select(LeadAnswer).where(LeadAnswer.lead_id == keep)).all()
        assert [a.value for a in answers] == [f"from {other}"], "the newer answer is known"
        assert s.scalar(select(func.count()).select_from(CallAnswer)) == 2
        enrolments = s.scalars(
            select(NurtureEnrollment).where(NurtureEnrollment.lead_id == keep)
        ).all()
        assert len(enrolments) == 2
        assert [e.end_reason for e in enrolments if e.ended_at] == [f"merged into lead #{keep}"]
        record = s.scalars(select(LeadMerge)).one()
        assert (record.merged_lead_id, record.kept_lead_id) == (other, keep)
        assert record.merged["email"] == "j.berg@private.example"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.LEADS_MERGED)).one()
        assert audit.lead_id == keep and audit.user_id == team.boss
    for model in (Call, LeadHistory, EngagementEvent):
        assert count(db, model, keep) >= 2
    assert count(db, Call, keep) == 2
    history = [text for _at, _by, text in lead_detail(db, keep).history]
    assert any(f"Lead #{other} (Jane Berg) merged into this one" in t for t in history)
    with pytest.raises(LeadNotFound, match=f"Lead #{other} was merged into lead #{keep}"):
        lead_detail(db, other)


def test_merging_refuses_the_same_lead_a_merged_lead_a_claimed_lead_and_a_rep(
    db: Database, team: Team
) -> None:
    keep, other = both_worked(db, team)
    third = add_lead(
        db, "Tom", claimed_by_id=team.julie, claim_expires_at=utcnow() + timedelta(hours=1)
    )
    with pytest.raises(LeadMergeRefused, match=f"Lead #{keep} cannot be merged into itself"):
        merge_leads(db, keep, keep, team.boss)
    with pytest.raises(LeadMergeRefused, match="is being worked by Julie Moreau"):
        merge_leads(db, keep, third, team.boss)
    with pytest.raises(PermissionDenied, match="Only a team lead can merge leads"):
        merge_leads(db, keep, other, team.sam)
    with pytest.raises(LeadNotFound, match="There is no lead with id 9999"):
        merge_leads(db, keep, 9999, team.boss)
    assert count(db, Call, other) == 1, "a refused merge moves nothing"
    merge_leads(db, keep, other, team.boss)
    with pytest.raises(
        LeadMergeRefused, match=f"Lead #{other} was already merged into lead #{keep}"
    ):
        merge_leads(db, keep, other, team.boss)
    with pytest.raises(LeadMergeRefused, match=f"merge into lead #{keep} instead"):
        merge_leads(db, other, third, team.boss)
