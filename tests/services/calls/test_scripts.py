"""Script versions and nurture tracks in the database (both backends)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from teleprospect.core.domain import UserRole
from teleprospect.core.nurture import default_tracks
from teleprospect.core.permissions import PermissionDenied
from teleprospect.core.scripts import (
    AnswerError,
    Question,
    QuestionType,
    Script,
    ScriptError,
    default_script,
)
from teleprospect.services.calls.lead_detail import lead_detail
from teleprospect.services.calls.log_call import log_call, start_call
from teleprospect.services.calls.scripts import (
    ScriptNotFound,
    active_script,
    publish_script,
    script_version,
    script_versions,
)
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.nurture.tracks import nurture_tracks, suggested_tracks
from teleprospect.store.database import Database
from teleprospect.store.models import Call, NurtureTrack, PublishedScript, User
from tests.services.call_fixtures import NOW, add_lead, add_users, claim


def test_the_shipped_script_is_version_one_and_stored_once(db: Database) -> None:
    first = active_script(db)
    assert (first.version, first.published_by, first.script) == (
        1,
        "Teleprospect",
        default_script(),
    )
    assert active_script(db).id == first.id
    assert [v.version for v in script_versions(db)] == [1]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(PublishedScript)) == 1


def test_a_published_version_is_used_by_new_calls_while_old_calls_keep_theirs(
    db: Database,
) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(db)
    claim(db, lead_id, me)
    old_call = start_call(db, lead_id, me, now=NOW)
    v1 = active_script(db)

    shipped = default_script()
    renamed = replace(
        shipped.question("need"), text="What problem are you solving this year?", label="Pain"
    )
    extra = Question("team_size", "How many people would use it?", QuestionType.NUMBER)
    new_script = Script(
        "BANT, spring edition",
        (renamed, *[q for q in shipped.questions if q.id != "need"], extra),
    )
    v2 = publish_script(db, new_script, user_id=team_lead(db), note="Asks for the team size")
    assert (v2.version, v2.published_by, v2.note) == (2, "Lead One", "Asks for the team size")
    assert active_script(db).id == v2.id
    assert [v.version for v in script_versions(db)] == [2, 1]
    assert script_version(db, v1.id).script == shipped

    # The call started under version 1 is logged with version 1's questions.
    log_call(
        db,
        lead_id,
        me,
        disposition="connected",
        call_id=old_call.call_id,
        answers={"need": True},
        now=NOW,
    )
    with pytest.raises(AnswerError, match="no question 'team_size'"):
        log_call(db, lead_id, me, disposition="busy", answers={"team_size": 5.0}, call_id=None,
                 script_version_id=v1.id, now=NOW)  # fmt: skip
    claim(db, lead_id, me)
    new_call = start_call(db, lead_id, me, now=NOW)
    log_call(
        db,
        lead_id,
        me,
        disposition="connected",
        call_id=new_call.call_id,
        answers={"team_size": 12.0},
        now=NOW,
    )
    with db.read() as s:
        versions = dict(s.execute(select(Call.id, Call.script_version_id)).all())
    assert versions == {old_call.call_id: v1.id, new_call.call_id: v2.id}
    calls = lead_detail(db, lead_id, now=NOW).calls
    assert [(c.script_version, c.answers_text) for c in calls] == [
        (1, ["Need: Yes"]),
        (2, ["How many people would use it?: 12"]),
    ]


def test_a_script_that_cannot_be_read_back_is_never_published(db: Database) -> None:
    with pytest.raises(ScriptError):
        publish_script(db, Script("Empty", ()), user_id=None)
    with pytest.raises(ScriptNotFound):
        script_version(db, 999)


def test_tracks_are_seeded_once_and_suggested_from_the_leads_answers(db: Database) -> None:
    tracks = nurture_tracks(db)
    assert tracks == default_tracks()
    nurture_tracks(db)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(NurtureTrack)) == len(tracks)

    me, _ = add_users(db)
    engineer = add_lead(db, title="Systems Engineer", industry="Retail")
    assert suggested_tracks(db, engineer)[0].key == "technical-evaluator"
    boss = add_lead(db, title="Head of Logistics", industry="Logistics", email="b@vogel.de",
                    phone_e164="+4930901829")  # fmt: skip
    assert suggested_tracks(db, boss)[0].key == "industrial"
    # Once the lead says they decide, the executive track fits best.
    log_call(db, boss, me, disposition="connected", answers={"authority": "decision_maker"},
             now=NOW)  # fmt: skip
    assert [t.key for t in suggested_tracks(db, boss)][:2] == ["executive", "industrial"]
    with pytest.raises(LeadNotFound):
        suggested_tracks(db, 999)


def team_lead(db: Database) -> int:
    with db.write() as s:
        user = User(login="lead.one", name="Lead One", role=UserRole.TEAM_LEAD)
        s.add(user)
        s.flush()
        return user.id


def test_a_teleprospector_cannot_publish_a_script(db: Database) -> None:
    me, _ = add_users(db)
    before = active_script(db)
    with pytest.raises(PermissionDenied, match="team lead"):
        publish_script(db, Script("Mine", default_script().questions), user_id=me)
    assert active_script(db).version == before.version
