"""Everything the lead panel shows about one lead, and editing its contact fields.

:func:`lead_detail` reads one lead with its campaign, engagement, calls and their
answers, history, score breakdown, duplicates, nurture enrolment and open callbacks, all
by index on the lead's id. :func:`update_contact` changes contact fields with optimistic
concurrency: when someone else saved the lead since it was read, :class:`LeadChanged`
carries their values so the user can choose; nothing is ever overwritten silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from teleprospect.core.dedupe_keys import match_key, person_key
from teleprospect.core.domain import Disposition, EngagementKind, HistoryKind
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.normalise import clean_text, normalise_email
from teleprospect.core.nurture import Track
from teleprospect.core.phones import parse_phone
from teleprospect.core.queue_policy import is_callable_now
from teleprospect.core.scripts import AnswerError, AnswerValue, Script, answer_text, from_json
from teleprospect.core.zone_names import current_zone_names
from teleprospect.services.calls.scripts import active_script_in_session
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import LeadNotFound, UnknownUser
from teleprospect.services.leads.merge import merged_into
from teleprospect.services.nurture.schedule import live_touches, step_due
from teleprospect.services.nurture.tracks import next_call_at, open_enrolment
from teleprospect.services.scoring.scores import rescore_lead, rules_in_session, stored_breakdown
from teleprospect.services.settings.team_settings import load_queue_settings
from teleprospect.store.database import Database
from teleprospect.store.models import (
    Call,
    CallAnswer,
    CallbackEntry,
    Campaign,
    DoNotCallEntry,
    EngagementEvent,
    Lead,
    LeadAnswer,
    LeadHistory,
    LeadPhone,
    PublishedScript,
    User,
)
from teleprospect.store.types import utcnow

__all__ = [
    "EDITABLE_FIELDS",
    "CallSummary",
    "EnrollmentSummary",
    "LeadChanged",
    "LeadDetail",
    "lead_detail",
    "update_contact",
]

EDITABLE_FIELDS = ("first_name", "last_name", "title", "company", "email", "phone_raw", "industry")
_FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "title": "Title",
    "company": "Company",
    "email": "Email",
    "phone_raw": "Phone",
    "industry": "Industry",
}
_DEFAULT_REGION = "US"


@dataclass(frozen=True)
class CallSummary:
    id: int
    at: datetime
    user_name: str
    #: "No answer"; "In progress" while the call has no outcome yet.
    disposition_label: str
    duration_s: int | None
    notes: str
    #: "Budget: Yes", "Authority: Decision maker", … as given on this call.
    answers_text: list[str]
    #: The version number of the script asked from (None: no script used).
    script_version: int | None
    #: "Back to nurture (twelve-touch)", "" without a decision.
    decision_text: str = ""
    dialed_number: str = ""


@dataclass(frozen=True)
class EnrollmentSummary:
    track_key: str
    track_name: str
    enrolled_at: datetime
    enrolled_by_name: str | None
    #: The next step to be made (0-based) and the track's length.
    step_index: int
    steps_total: int
    next_touch_at: datetime | None
    next_touch_title: str | None
    #: When the next call step brings the lead back to a queue (None: no call left).
    next_call_at: datetime | None

    @property
    def text(self) -> str:
        parts = [self.track_name]
        if self.next_touch_title and self.next_touch_at is not None:
            parts.append(
                f"step {self.step_index + 1} of {self.steps_total} next:"
                f" {self.next_touch_title} ({self.next_touch_at:%d %b %Y})"
            )
        else:
            parts.append(f"all {self.steps_total} steps made")
        if self.next_call_at is not None:
            parts.append(f"next call {self.next_call_at:%d %b %Y}")
        else:
            parts.append("no call step left")
        return " · ".join(parts)


@dataclass(frozen=True)
class LeadDetail:
    id: int
    version: int
    first_name: str
    last_name: str
    title: str
    company: str
    email: str | None
    phone_e164: str | None
    phone_raw: str
    phone_extension: str | None
    phone_valid: bool
    phone_type: str | None
    #: (label, E.164 or as written) of every number the lead has.
    phones: list[tuple[str, str]]
    industry: str
    company_size: int | None
    country: str | None
    status: LeadStatus
    owner_name: str | None
    #: Who holds a live claim on the lead (None: nobody).
    claimed_by_name: str | None
    claim_expires_at: datetime | None
    do_not_call: bool
    campaign_name: str | None
    #: The campaign's channel as people read it ("Webinar"); "" without a campaign.
    campaign_channel: str
    campaign_offer: str
    lead_source: str
    #: "Wed 10:12 America/Chicago", a range across several zones, or "unknown".
    local_time_text: str
    inside_window: bool
    #: Why the lead is (not) inside the calling window, and when it opens.
    window_text: str
    #: The stored score (every screen shows this one) and its grade by the rules in force.
    score: int
    grade: str
    grade_label: str
    #: "+15 VP-level title", … adding up to ``score`` (as of ``scored_at``).
    breakdown_lines: list[str]
    sales_ready_threshold: int
    #: (when, what, detail), oldest first.
    engagement: list[tuple[datetime, str, str]]
    #: Every call, oldest first.
    calls: list[CallSummary]
    #: (when, who, what), oldest first; who is None for changes the system made.
    history: list[tuple[datetime, str | None, str]]
    #: The known answers by question id (typed by the script in use).
    answers: dict[str, AnswerValue]
    #: (lead id, name, company, why) both ways.
    possible_duplicates: list[tuple[int, str, str, str]]
    enrollment: EnrollmentSummary | None
    #: (callback id, due at, personal, owner name, note), soonest first.
    open_callbacks: list[tuple[int, datetime, bool, str | None, str]]
    next_action_at: datetime | None = None
    attempts: int = 0
    #: The lead's calling time zones (IANA names): callbacks are shown in them.
    time_zones: tuple[str, ...] = ()
    owner_id: int | None = None
    #: When the score was stored (engagement in it is aged to that day).
    scored_at: datetime | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# ----------------------------------------------------------------------------- reading


def _local_time_text(zones: list[str], now: datetime) -> str:
    if not zones:
        return "unknown (no valid number or country)"
    times = sorted(
        {now.astimezone(ZoneInfo(name)).replace(second=0, microsecond=0) for name in zones},
        key=lambda t: t.replace(tzinfo=None),
    )
    if len(zones) == 1:
        return f"{times[0]:%a %H:%M} {zones[0]}"
    first, last = times[0], times[-1]
    if first.replace(tzinfo=None) == last.replace(tzinfo=None):
        return f"{first:%a %H:%M} in all {len(zones)} of its time zones"
    return f"{first:%a %H:%M}–{last:%H:%M} across {len(zones)} time zones"


def _window(zones: list[str], now: datetime, session: Session) -> tuple[bool, str]:
    hours = load_queue_settings(session).hours
    check = is_callable_now(zones, now, hours)
    text = f"{check.reason}; calling hours {hours.describe()} the lead's time"
    if not check.ok and check.next_opening_utc is not None:
        opening = check.next_opening_utc
        if len(zones) == 1:
            text += f"; opens {opening.astimezone(ZoneInfo(zones[0])):%a %H:%M} local"
        else:
            text += f"; opens {opening:%a %H:%M} UTC"
    return check.ok, text


def _status_label(value: str | None) -> str:
    try:
        return LeadStatus(value or "").label
    except ValueError:
        return value or "?"


def _history_text(kind: HistoryKind, old: str | None, new: str | None, reason: str) -> str:
    why = f": {reason}" if reason else ""
    if kind is HistoryKind.STATUS:
        return f"{_status_label(old)} → {_status_label(new)}{why}"
    if kind is HistoryKind.DO_NOT_CALL:
        return f"put on the do-not-call list{why}" if new == "yes" else f"do-not-call {new}{why}"
    if kind is HistoryKind.NURTURE:
        return reason or (f"nurture track {old} → {new}" if new else f"left the track {old}")
    if kind is HistoryKind.CALLBACK:
        return f"callback for {new}{why}" if new else f"callback{why}"
    if kind is HistoryKind.CONTACT:
        return f"{reason or 'contact'} changed from “{old or ''}” to “{new or ''}”"
    if kind is HistoryKind.IMPORT:
        # "Email, by import #12 (leads.csv)": the field, then the import.
        return f"{reason or 'import'}: “{old or ''}” → “{new or ''}”"
    if kind is HistoryKind.MERGE:
        return reason or f"lead #{old} merged into lead #{new}"
    label = kind.value.replace("_", " ")
    return f"{label}: {old or '—'} → {new or '—'}{why}"


def _scripts_by_id(session: Session, ids: set[int]) -> dict[int, tuple[int, Script]]:
    found: dict[int, tuple[int, Script]] = {}
    if not ids:
        return found
    for row in session.execute(
        select(PublishedScript.id, PublishedScript.version, PublishedScript.definition).where(
            PublishedScript.id.in_(ids)
        )
    ):
        try:
            found[row.id] = (row.version, Script.from_dict(row.definition))
        except ValueError:
            continue
    return found


def _answer_line(script: Script | None, qid: str, raw: Any) -> str:
    if script is not None and script.has_question(qid):
        question = script.question(qid)
        try:
            return f"{question.title}: {answer_text(question, from_json(question, raw))}"
        except AnswerError:
            pass
    return f"{qid}: {raw}"


def _calls(session: Session, lead_id: int) -> list[CallSummary]:
    rows = session.execute(
        select(Call, User.name)
        .join(User, User.id == Call.user_id)
        .where(Call.lead_id == lead_id)
        .order_by(Call.started_at, Call.id)
    ).all()
    ids = [call.id for call, _ in rows]
    answers: dict[int, list[tuple[str, Any]]] = {}
    if ids:
        for call_id, qid, value in session.execute(
            select(CallAnswer.call_id, CallAnswer.question_id, CallAnswer.value)
            .where(CallAnswer.call_id.in_(ids))
            .order_by(CallAnswer.id)
        ):
            answers.setdefault(call_id, []).append((qid, value))
    scripts = _scripts_by_id(
        session, {call.script_version_id for call, _ in rows if call.script_version_id}
    )
    summaries = []
    for call, user_name in rows:
        version, script = scripts.get(call.script_version_id or -1, (None, None))
        given = answers.get(call.id, [])
        if script is not None:
            order = {q.id: i for i, q in enumerate(script.questions)}
            given.sort(key=lambda item: order.get(item[0], len(order)))
        decision = ""
        if call.decision_kind is not None:
            decision = call.decision_kind.label
            if call.decision_reason:
                decision += f" ({call.decision_reason.replace('_', ' ')})"
        summaries.append(
            CallSummary(
                id=call.id,
                at=call.started_at,
                user_name=user_name,
                disposition_label=(
                    Disposition(call.disposition).label if call.disposition else "In progress"
                ),
                duration_s=call.duration_s,
                notes=call.notes,
                answers_text=[_answer_line(script, qid, raw) for qid, raw in given],
                script_version=version,
                decision_text=decision,
                dialed_number=call.dialed_number,
            )
        )
    return summaries


def _duplicates(session: Session, lead: Lead) -> list[tuple[int, str, str, str]]:
    """Leads an import found alike to this one, both ways; two index look-ups."""
    columns = (Lead.id, Lead.first_name, Lead.last_name, Lead.company)
    found = []
    if lead.possible_duplicate_of_id is not None:
        for row in session.execute(
            select(*columns).where(Lead.id == lead.possible_duplicate_of_id)
        ):
            found.append((row, "this lead was imported as a possible duplicate of it"))
    for row in session.execute(
        select(*columns).where(Lead.possible_duplicate_of_id == lead.id).order_by(Lead.id)
    ):
        found.append((row, "imported later as a possible duplicate of this lead"))
    return [
        (row.id, f"{row.first_name} {row.last_name}".strip(), row.company, why)
        for row, why in found
    ]


def _enrollment(session: Session, lead: Lead) -> EnrollmentSummary | None:
    current = open_enrolment(session, lead.id)
    if current is None:
        return None
    track = Track.from_dict(current.track.definition)
    live = [t for t in live_touches(session, current.id) if t.state == "open"]
    if live:
        index, title, due = live[0].step_index, live[0].title, live[0].due_at
    elif current.step_index < len(track.steps):
        index, title = current.step_index, track.steps[current.step_index].title
        due = step_due(session, current, lead, index)
    else:
        index, title, due = len(track.steps), None, None
    return EnrollmentSummary(
        track_key=track.key,
        track_name=track.name,
        enrolled_at=current.enrolled_at,
        enrolled_by_name=current.enrolled_by.name if current.enrolled_by else None,
        step_index=index,
        steps_total=len(track.steps),
        next_touch_at=due,
        next_touch_title=title,
        next_call_at=next_call_at(session, lead),
    )


def lead_detail(db: Database, lead_id: int, *, now: datetime | None = None) -> LeadDetail:
    """Everything the lead panel shows, read in one transaction. ``now``: None is the
    database's clock (whether someone's claim is still live); a time given fixes it."""
    with db.read() as session:
        return lead_detail_in_session(session, lead_id, decision_time(session, now))


def lead_detail_in_session(session: Session, lead_id: int, now: datetime) -> LeadDetail:
    """:func:`lead_detail` in the caller's transaction."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise LeadNotFound(lead_id, merged_into=merged_into(session, lead_id))
    campaign = session.get(Campaign, lead.campaign_id) if lead.campaign_id else None
    names: dict[int | None, str] = dict(session.execute(select(User.id, User.name)).all())
    # Shown as the time-zone database spells them today (stored ones may be older).
    zones = list(current_zone_names(lead.call_zones.split()))
    inside, window_text = _window(zones, now, session)
    rules = rules_in_session(session)
    breakdown = stored_breakdown(session, lead, rules)
    grade = rules.grade_of(lead.score)
    phones = [
        (row.label or "phone", row.e164 or row.raw)
        for row in session.scalars(
            select(LeadPhone).where(LeadPhone.lead_id == lead.id).order_by(LeadPhone.position)
        )
        if row.e164 or row.raw
    ]
    if not phones and (lead.phone_e164 or lead.phone_raw):
        phones = [("phone", lead.phone_e164 or lead.phone_raw)]
    engagement = [
        (at, EngagementKind(kind).label, detail)
        for kind, at, detail in session.execute(
            select(EngagementEvent.kind, EngagementEvent.occurred_at, EngagementEvent.detail)
            .where(EngagementEvent.lead_id == lead.id)
            .order_by(EngagementEvent.occurred_at, EngagementEvent.id)
        )
    ]
    history = [
        (
            row.at,
            names.get(row.user_id),
            _history_text(row.kind, row.from_value, row.to_value, row.reason),
        )
        for row in session.scalars(
            select(LeadHistory)
            .where(LeadHistory.lead_id == lead.id)
            .order_by(LeadHistory.at, LeadHistory.id)
        )
    ]
    script = active_script_in_session(session).script
    answers: dict[str, AnswerValue] = {}
    for qid, raw in session.execute(
        select(LeadAnswer.question_id, LeadAnswer.value)
        .where(LeadAnswer.lead_id == lead.id)
        .order_by(LeadAnswer.id)
    ):
        if script.has_question(qid):
            try:
                answers[qid] = from_json(script.question(qid), raw)
                continue
            except AnswerError:
                pass
        # An answer the script no longer asks: shown as stored (JSON: text, number, list).
        answers[qid] = cast(AnswerValue, raw)
    callbacks = [
        (row.id, row.due_at, row.owner_id is not None, names.get(row.owner_id), row.note)
        for row in session.scalars(
            select(CallbackEntry)
            .where(CallbackEntry.lead_id == lead.id, CallbackEntry.done_at.is_(None))
            .order_by(CallbackEntry.due_at)
        )
    ]
    live_claim = lead.claimed_by_id is not None and (
        lead.claim_expires_at is None or lead.claim_expires_at > now
    )
    return LeadDetail(
        id=lead.id,
        version=lead.version,
        first_name=lead.first_name,
        last_name=lead.last_name,
        title=lead.title,
        company=lead.company,
        email=lead.email,
        phone_e164=lead.phone_e164,
        phone_raw=lead.phone_raw,
        phone_extension=lead.phone_extension,
        phone_valid=bool(lead.phone_valid),
        phone_type=lead.phone_type,
        phones=phones,
        industry=lead.industry,
        company_size=lead.company_size,
        country=lead.country,
        status=LeadStatus(lead.status),
        owner_name=names.get(lead.owner_id),
        owner_id=lead.owner_id,
        claimed_by_name=names.get(lead.claimed_by_id) if live_claim else None,
        claim_expires_at=lead.claim_expires_at if live_claim else None,
        do_not_call=bool(lead.do_not_call),
        campaign_name=campaign.name if campaign else None,
        campaign_channel=campaign.channel.label if campaign else "",
        campaign_offer=campaign.offer if campaign else "",
        lead_source=lead.lead_source,
        local_time_text=_local_time_text(zones, now),
        inside_window=inside,
        window_text=window_text,
        score=lead.score,
        grade=grade.grade,
        grade_label=grade.label,
        breakdown_lines=[line.text for line in breakdown.lines],
        sales_ready_threshold=rules.rules.thresholds.sales_ready,
        engagement=engagement,
        calls=_calls(session, lead.id),
        history=history,
        answers=answers,
        possible_duplicates=_duplicates(session, lead),
        enrollment=_enrollment(session, lead),
        open_callbacks=callbacks,
        next_action_at=lead.next_action_at,
        attempts=lead.attempts,
        time_zones=tuple(zones),
        scored_at=lead.scored_at,
    )


