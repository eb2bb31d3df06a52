"""Sending the journal when the server is back: every waiting entry in the order it was made,
each exactly once.

Each entry is one transaction on the server that locks the lead, then looks whether the
entry arrived before (an ``offline_action`` row with its id, or a call carrying it: the
workstation crashed, or lost the answer, between the server's commit and marking the entry
done), then whether the lead moved on meanwhile (:func:`teleprospect.core.offline.find_conflict`),
and only then logs the call with :func:`~teleprospect.services.calls.log_call.log_call_in_session`,
at the time the rep made it. The ``offline_action`` row is written in the same transaction:
the server alone knows what it applied, so the journal can be sent again any number of
times. An entry the lead moved on from, or one the desk's rules refuse now, is recorded for
review instead (the rep and the team lead see it) and nothing of it is applied.

Replay stops at the first entry the server cannot take right now (it went away again, or a
transaction failed for a passing reason): later entries never overtake an earlier one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from teleprospect.core.domain import HistoryKind
from teleprospect.core.errors import TeleprospectError
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.offline import (
    Conflict,
    LeadState,
    OfflineOutcome,
    OtherChange,
    find_conflict,
)
from teleprospect.services.calls.log_call import LoggedCall, log_call_in_session
from teleprospect.services.calls.scripts import active_script_in_session, script_version_in_session
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import user_message
from teleprospect.services.offline.actions import read_call
from teleprospect.services.offline.journal import (
    EntryState,
    Journal,
    JournalEntry,
    state_from_json,
    state_to_json,
)
from teleprospect.store.database import Database, is_unreachable
from teleprospect.store.models import Call, Lead, LeadHistory, OfflineAction, User

__all__ = [
    "EntryOutcome",
    "ReplayReport",
    "apply_entry",
    "lead_state",
    "log_kept_call",
    "replay_journal",
]

log = logging.getLogger(__name__)

_HISTORY_CHANGES = {
    HistoryKind.STATUS: "status",
    HistoryKind.OWNER: "owner",
    HistoryKind.DO_NOT_CALL: "do_not_call",
}


@dataclass(frozen=True, slots=True)
class EntryOutcome:
    """What the server made of one entry."""

    client_action_id: str
    outcome: OfflineOutcome
    #: One sentence: the call's summary when applied, why not when held for review.
    text: str
    call_id: int | None = None
    #: The lead after the entry (applied only): the base of the next entry on it.
    result: LeadState | None = None


@dataclass
class ReplayReport:
    applied: list[EntryOutcome] = field(default_factory=list)
    review: list[EntryOutcome] = field(default_factory=list)
    #: Entries still waiting (the server went away again, or the rest of the run stopped).
    waiting: int = 0
    #: Why the run stopped early, in one sentence (empty: it did not).
    stopped: str = ""
    #: It stopped because the server cannot be reached (again).
    unreachable: bool = False

    @property
    def sent(self) -> int:
        return len(self.applied) + len(self.review)

    def describe(self) -> str:
        """One sentence for the status bar or the terminal."""
        if not self.sent and not self.waiting:
            return "Nothing was waiting to be sent."
        parts = []
        if self.applied:
            n = len(self.applied)
            parts.append(f"sent {n} call{'s' if n != 1 else ''} kept on this computer")
        if self.review:
            n = len(self.review)
            parts.append(f"{n} held for review (the lead changed meanwhile)")
        if self.waiting:
            parts.append(f"{self.waiting} still waiting")
        text = "; ".join(parts) or "nothing sent"
        return text[0].upper() + text[1:] + (f": {self.stopped}" if self.stopped else ".")


def lead_state(lead: Lead) -> LeadState:
    return LeadState(
        version=lead.version,
        status=LeadStatus(lead.status),
        owner_id=lead.owner_id,
        do_not_call=bool(lead.do_not_call),
    )


def _newest(*states: LeadState | None) -> LeadState | None:
    known = [state for state in states if state is not None]
    return max(known, key=lambda state: state.version) if known else None


# ----------------------------------------------------------------------------- replay


def replay_journal(db: Database, journal: Journal, *, now: datetime | None = None) -> ReplayReport:
    """Send every waiting entry of ``journal`` to ``db``, in order (see the module docstring).

    Returns what became of them; entries the server could not take stay waiting, and
    ``stopped`` says why. Safe to run again at any moment, also from two processes."""
    report = ReplayReport()
    waiting = journal.waiting()
    for number, entry in enumerate(waiting):
        # The newest state the lead is known in: the entry's own, or what an earlier entry
        # of this journal left it in (the rep's own changes are no conflict).
        base = _newest(entry.base, journal.result_before(entry.lead_id, entry.seq))
        try:
            try:
                outcome = apply_entry(db, entry, base=base, now=now)
            except IntegrityError:
                # Sent at the same moment by another process (the app and the command line):
                # its record is there now; read it.
                outcome = apply_entry(db, entry, base=base, now=now)
        except DBAPIError as error:
            report.waiting = len(waiting) - number
            if is_unreachable(error):
                report.unreachable = True
                report.stopped = "the server cannot be reached again."
            else:
                log.warning("sending a journal entry failed; tried again later", exc_info=error)
                report.stopped = f"the server refused it for now ({user_message(error)})"
            return report
        state = (
            EntryState.APPLIED if outcome.outcome is OfflineOutcome.APPLIED else EntryState.REVIEW
        )
        if outcome.outcome is OfflineOutcome.DISCARDED:
            state = EntryState.DISCARDED
        journal.settle(
            entry.client_action_id,
            state,
            reason="" if state is EntryState.APPLIED else outcome.text,
            result=outcome.result,
            call_id=outcome.call_id,
        )
        (report.applied if state is EntryState.APPLIED else report.review).append(outcome)
    return report


# ----------------------------------------------------------------------------- one entry


def apply_entry(
    db: Database,
    entry: JournalEntry,
    *,
    base: LeadState | None = None,
    now: datetime | None = None,
) -> EntryOutcome:
    """Apply one journal entry on the server, or hold it for review; exactly once, in one
    transaction (see the module docstring). ``base``: the lead as the rep knew it (default:
    the entry's own); ``now``: the server's time for live claims (default: now)."""
    with db.write() as session:
        now = decision_time(session, now)
        lead = session.get(Lead, entry.lead_id, with_for_update=True)
        known = session.get(OfflineAction, entry.client_action_id)
        if known is not None:
            return _outcome_of(session, known)
        earlier = session.scalar(
            select(Call).where(Call.client_action_id == entry.client_action_id)
        )
        if earlier is not None:
            # The call reached the server on the first try; only the answer was lost.
            result = lead_state(lead) if lead is not None else None
            _record(session, entry, lead, earlier.user_id, now, call_id=earlier.id, result=result)
            name = entry.lead_name or f"lead {entry.lead_id}"
            return EntryOutcome(
                entry.client_action_id,
                OfflineOutcome.APPLIED,
                f"The call with {name} was logged already.",
                earlier.id,
                result,
            )
        user_id = _user_id(session, entry)
        refusal = _refusal(session, entry, user_id, lead, base or entry.base, now)
        if refusal is not None:
            _record(session, entry, lead, user_id, now, review=refusal)
            return EntryOutcome(entry.client_action_id, OfflineOutcome.REVIEW, refusal)
        assert user_id is not None and lead is not None
        try:
            with session.begin_nested():
                logged = log_kept_call(
                    session,
                    payload=entry.payload,
                    lead_id=entry.lead_id,
                    user_id=user_id,
                    client_action_id=entry.client_action_id,
                    taken_at=entry.taken_at,
                )
        except (TeleprospectError, ValueError) as error:
            # The desk's rules say no now (a callback in a closed window, a decision the
            # lead's status no longer allows…): nothing of it is applied; a person decides.
            reason = f"Not applied: {user_message(error)}"
            _record(session, entry, lead, user_id, now, review=reason)
            return EntryOutcome(entry.client_action_id, OfflineOutcome.REVIEW, reason)
        result = lead_state(lead)
        _record(session, entry, lead, user_id, now, call_id=logged.call_id, result=result)
        return EntryOutcome(
            entry.client_action_id, OfflineOutcome.APPLIED, logged.summary, logged.call_id, result
        )


def log_kept_call(
    session: Session,
    *,
    payload: Mapping[str, Any],
    lead_id: int,
    user_id: int,
    client_action_id: str,
    taken_at: datetime,
    with_decision: bool = True,
) -> LoggedCall:
    """Log a call kept on a workstation (a journal entry's ``payload``) as its rep made it,
    at the time they made it: its retry rules and callback checks are those of then."""
    call = read_call(payload)
    script = (
        script_version_in_session(session, call.script_version_id)
        if call.script_version_id is not None
        else active_script_in_session(session)
    )
    return log_call_in_session(
        session,
        lead_id,
        user_id,
        disposition=call.disposition,
        call_id=call.call_id,
        duration_s=call.duration_s,
        notes=call.notes,
        answers=call.typed_answers(script.script),
        script_version_id=script.id,
        decision=call.decision if with_decision else None,
        client_action_id=client_action_id,
        now=taken_at,
    )


def _user_id(session: Session, entry: JournalEntry) -> int | None:
    if entry.user_id is not None:
        return entry.user_id
    login = entry.as_login or entry.login
    return session.scalar(select(User.id).where(User.login == login))


def _refusal(
    session: Session,
    entry: JournalEntry,
    user_id: int | None,
    lead: Lead | None,
    base: LeadState | None,
    now: datetime,
) -> str | None:
    """Why the entry cannot simply be applied now (None: it can)."""
    if user_id is None:
        login = entry.as_login or entry.login
        return f"There is no user with the login {login!r}."
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        who = user.name if user is not None else f"user #{user_id}"
        return f"The account of {who} is deactivated."
    current = lead_state(lead) if lead is not None else None
    holder = None
    if lead is not None and lead.claimed_by_id is not None:
        expires = lead.claim_expires_at
        holder = lead.claimed_by_id if expires is None or expires > now else None
    others: tuple[OtherChange, ...] = ()
    if lead is not None and (base is None or base.version != lead.version):
        others = _changes_by_others(session, lead.id, user_id, entry.seen_at)
    conflict = find_conflict(user_id, base, current, holder_id=holder, others=others)
    if conflict is None:
        return None
    return conflict.describe(_names(session, conflict))


def _changes_by_others(
    session: Session, lead_id: int, me: int, since: datetime
) -> tuple[OtherChange, ...]:
    """What other people changed on the lead since ``since``: status, owner and do-not-call
    (from its history) and the calls they made."""
    changes: list[OtherChange] = []
    rows = session.execute(
        select(LeadHistory.kind, LeadHistory.user_id, LeadHistory.at, LeadHistory.to_value).where(
            LeadHistory.lead_id == lead_id,
            LeadHistory.at > since,
            LeadHistory.kind.in_(list(_HISTORY_CHANGES)),
        )
    )
    for kind, user_id, at, to_value in rows:
        if user_id != me:
            changes.append(OtherChange(_HISTORY_CHANGES[kind], user_id, at, to_value))
    calls = session.execute(
        select(Call.user_id, Call.started_at).where(
            Call.lead_id == lead_id,
            Call.started_at > since,
            Call.user_id != me,
            Call.disposition.is_not(None),
        )
    )
    changes.extend(OtherChange("call", user_id, at) for user_id, at in calls)
    return tuple(changes)


def _names(session: Session, conflict: Conflict) -> dict[int, str]:
    wanted = {uid for uid in (conflict.by_user_id, conflict.owner_id) if uid is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


def _record(
    session: Session,
    entry: JournalEntry,
    lead: Lead | None,
    user_id: int | None,
    now: datetime,
    *,
    review: str = "",
    call_id: int | None = None,
    result: LeadState | None = None,
) -> OfflineAction:
    """Record on the server what became of the entry: applied (with its call and the lead's
    state after it) or, with ``review`` saying why, held for review."""
    payload = {**entry.payload, "lead_id": entry.lead_id, "lead_name": entry.lead_name}
    if result is not None:
        payload["result"] = json.loads(state_to_json(result) or "null")
    record = OfflineAction(
        client_action_id=entry.client_action_id,
        user_id=user_id,
        login=(entry.as_login or entry.login)[:64],
        lead_id=lead.id if lead is not None else None,
        kind=entry.kind,
        taken_at=entry.taken_at,
        received_at=now,
        based_on_version=entry.base.version if entry.base is not None else None,
        outcome=OfflineOutcome.REVIEW if review else OfflineOutcome.APPLIED,
        summary=entry.summary,
        reason=review,
        payload=payload,
        call_id=call_id,
    )
    session.add(record)
    session.flush()
    return record


def _outcome_of(session: Session, record: OfflineAction) -> EntryOutcome:
    """An entry the server had before: what it made of it then."""
    stored = record.payload.get("result") if record.outcome is OfflineOutcome.APPLIED else None
    result = state_from_json(json.dumps(stored)) if stored else None
    text = record.reason or record.summary
    return EntryOutcome(record.client_action_id, record.outcome, text, record.call_id, result)
