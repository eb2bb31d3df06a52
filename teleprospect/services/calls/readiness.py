"""A lead's score and readiness checklist with the answers given on a call.

What the checks and the writes of one call need is read once, in the caller's
transaction (:func:`call_context`); :func:`lead_readiness` shows it live while the rep
types. The live score is the lead's data with the answers known and given, scored by the
rules in force at the time of the call: exactly what saving the call stores
(:func:`teleprospect.services.scoring.scores.rescore_lead`), with its grade and breakdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from teleprospect.core.scoring.engine import ScoreBreakdown
from teleprospect.core.scripts import (
    AnswerError,
    AnswerValue,
    Readiness,
    Script,
    from_json,
    readiness,
    to_json,
    visible_questions,
)
from teleprospect.services.calls.scripts import (
    ScriptVersion,
    active_script_in_session,
    script_version_in_session,
)
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.scoring.scores import known_answers, lead_score_input, rules_in_session
from teleprospect.services.settings.team_settings import QueueSettings, load_queue_settings
from teleprospect.store.database import Database
from teleprospect.store.models import Call, Lead


@dataclass
class CallContext:
    """What the checks and the writes of one call need, read in one transaction."""

    lead: Lead
    now: datetime
    version: ScriptVersion
    settings: QueueSettings
    #: Answers given on this call (storage form), only questions shown.
    given: dict[str, Any]
    #: The lead's answers after this call (storage form): known, then given, minus cleared.
    merged: dict[str, Any]
    #: Question ids whose known answer goes (cleared, or hidden by a changed answer).
    dropped: set[str]
    #: The score with ``merged`` answers, line by line: what saving the call stores.
    breakdown: ScoreBreakdown
    threshold: int
    readiness: Readiness

    @property
    def script(self) -> Script:
        return self.version.script

    @property
    def score(self) -> int:
        return self.breakdown.total

    def live(self) -> LiveScore:
        return LiveScore(self.breakdown, self.readiness, self.lead.score)


@dataclass(frozen=True)
class LiveScore:
    """The lead's score during a call, with the answers given so far (saved or not)."""

    #: Total, grade and lines, by the rules in force with these answers.
    breakdown: ScoreBreakdown
    readiness: Readiness
    #: The lead's stored score (before this call's answers are saved).
    stored_score: int

    @property
    def score(self) -> int:
        return self.breakdown.total

    @property
    def grade(self) -> str:
        return self.breakdown.grade

    @property
    def grade_label(self) -> str:
        return self.breakdown.grade_label

    @property
    def lines(self) -> list[str]:
        """ "+15 VP-level title", … adding up to :attr:`score`."""
        return [line.text for line in self.breakdown.lines]


def _typed(script: Script, stored: Mapping[str, Any]) -> dict[str, AnswerValue]:
    typed: dict[str, AnswerValue] = {}
    for qid, raw in stored.items():
        if not script.has_question(qid):
            continue
        try:
            typed[qid] = from_json(script.question(qid), raw)
        except AnswerError:
            continue  # given under an older script; it no longer fits
    return typed


def _read_context(
    session: Session,
    lead: Lead,
    answers: Mapping[str, AnswerValue | None],
    version: ScriptVersion,
    now: datetime,
) -> CallContext:
    script = version.script
    given: dict[str, Any] = {}
    cleared: set[str] = set()
    for qid, value in answers.items():
        if not script.has_question(qid):
            questions = ", ".join(q.id for q in script.questions)
            raise AnswerError(
                f"The script {script.name!r} (version {version.version}) has no question"
                f" {qid!r}; its questions are: {questions}."
            )
        if value is None:
            cleared.add(qid)
        else:
            given[qid] = to_json(script.question(qid), value)
    known = known_answers(session, lead.id)
    merged = {k: v for k, v in known.items() if k not in cleared}
    merged.update(given)
    # Answers to questions a changed answer now skips are no longer true of the lead
    # ("budget: no" makes the budget amount moot).
    shown = {q.id for q in visible_questions(script, _typed(script, merged))}
    hidden = {qid for qid in merged if script.has_question(qid) and qid not in shown}
    for qid in hidden:
        merged.pop(qid)
        given.pop(qid, None)
    dropped = (cleared | hidden) & set(known)
    rules = rules_in_session(session)
    # The same scoring as saving does (rescore_lead), with the answers as saving leaves them.
    breakdown = rules.compiled.score(lead_score_input(session, lead, answers=merged), now)
    threshold = rules.rules.thresholds.sales_ready
    return CallContext(
        lead=lead,
        now=now,
        version=version,
        settings=load_queue_settings(session),
        given=given,
        merged=merged,
        dropped=dropped,
        breakdown=breakdown,
        threshold=threshold,
        readiness=readiness(script, _typed(script, merged), breakdown.total, threshold),
    )


def _version_for(
    session: Session, script_version_id: int | None, call: Call | None
) -> ScriptVersion:
    if script_version_id is None and call is not None:
        script_version_id = call.script_version_id
    if script_version_id is not None:
        return script_version_in_session(session, script_version_id)
    return active_script_in_session(session)


def call_context(
    session: Session,
    lead: Lead,
    answers: Mapping[str, AnswerValue | None],
    script_version_id: int | None,
    call: Call | None,
    now: datetime,
) -> CallContext:
    return _read_context(
        session, lead, answers, _version_for(session, script_version_id, call), now
    )


def lead_readiness(
    db: Database,
    lead_id: int,
    answers: Mapping[str, AnswerValue | None],
    *,
    script_version_id: int | None = None,
    now: datetime | None = None,
) -> LiveScore:
    """The lead's score with these answers (over its known ones), its grade and lines, and
    the readiness checklist, live while the rep types; writes nothing."""
    with db.read() as session:
        now = decision_time(session, now)
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        return call_context(session, lead, answers, script_version_id, None, now).live()