# ----------------------------------------------------------------------------- editing


class LeadChanged(Exception):
    """Someone saved the lead since it was read; nothing was written.

    ``theirs``: the stored values of the editable fields; ``version``: the stored version
    (pass it as ``expected_version`` to save over theirs); ``changed_by``: who saved last
    ("" when unknown).
    """

    def __init__(self, theirs: dict[str, str], version: int, changed_by: str) -> None:
        who = changed_by or "Someone else"
        super().__init__(f"{who} changed this lead meanwhile (it is now at version {version}).")
        self.theirs = theirs
        self.version = version
        self.changed_by = changed_by


def _stored_values(lead: Lead) -> dict[str, str]:
    return {name: getattr(lead, name) or "" for name in EDITABLE_FIELDS}


def _last_editor(session: Session, lead_id: int) -> str:
    name = session.scalar(
        select(User.name)
        .join(LeadHistory, LeadHistory.user_id == User.id)
        .where(LeadHistory.lead_id == lead_id)
        .order_by(LeadHistory.at.desc(), LeadHistory.id.desc())
        .limit(1)
    )
    return name or ""


def _clean(name: str, value: object) -> str | None:
    if name not in EDITABLE_FIELDS:
        raise ValueError(
            f"{name!r} cannot be edited here; the contact fields are: {', '.join(EDITABLE_FIELDS)}."
        )
    if not isinstance(value, str):
        raise ValueError(f"{_FIELD_LABELS[name]} must be text, not {value!r}.")
    text = clean_text(value)
    if name == "email":
        if not text:
            return None
        email = normalise_email(text)
        if email is None:
            raise ValueError(f"{text!r} is not an email address.")
        return email
    limit = getattr(Lead.__table__.c[name].type, "length", None)
    if limit and len(text) > limit:
        raise ValueError(f"{_FIELD_LABELS[name]} can be at most {limit} characters long.")
    return text


