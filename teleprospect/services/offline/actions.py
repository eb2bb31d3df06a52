"""What a journal entry holds: a logged call as plain data, to keep on the workstation and to
apply when the server is back.

A call is kept as the rep gave it: the outcome, the duration, the notes, the script answers
(in their stored form, or as typed at the command line and read with the script in use
when the entry is applied), the decision with its fields, and the attempt recorded before
the server went away. :func:`call_payload` writes it, :func:`read_call` reads it back for
:func:`~teleprospect.services.calls.log_call.log_call_in_session`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition
from teleprospect.core.errors import Invalid
from teleprospect.core.offline import LeadState
from teleprospect.core.scripts import AnswerValue, Script, from_json, parse_answer, to_json
from teleprospect.services.calls.decisions import Decision, disposition_of, when
from teleprospect.services.offline.journal import Journal, JournalEntry

__all__ = [
    "CALL",
    "KeptCall",
    "OfflineCall",
    "call_payload",
    "call_summary",
    "decision_from_json",
    "decision_to_json",
    "keep_call",
    "new_client_action_id",
    "read_call",
]

#: The kind of a journal entry holding a logged call.
CALL = "call"


@dataclass(frozen=True)
class OfflineCall:
    """One logged call, as a journal entry holds it."""

    disposition: Disposition
    duration_s: int | None = None
    notes: str = ""
    #: Answers in their stored (JSON) form, by question id; None clears a known answer.
    answers: dict[str, Any] = field(default_factory=dict)
    #: Answers as typed at the command line ("budget=25k"), read when applied.
    answer_texts: dict[str, str] = field(default_factory=dict)
    script_version_id: int | None = None
    decision: Decision | None = None
    #: The attempt recorded when the call started, before the server went away.
    call_id: int | None = None

    def typed_answers(self, script: Script) -> dict[str, AnswerValue | None]:
        """The answers typed for ``script``; raises :class:`AnswerError` for one it cannot
        read (the entry then waits for review, saying which)."""
        typed: dict[str, AnswerValue | None] = {}
        for qid, raw in self.answers.items():
            if not script.has_question(qid):
                continue  # a question the script no longer has: nothing to keep
            typed[qid] = None if raw is None else from_json(script.question(qid), raw)
        for qid, text in self.answer_texts.items():
            if not script.has_question(qid):
                known = ", ".join(q.id for q in script.questions)
                raise Invalid(f"The script has no question {qid!r}; its questions are: {known}.")
            typed[qid] = parse_answer(script.question(qid), text) if text.strip() else None
        return typed


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _read_time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def decision_to_json(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "kind": DecisionKind(decision.kind).value,
        "reason": decision.reason,
        "note": decision.note,
        "track_key": decision.track_key,
        "next_touch_at": _time(decision.next_touch_at),
        "callback_at": _time(decision.callback_at),
        "personal": decision.personal,
        "at_lead_request": decision.at_lead_request,
    }


def decision_from_json(data: Mapping[str, Any] | None) -> Decision | None:
    if not data:
        return None
    return Decision(
        kind=DecisionKind(data["kind"]),
        reason=str(data.get("reason") or ""),
        note=str(data.get("note") or ""),
        track_key=data.get("track_key") or None,
        next_touch_at=_read_time(data.get("next_touch_at")),
        callback_at=_read_time(data.get("callback_at")),
        personal=bool(data.get("personal", True)),
        at_lead_request=bool(data.get("at_lead_request", False)),
    )


def call_payload(
    *,
    disposition: Disposition | str,
    duration_s: int | None = None,
    notes: str = "",
    answers: Mapping[str, AnswerValue | None] | None = None,
    script: Script | None = None,
    answer_texts: Mapping[str, str] | None = None,
    script_version_id: int | None = None,
    decision: Decision | None = None,
    call_id: int | None = None,
) -> dict[str, Any]:
    """A call as a journal entry keeps it. Typed ``answers`` need the ``script`` they were
    given with (to store them); ``answer_texts`` are kept as typed."""
    stored: dict[str, Any] = {}
    if answers:
        if script is None:
            raise ValueError("Typed answers are kept with the script they were given with.")
        for qid, value in answers.items():
            stored[qid] = None if value is None else to_json(script.question(qid), value)
    return {
        "disposition": disposition_of(disposition).value,
        "duration_s": duration_s,
        "notes": notes,
        "answers": stored,
        "answer_texts": dict(answer_texts or {}),
        "script_version_id": script_version_id,
        "decision": decision_to_json(decision),
        "call_id": call_id,
    }


def read_call(payload: Mapping[str, Any]) -> OfflineCall:
    """The call a journal entry keeps (see :func:`call_payload`)."""
    return OfflineCall(
        disposition=disposition_of(payload["disposition"]),
        duration_s=payload.get("duration_s"),
        notes=str(payload.get("notes") or ""),
        answers=dict(payload.get("answers") or {}),
        answer_texts={str(k): str(v) for k, v in (payload.get("answer_texts") or {}).items()},
        script_version_id=payload.get("script_version_id"),
        decision=decision_from_json(payload.get("decision")),
        call_id=payload.get("call_id"),
    )


def call_summary(payload: Mapping[str, Any]) -> str:
    """What the call was, in one line: "No answer; callback Thu 26 Nov 10:00 UTC"."""
    call = read_call(payload)
    parts = [call.disposition.label]
    decision = call.decision
    if decision is not None:
        kind = DecisionKind(decision.kind)
        if kind is DecisionKind.CALLBACK and decision.callback_at is not None:
            who = "" if decision.personal else "team "
            parts.append(f"{who}callback {when(decision.callback_at.astimezone(UTC))}")
        elif kind in (DecisionKind.DISQUALIFY, DecisionKind.EXCEPTION) and decision.reason:
            parts.append(f"{kind.label.lower()} ({decision.reason.replace('_', ' ')})")
        elif kind is DecisionKind.NURTURE and decision.track_key:
            parts.append(f"back to nurture ({decision.track_key})")
        else:
            parts.append(kind.label.lower())
    notes = " ".join(call.notes.split())
    if notes:
        parts.append(f"“{notes[:60]}{'…' if len(notes) > 60 else ''}”")
    return "; ".join(parts)


# ----------------------------------------------------------------------------- keeping a call


@dataclass(frozen=True)
class KeptCall:
    """A call kept on this workstation because the server could not be reached."""

    entry: JournalEntry
    #: Entries of this journal waiting to be sent, this one included.
    waiting: int

    @property
    def lead_id(self) -> int:
        return self.entry.lead_id

    @property
    def summary(self) -> str:
        """One sentence for the status bar and the terminal."""
        name = self.entry.lead_name or f"lead {self.entry.lead_id}"
        return (
            f"Server unreachable: the call with {name} was saved on this computer and will be"
            f" sent when the server is back ({self.waiting} waiting)."
        )


def keep_call(
    journal: Journal,
    *,
    lead_id: int,
    login: str,
    payload: dict[str, Any],
    client_action_id: str | None = None,
    as_login: str | None = None,
    user_id: int | None = None,
    lead_name: str = "",
    base: LeadState | None = None,
    seen_at: datetime | None = None,
    taken_at: datetime | None = None,
) -> KeptCall:
    """Keep a logged call (a :func:`call_payload`) in ``journal`` until the server is back.

    ``client_action_id``: the id the save was tried with (a new UUID when None), so a
    call the server did get after all is recognised. ``base`` and ``seen_at``: the lead
    as the rep last read it from the server, and when (unknown at the command line)."""
    entry = journal.add(
        client_action_id=client_action_id or new_client_action_id(),
        kind=CALL,
        login=login,
        as_login=as_login,
        user_id=user_id,
        lead_id=lead_id,
        lead_name=lead_name,
        taken_at=(taken_at or datetime.now(UTC)).astimezone(UTC),
        base=base,
        seen_at=seen_at,
        payload=payload,
        summary=call_summary(payload),
    )
    return KeptCall(entry, journal.count())


def new_client_action_id() -> str:
    """A workstation's id for one action: unique without asking the server."""
    return str(uuid.uuid4())
