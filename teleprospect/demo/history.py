"""A past for the demo desk: engagement, decisions, script answers, nurture enrolments,
callbacks due today, do-not-call entries and the lead history that goes with them.

:class:`DemoHistory` takes each demo lead as :class:`~teleprospect.demo.leads.DemoLeadFactory`
made it (a row and its calls, not yet inserted) and gives the worked ones the outcome a
desk in use would have left: connected calls with typed answers to the shipped BANT
script, then sales-ready (the readiness rule met, or an exception), disqualified with a
reason, do-not-call, a callback (most of them due today) or an enrolment in the nurture
track the rules suggest, whose next call step is the lead's next action. Every status
change has its history row.

It draws from its own random stream (seeded from the demo seed), so the leads and calls
the factory makes are exactly those of a load without a past, and the same seed gives
the same past. Rows are collected per chunk and written with one multi-row INSERT per
table, like the leads.

What it gives each lead is what the lead is scored on besides its own data (its
engagement and known answers), so the loader scores it as the app scores any lead; the
attempts follow the retry rules (a call that reached the person counts none, a nurture
track starts a new round).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.orm import Session

from teleprospect.core.callback_slots import next_call_slot
from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition, HistoryKind
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.nurture import TouchKind, Track, next_call_step, step_due_at, suggest_tracks
from teleprospect.core.queue_policy import CallingHours, is_callable_now
from teleprospect.core.scripts import DisqualifyReason, ExceptionReason
from teleprospect.demo.engagement import DemoEngagement
from teleprospect.demo.leads import DemoCampaign, attempts_of
from teleprospect.demo.people import Weighted
from teleprospect.services.calls.scripts import active_script_in_session, seed_default_script
from teleprospect.services.nurture.tracks import seed_default_tracks, tracks_in_session
from teleprospect.services.scoring.scores import ActiveRules, rules_in_session, score_input
from teleprospect.store.models import (
    Call,
    CallAnswer,
    CallbackEntry,
    DoNotCallEntry,
    EngagementEvent,
    LeadAnswer,
    LeadHistory,
    NurtureEnrollment,
)

__all__ = ["DemoHistory", "LeadPast", "reserve_call_ids"]

#: What a lead is scored on besides its own columns: its engagement events (kind, when)
#: and its known answers (stored form).
LeadPast = tuple[list[tuple[Any, datetime]], dict[str, Any]]

#: Mixed into the demo seed for this module's own random stream.
_STREAM = 0x5EED_CA11
#: How far back a callback request still has its callback open.
RECENT_CALLBACKS = timedelta(days=7)
#: Open callbacks per rep, and for the whole team: a desk has a few dozen promises a day
#: whatever the size of its lead base (the queue reads due callbacks first, every time).
OPEN_CALLBACKS_PER_QUEUE = 20

# What becomes of a working lead whose last call reached the person.
# fmt: off
_CONNECTED_OUTCOME = Weighted(
    [("sales_ready", 30), ("disqualified", 30), ("do_not_call", 8), ("working", 32)]
)
_DISQUALIFY = Weighted(
    [(DisqualifyReason.NO_NEED, 25), (DisqualifyReason.NO_BUDGET, 20),
     (DisqualifyReason.NO_FIT, 15), (DisqualifyReason.NO_AUTHORITY, 10),
     (DisqualifyReason.COMPETITOR, 8), (DisqualifyReason.STUDENT, 7),
     (DisqualifyReason.DUPLICATE, 5), (DisqualifyReason.OTHER, 10)]
)
_DISQUALIFY_NOTES = {
    DisqualifyReason.OTHER: ("Retired at the end of the month.", "Company is being wound up.",
                             "Left the company; no successor named yet."),
    DisqualifyReason.COMPETITOR: ("Works for a reseller of a competing product.",),
    DisqualifyReason.DUPLICATE: ("Same person as an older lead from the webinar.",),
}
_EXCEPTIONS = Weighted(
    [(ExceptionReason.STRATEGIC_ACCOUNT, 40), (ExceptionReason.URGENT_REQUEST, 30),
     (ExceptionReason.COMPLEX_DEAL, 20), (ExceptionReason.EXISTING_RELATIONSHIP, 10)]
)
_SOLUTIONS = Weighted([("nothing", 25), ("spreadsheets", 35), ("in_house", 20), ("competitor", 20)])
_SOLUTION_NAMES = ("Excel and e-mail", "an in-house tool from 2014", "Salesforce add-on",
                   "HubSpot", "a local IT partner's solution", "SAP module")
_DECISION_NOTES = {
    "sales_ready": ("Ready for a demo with their team next week.",
                    "Budget approved, wants an offer this month.",
                    "Decision maker, clear need, asked for a salesperson."),
    "nurture": ("Interested, but not before next year.", "Keep warm: budget cycle in autumn.",
                "Early research; send material and follow up.", ""),
    "do_not_call": ("Asked firmly not to be called again.",),
}
# fmt: on


def reserve_call_ids(connection: Connection, count: int, is_sqlite: bool) -> list[int]:
    """Ids for the next ``count`` calls, known before insert so answers can point at them
    (see :func:`teleprospect.demo.loader._reserve_lead_ids`: the same guarantees)."""
    if count == 0:
        return []
    if is_sqlite:
        last = connection.scalar(select(func.coalesce(func.max(Call.id), 0))) or 0
        return list(range(last + 1, last + 1 + count))
    reserved = connection.scalars(
        text("SELECT nextval(pg_get_serial_sequence('call', 'id')) FROM generate_series(1, :n)"),
        {"n": count},
    )
    return sorted(reserved)


@dataclass
class _Rows:
    """What one chunk adds besides its leads and calls."""

    call_answers: list[tuple[dict[str, Any], str, Any]] = field(default_factory=list)
    lead_answers: list[dict[str, Any]] = field(default_factory=list)
    answer_calls: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    enrollments: list[dict[str, Any]] = field(default_factory=list)
    do_not_call: list[dict[str, Any]] = field(default_factory=list)
    engagement: list[dict[str, Any]] = field(default_factory=list)


class DemoHistory:
    """Gives demo leads a past, chunk by chunk, in the load's transaction."""

    def __init__(
        self,
        *,
        seed: int,
        now: datetime,
        script_version_id: int,
        tracks: Sequence[tuple[int, Track]],
        rules: ActiveRules,
        campaigns: dict[int, DemoCampaign] | None = None,
        known_dnc: tuple[set[str], set[str]] = (set(), set()),
    ) -> None:
        self.rng = random.Random(seed ^ _STREAM)
        self.engagement = DemoEngagement(seed=seed, now=now, campaigns=campaigns or {})
        self.now = now
        self.script_version_id = script_version_id
        self.tracks = [track for _, track in tracks]
        self.track_ids = {track.key: track_id for track_id, track in tracks}
        self.dnc_phones, self.dnc_emails = known_dnc
        self.rows = _Rows()
        self.hours = CallingHours()
        self.score_of = rules.compiled.score_total_only
        self.threshold = rules.rules.thresholds.sales_ready
        #: Callbacks asked for since then are open (most due today); older requests stay
        #: in the backlog, as on a desk that keeps its promises.
        self.recent = now - RECENT_CALLBACKS
        #: Open callbacks so far by owner (None: the team's).
        self.promised: dict[int | None, int] = {}
        # Titles and industries repeat across a lead base: one suggestion per combination.
        self._suggested: dict[tuple[str, str, str | None], Track] = {}
        # The past of the lead being made: its events, and the answers it gave.
        self._events: list[tuple[Any, datetime]] = []
        self._known: dict[str, Any] = {}

    @classmethod
    def for_load(
        cls,
        session: Session,
        *,
        seed: int,
        now: datetime,
        campaigns: dict[int, DemoCampaign] | None = None,
    ) -> DemoHistory:
        """Stores the shipped script and tracks when missing, in the load's transaction."""
        seed_default_script(session, now=now)
        seed_default_tracks(session, now=now)
        listed = session.execute(select(DoNotCallEntry.phone_e164, DoNotCallEntry.email)).all()
        phones = {phone for phone, _ in listed if phone}
        emails = {email for _, email in listed if email}
        return cls(
            seed=seed,
            now=now,
            script_version_id=active_script_in_session(session).id,
            tracks=tracks_in_session(session),
            rules=rules_in_session(session),
            campaigns=campaigns,
            known_dnc=(phones, emails),
        )

    # -- one lead

    def add(self, row: dict[str, Any], calls: list[dict[str, Any]]) -> LeadPast:
        """Complete ``row`` (a lead with its ``id``) and its ``calls`` with what happened;
        returns what the lead is scored on besides its columns (see :data:`LeadPast`)."""
        events = self.engagement.events(row)
        self.rows.engagement.extend(events)
        self._events = [(event["kind"], event["occurred_at"]) for event in events]
        self._known = {}
        self._add_calls(row, calls)
        if row["status"] is not LeadStatus.NURTURE:
            # The last call's outcome may have changed (not interested, do not call).
            row["attempts"] = attempts_of(calls)
        return self._events, self._known

    def _add_calls(self, row: dict[str, Any], calls: list[dict[str, Any]]) -> None:
        number = row["phone_e164"] or row["phone_raw"] or ""
        for call in calls:
            call["duration_s"] = int((call["ended_at"] - call["started_at"]).total_seconds())
            call["dialed_number"] = number[:64]
            reached = call["disposition"] in (
                Disposition.CONNECTED,
                Disposition.CALLBACK_REQUESTED,
            )
            call["script_version_id"] = self.script_version_id if reached else None
            call["decision_kind"] = None
            call["decision_reason"] = ""
        if not calls:
            return
        status = row["status"]
        first, last = calls[0], calls[-1]
        user_id = last["user_id"]
        self._history(row["id"], user_id, first["started_at"], "new", "working", "first call")
        outcome = last["disposition"]
        if status is LeadStatus.NURTURE:
            self._nurture(row, calls, user_id)
        elif outcome is Disposition.CONNECTED:
            self._connected(row, calls, user_id)
        elif outcome is Disposition.CALLBACK_REQUESTED and last["ended_at"] >= self.recent:
            owner = user_id if self.rng.random() < 0.75 else None
            if self.promised.get(owner, 0) < OPEN_CALLBACKS_PER_QUEUE:
                self.promised[owner] = self.promised.get(owner, 0) + 1
                if self.rng.random() < 0.5:
                    self._answers(row, last, user_id, self.rng.randint(1, 3), "working")
                self._callback(row, last, user_id, owner)

    def _history(
        self,
        lead_id: int,
        user_id: int | None,
        at: datetime,
        old: str | None,
        new: str | None,
        reason: str,
        kind: HistoryKind = HistoryKind.STATUS,
    ) -> None:
        self.rows.history.append(
            {
                "lead_id": lead_id,
                "user_id": user_id,
                "at": at,
                "kind": kind,
                "from_value": old,
                "to_value": new,
                "reason": reason,
            }
        )

    def _answers(
        self,
        row: dict[str, Any],
        call: dict[str, Any],
        user_id: int,
        how_many: int,
        outcome: str,
        reason: DisqualifyReason | None = None,
    ) -> dict[str, Any]:
        """Typed answers (storage form) given on ``call``, as the outcome makes likely."""
        rng = self.rng
        if outcome == "sales_ready":
            answers: dict[str, Any] = {
                "need": True,
                "timeline": "this_quarter" if rng.random() < 0.6 else "this_year",
                "budget": True,
                "budget_amount": float(rng.choice((15, 20, 25, 40, 50, 60, 80, 120)) * 1000),
                "authority": "decision_maker" if rng.random() < 0.65 else "influencer",
            }
        else:
            need = rng.random() < (0.3 if reason is DisqualifyReason.NO_NEED else 0.7)
            budget = rng.random() < (0.05 if reason is DisqualifyReason.NO_BUDGET else 0.45)
            answers = {
                "need": need if reason is not DisqualifyReason.NO_NEED else False,
                "timeline": rng.choice(("this_year", "later", "later", "none")),
                "budget": budget,
                "authority": (
                    rng.choice(("user", "none"))
                    if reason is DisqualifyReason.NO_AUTHORITY
                    else rng.choice(("decision_maker", "influencer", "influencer", "user"))
                ),
            }
            if budget:
                answers["budget_amount"] = float(rng.choice((5, 8, 10, 15, 30)) * 1000)
            keys = list(answers)
            answers = {k: answers[k] for k in keys[: max(1, min(how_many, len(keys)))]}
            if "budget" not in answers:
                answers.pop("budget_amount", None)
        if how_many > 4:
            solution = _SOLUTIONS.pick(rng)
            answers["current_solution"] = solution
            if solution in ("in_house", "competitor"):
                answers["current_solution_name"] = rng.choice(_SOLUTION_NAMES)
            answers["contact_now"] = outcome == "sales_ready" and rng.random() < 0.8
            answers["mailing_list"] = rng.random() < 0.55
        self._known.update(answers)
        for qid, value in answers.items():
            self.rows.call_answers.append((call, qid, value))
            self.rows.lead_answers.append(
                {
                    "lead_id": row["id"],
                    "question_id": qid,
                    "value": value,
                    "call": call,
                    "answered_at": call["ended_at"],
                    "answered_by_id": user_id,
                }
            )
        return answers

    def _decide(self, call: dict[str, Any], kind: DecisionKind, reason: str = "") -> None:
        call["decision_kind"] = kind
        call["decision_reason"] = reason

    def _close(self, row: dict[str, Any], at: datetime) -> None:
        row["next_action_at"] = None
        row["updated_at"] = at

    def _connected(self, row: dict[str, Any], calls: list[dict[str, Any]], user_id: int) -> None:
        rng, last = self.rng, calls[-1]
        at, lead_id = last["ended_at"], row["id"]
        outcome = _CONNECTED_OUTCOME.pick(rng)
        if outcome == "sales_ready":
            answers = self._answers(row, last, user_id, 9, outcome)
            # The readiness rule: the answers meet their bars; the score (by the rules in
            # force, with these answers) must reach the threshold too. Below it, some reps
            # send the lead as an exception, the others keep working it.
            score = self._score(row, answers)
            note = rng.choice(_DECISION_NOTES["sales_ready"])
            exception = rng.random() < 0.45
            if score >= self.threshold:
                self._decide(last, DecisionKind.SALES_READY)
                why = f"readiness rule met (score {score} of at least {self.threshold}) — {note}"
            elif exception:
                code = _EXCEPTIONS.pick(rng)
                self._decide(last, DecisionKind.EXCEPTION, code.value)
                why = f"exception, best handled by a salesperson: {code.label} — {note}"
            else:
                return
            row["status"] = LeadStatus.SALES_READY
            self._history(lead_id, user_id, at, "working", "sales_ready", why)
            self._close(row, at)
        elif outcome == "disqualified":
            reason = _DISQUALIFY.pick(rng)
            self._answers(row, last, user_id, rng.randint(1, 4), outcome, reason)
            if rng.random() < 0.4:
                last["disposition"] = Disposition.NOT_INTERESTED
            note = rng.choice(_DISQUALIFY_NOTES.get(reason, ("",)))
            self._decide(last, DecisionKind.DISQUALIFY, reason.value)
            why = reason.label + (f" — {note}" if note else "")
            row["status"] = LeadStatus.DISQUALIFIED
            self._history(lead_id, user_id, at, "working", "disqualified", why)
            self._close(row, at)
        elif outcome == "do_not_call":
            last["disposition"] = Disposition.DO_NOT_CALL
            self._decide(last, DecisionKind.DO_NOT_CALL)
            self._suppress(row, user_id, at)
            self._close(row, at)
        else:
            self._answers(row, last, user_id, rng.randint(2, 5), outcome)

    def _suppress(self, row: dict[str, Any], user_id: int, at: datetime) -> None:
        why = _DECISION_NOTES["do_not_call"][0]
        row["do_not_call"] = True
        phone, email = row["phone_e164"], row["email"]
        if phone and phone not in self.dnc_phones:
            self.dnc_phones.add(phone)
            self.rows.do_not_call.append(self._dnc(phone, None, user_id, at, why))
        if email and email not in self.dnc_emails:
            self.dnc_emails.add(email)
            self.rows.do_not_call.append(self._dnc(None, email, user_id, at, why))
        self._history(row["id"], user_id, at, "no", "yes", why, HistoryKind.DO_NOT_CALL)

    @staticmethod
    def _dnc(
        phone: str | None, email: str | None, user_id: int, at: datetime, why: str
    ) -> dict[str, Any]:
        return {
            "phone_e164": phone,
            "email": email,
            "reason": why,
            "added_by_id": user_id,
            "added_at": at,
        }

    def _callback(
        self, row: dict[str, Any], last: dict[str, Any], user_id: int, owner: int | None
    ) -> None:
        rng, now = self.rng, self.now
        if rng.random() < 0.7:
            # Due today: some already waiting, some later on.
            due = now + timedelta(minutes=5 * rng.randint(-40, 70))
        else:
            due = now + timedelta(days=rng.randint(1, 4), minutes=5 * rng.randint(-30, 30))
        due = max(due, last["ended_at"] + timedelta(hours=1))
        due = due.replace(minute=due.minute - due.minute % 5, second=0)
        zones = row["call_zones"].split()
        at_request = False
        if zones:
            window = is_callable_now(zones, due, self.hours)
            if not window.ok:
                legal = is_callable_now(zones, due, CallingHours.legal_limit())
                if legal.ok:
                    at_request = True  # the lead chose an evening or a Saturday
                elif window.next_opening_utc is not None:
                    due = window.next_opening_utc + timedelta(minutes=5 * rng.randint(0, 36))
        personal = owner is not None
        self.rows.callbacks.append(
            {
                "lead_id": row["id"],
                "due_at": due,
                "owner_id": owner,
                "note": last["notes"],
                "at_lead_request": at_request,
                "created_by_id": user_id,
                "created_at": last["ended_at"],
                "done_at": None,
            }
        )
        who = "personal" if personal else "team"
        asked = ", at the lead's request" if at_request else ""
        self._decide(last, DecisionKind.CALLBACK, who)
        self._history(
            row["id"],
            user_id,
            last["ended_at"],
            None,
            due.isoformat(timespec="minutes"),
            f"{who} callback{asked}",
            HistoryKind.CALLBACK,
        )
        row["next_action_at"] = due

    def _nurture(self, row: dict[str, Any], calls: list[dict[str, Any]], user_id: int) -> None:
        rng, last = self.rng, calls[-1]
        at, lead_id = last["ended_at"], row["id"]
        role = None
        if last["disposition"] is Disposition.CONNECTED:
            answers = self._answers(row, last, user_id, rng.randint(2, 4), "nurture")
            role = answers.get("authority")
            why = rng.choice(_DECISION_NOTES["nurture"])
        else:
            why = "attempts made without reaching them"
        key = (row["industry"], row["title"], role)
        track = self._suggested.get(key)
        if track is None:
            track = self._suggested[key] = suggest_tracks(
                self.tracks, industry=row["industry"], title=row["title"], buying_role=role
            )[0]
        self._decide(last, DecisionKind.NURTURE, track.key)
        reason = f"back to nurture: {track.name}" + (f" — {why}" if why else "")
        self._history(lead_id, user_id, at, "working", "nurture", reason)
        self._history(
            lead_id,
            user_id,
            at,
            None,
            track.key,
            f"enrolled in {track.name}",
            HistoryKind.NURTURE,
        )
        # Day 0 is the call that decided it; the next call step is the lead's next action.
        found = next_call_step(track, 0 if track.steps[0].kind is TouchKind.CALL else -1, at)
        index = len(track.steps)
        for i in range(len(track.steps)):
            due = step_due_at(track, i, at)
            if due > self.now or (found is not None and i == found[0]):
                index = i
                break
        self.rows.enrollments.append(
            {
                "lead_id": lead_id,
                "track_id": self.track_ids[track.key],
                "enrolled_at": at,
                "enrolled_by_id": user_id,
                "starts_at": at,
                "step_index": index,
                "next_touch_at": step_due_at(track, index, at)
                if index < len(track.steps)
                else None,
                "ended_at": None,
                "end_reason": "",
            }
        )
        # A call step falls due on a business day in the lead's hours, as the desk's do.
        row["next_action_at"] = (
            next_call_slot(row["call_zones"].split(), found[1], self.hours) or found[1]
            if found is not None
            else None
        )
        row["attempts"] = 0  # a nurture call step starts a new round of tries
        row["updated_at"] = at

    def _score(self, row: dict[str, Any], answers: dict[str, Any]) -> int:
        """The lead's score by the rules in force, with its engagement and these answers:
        what the loader will store for it."""
        return self.score_of(score_input(row, self._events, answers), self.now)

    # -- one chunk

    def flush(
        self,
        connection: Connection,
        *,
        keep_do_not_call: bool = False,
        staged_write_id: int | None = None,
    ) -> list[dict[str, Any]]:
        """Insert what the chunk's leads collected (their calls are inserted, with ids).
        ``keep_do_not_call``: return the do-not-call entries instead, for the caller to
        list when the leads appear. ``staged_write_id``: the long write the leads are
        hidden by, their engagement events hidden with them."""
        rows, self.rows = self.rows, _Rows()
        if staged_write_id is not None:
            for event in rows.engagement:
                event["staged_write_id"] = staged_write_id
        if rows.call_answers:
            connection.execute(
                insert(cast(Table, CallAnswer.__table__)),
                [
                    {"call_id": call["id"], "question_id": qid, "value": value}
                    for call, qid, value in rows.call_answers
                ],
            )
        if rows.lead_answers:
            for answer in rows.lead_answers:
                answer["call_id"] = answer.pop("call")["id"]
            connection.execute(insert(cast(Table, LeadAnswer.__table__)), rows.lead_answers)
        for model, values in (
            (EngagementEvent, rows.engagement),
            (LeadHistory, rows.history),
            (CallbackEntry, rows.callbacks),
            (NurtureEnrollment, rows.enrollments),
            (DoNotCallEntry, [] if keep_do_not_call else rows.do_not_call),
        ):
            if values:
                connection.execute(insert(cast(Table, model.__table__)), values)
        return rows.do_not_call if keep_do_not_call else []