def update_contact(
    db: Database,
    lead_id: int,
    user_id: int,
    changes: Mapping[str, str],
    *,
    expected_version: int,
) -> int:
    """Save contact field changes when the lead is still at ``expected_version``; returns
    the new version. Raises :class:`LeadChanged` (with the stored values) when it moved,
    ValueError for a field that cannot be edited or a value that is not valid.

    A new phone is normalised again (E.164, validity, time zones) with the campaign's
    region, and re-scored; a number or email on the do-not-call list flags the lead.
    """
    cleaned = {name: _clean(name, value) for name, value in changes.items()}
    now = utcnow()
    try:
        with db.write() as session:
            if session.get(User, user_id) is None:
                raise UnknownUser(user_id)
            lead = session.get(Lead, lead_id, with_for_update=True)
            if lead is None:
                raise LeadNotFound(lead_id)
            if lead.version != expected_version:
                raise LeadChanged(
                    _stored_values(lead), lead.version, _last_editor(session, lead_id)
                )
            changed = {
                name: value
                for name, value in cleaned.items()
                if (getattr(lead, name) or None) != (value or None)
            }
            if not changed:
                return lead.version
            for name, value in changed.items():
                old = getattr(lead, name) or ""
                setattr(lead, name, value if name == "email" else (value or ""))
                session.add(
                    LeadHistory(
                        lead=lead,
                        user_id=user_id,
                        at=now,
                        kind=HistoryKind.CONTACT,
                        from_value=old[:100],
                        to_value=(value or "")[:100],
                        reason=_FIELD_LABELS[name],
                    )
                )
            if {"first_name", "last_name", "company"} & set(changed):
                lead.match_key = match_key(
                    person_key(lead.first_name, lead.last_name), lead.company
                )
            if "phone_raw" in changed:
                _renormalise_phone(session, lead)
            _check_do_not_call(session, lead, user_id, now)
            rescore_lead(session, lead, now=now)
            session.flush()
            return lead.version
    except StaleDataError:
        with db.read() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            raise LeadChanged(
                _stored_values(lead), lead.version, _last_editor(session, lead_id)
            ) from None


def _renormalise_phone(session: Session, lead: Lead) -> None:
    region = None
    if lead.campaign_id is not None:
        region = session.scalar(
            select(Campaign.default_region).where(Campaign.id == lead.campaign_id)
        )
    old_e164 = lead.phone_e164
    info = parse_phone(lead.phone_raw, region or lead.country or _DEFAULT_REGION)
    lead.phone_e164 = info.e164
    lead.phone_extension = info.extension
    lead.phone_valid = bool(info.valid)
    lead.phone_type = info.number_type
    lead.phone_time_zones = " ".join(info.time_zones)
    # The lead's first number row is the one it was imported with: keep them in step.
    primary = session.scalar(
        select(LeadPhone)
        .where(LeadPhone.lead_id == lead.id)
        .where(or_(LeadPhone.e164 == old_e164, LeadPhone.position == 0))
        .order_by(LeadPhone.position)
        .limit(1)
    )
    if primary is not None:
        primary.raw = lead.phone_raw[:64]
        primary.e164 = info.e164
        primary.extension = info.extension
        primary.valid = bool(info.valid)
        primary.number_type = info.number_type
        primary.time_zones = lead.phone_time_zones


def _check_do_not_call(session: Session, lead: Lead, user_id: int, now: datetime) -> None:
    if lead.do_not_call:
        return
    conditions = []
    if lead.phone_e164:
        conditions.append(DoNotCallEntry.phone_e164 == lead.phone_e164)
    if lead.email:
        conditions.append(DoNotCallEntry.email == lead.email)
    if not conditions:
        return
    if session.scalar(select(DoNotCallEntry.id).where(or_(*conditions)).limit(1)) is None:
        return
    lead.do_not_call = True
    session.add(
        LeadHistory(
            lead=lead,
            user_id=user_id,
            at=now,
            kind=HistoryKind.DO_NOT_CALL,
            from_value="no",
            to_value="yes",
            reason="its new number or email is on the do-not-call list",
        )
    )
