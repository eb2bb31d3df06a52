"""Demo hand-offs: batches sent to sales with a mix of accepted, rejected and unanswered
leads, so the workload view and the "sales has not followed up" list have content.

``add_demo_handoffs(db, seed=1, now=...)`` runs after the demo leads are loaded. It takes
the demo's sales-ready leads; when there are too few it qualifies the best-scored working
leads first (a connected call with BANT answers and the sales-ready history row, by their
owner). It then hands most of them to sales in four batches 34, 22, 12 and 3 days before
``now``: the older batches have verdicts (accepted; rejected back to nurture or
disqualified) and some leads still waiting past the team's follow-up limit, the newest
has none yet. A few sales-ready leads stay behind for a first export of one's own. The same
seed and ``now`` give the same data.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import false, func, select, true, update
from sqlalchemy.orm import Session

from teleprospect.core.csv_export import CSV_ENCODING, write_csv
from teleprospect.core.domain import Disposition, HistoryKind, UserRole
from teleprospect.core.handoff import ExportFormat, RejectedTo, Verdict, export_table
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import Actor
from teleprospect.services.calls.scripts import active_script_in_session
from teleprospect.services.leads.lifecycle import apply_status
from teleprospect.services.scoring.scores import rescore_lead
from teleprospect.services.settings.team_settings import HANDOFF_RULES, read_setting
from teleprospect.services.team.acceptance import apply_verdict
from teleprospect.services.team.handoff import stories_in_session
from teleprospect.store.database import Database
from teleprospect.store.models import (
    Call,
    HandoffBatch,
    HandoffItem,
    Lead,
    LeadAnswer,
    LeadHistory,
    User,
)
from teleprospect.store.types import utcnow

__all__ = ["DemoHandoffs", "add_demo_handoffs", "demo_handoff_steps", "demo_handoffs_in_session"]

#: Days before ``now`` of the demo batches, oldest first.
BATCH_AGES = (34, 22, 12, 3)
_FORMATS = (
    ExportFormat.SALESFORCE,
    ExportFormat.HUBSPOT,
    ExportFormat.FULL,
    ExportFormat.SALESFORCE,
)
_ANSWERS = {"need": True, "timeline": "this_quarter", "budget": True, "authority": "decision_maker"}
_CALL_NOTES = (
    "Budget approved for next quarter; wants a demo with their IT lead.",
    "Runs the evaluation herself; comparing two vendors, decision before year end.",
    "Pain is manual reporting; asked for pricing and a call with sales this week.",
    "Signs off purchases up to this size; current contract ends in March.",
)
_ACCEPTED_REASONS = ("", "Meeting booked", "Good fit, opportunity opened", "Demo scheduled")
_REJECTED_REASONS = (
    "No budget after all",
    "Not the decision maker",
    "Timing: next fiscal year",
    "Existing customer of a competitor",
    "Too small for field sales",
)


@dataclass(frozen=True)
class DemoHandoffs:
    batches: int
    handed_off: int
    accepted: int
    rejected: int
    #: Handed off, no verdict yet.
    waiting: int
    #: Waiting longer than the team's follow-up limit.
    overdue: int
    #: Working leads qualified to have enough sales-ready ones.
    qualified: int


def add_demo_handoffs(db: Database, *, seed: int = 1, now: datetime | None = None) -> DemoHandoffs:
    """Add the demo hand-offs to a database holding demo leads (one transaction)."""
    with db.write() as session:
        return demo_handoffs_in_session(session, seed=seed, now=now)


def _exporter(session: Session) -> User | None:
    lead = session.scalars(
        select(User)
        .where(User.is_active == true(), User.role == UserRole.TEAM_LEAD.value)
        .order_by(User.id)
        .limit(1)
    ).first()
    return lead or session.scalars(select(User).order_by(User.id).limit(1)).first()


def _qualify(
    session: Session,
    leads: Sequence[Lead],
    ready_at: list[datetime],
    rng: random.Random,
    now: datetime,
) -> None:
    """Make working leads sales-ready as a connected call would: call, answers, history."""
    script = active_script_in_session(session).script
    for lead, at in zip(leads, ready_at, strict=True):
        call = Call(
            lead_id=lead.id,
            user_id=lead.owner_id,
            started_at=at - timedelta(minutes=rng.randint(6, 14)),
            ended_at=at,
            disposition=Disposition.CONNECTED,
            notes=rng.choice(_CALL_NOTES),
        )
        session.add(call)
        session.flush()
        known = set(
            session.scalars(select(LeadAnswer.question_id).where(LeadAnswer.lead_id == lead.id))
        )
        for question_id, value in _ANSWERS.items():
            if script.has_question(question_id) and question_id not in known:
                session.add(
                    LeadAnswer(
                        lead_id=lead.id,
                        question_id=question_id,
                        value=value,
                        call_id=call.id,
                        answered_at=at,
                        answered_by_id=lead.owner_id,
                    )
                )
        # Reaching the person is no failed try: the attempts stay as they were.
        lead.last_attempt_at = call.started_at
        lead.next_action_at = None
        entry = apply_status(
            session,
            lead,
            LeadStatus.SALES_READY,
            user_id=lead.owner_id,
            reason="Score and answers met the readiness rule.",
        )
        entry.at = at
        # The answers feed the score, the call the priority: stored as the app would.
        rescore_lead(session, lead, now=now)


def demo_handoffs_in_session(
    session: Session, *, seed: int = 1, now: datetime | None = None
) -> DemoHandoffs:
    """:func:`add_demo_handoffs` in the caller's transaction (after the leads are written)."""
    steps = demo_handoff_steps(session, seed=seed, now=now)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def demo_handoff_steps(
    session: Session, *, seed: int = 1, now: datetime | None = None
) -> Generator[None, None, DemoHandoffs]:
    """:func:`demo_handoffs_in_session` a piece at a time: it pauses after each (the
    qualifying, each batch, its verdicts) so that the caller can commit in between (the
    demo loader's short transactions). ``session`` stays the same throughout."""
    now = (now or utcnow()).astimezone(UTC).replace(microsecond=0)

    started = utcnow()
    made = yield from _handoffs(session, seed, now)
    # Demo rows depend on the seed and ``now`` only, never on the wall clock: the leads
    # changed here were stamped with the time of the change.
    session.execute(
        update(Lead)
        .where(Lead.updated_at >= started)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return made


def _handoffs(session: Session, seed: int, now: datetime) -> Generator[None, None, DemoHandoffs]:
    rng = random.Random(f"handoffs-{seed}")
    exporter = _exporter(session)
    leads_total = session.scalar(select(func.count()).select_from(Lead)) or 0
    if exporter is None or not leads_total:
        return DemoHandoffs(0, 0, 0, 0, 0, 0, 0)
    actor = Actor(exporter.id, exporter.login, exporter.name, exporter.role, exporter.is_admin)
    wanted = max(8, min(40, leads_total // 60))
    per_batch = max(2, wanted // len(BATCH_AGES))
    oldest = now - timedelta(days=BATCH_AGES[0] + 4)

    ready = list(
        session.scalars(
            select(Lead)
            .where(
                Lead.status == LeadStatus.SALES_READY.value,
                Lead.do_not_call == false(),
                Lead.created_at < now - timedelta(days=BATCH_AGES[-1] + 2),
            )
            .order_by(Lead.id)
        )
    )
    # Leave a few sales-ready leads for an export of one's own.
    needed = per_batch * len(BATCH_AGES) + max(2, per_batch // 2) - len(ready)
    qualified = 0
    if needed > 0:
        candidates = list(
            session.scalars(
                select(Lead)
                .where(
                    Lead.status == LeadStatus.WORKING.value,
                    Lead.do_not_call == false(),
                    Lead.owner_id.is_not(None),
                    Lead.created_at < oldest,
                    Lead.claimed_by_id.is_(None),
                )
                .order_by(Lead.score.desc(), Lead.id)
                .limit(needed)
            )
        )
        # Qualified a day or three before the first batch that takes them.
        ready_at = []
        for position in range(len(candidates)):
            age = BATCH_AGES[min(position // per_batch, len(BATCH_AGES) - 1)]
            ready_at.append(now - timedelta(days=age + rng.uniform(1, 3)))
        _qualify(session, candidates, ready_at, rng, now)
        qualified = len(candidates)
        ready = sorted(ready + candidates, key=lambda lead: lead.id)
    session.flush()
    yield
    last_ready = dict(
        session.execute(
            select(LeadHistory.lead_id, LeadHistory.at).where(
                LeadHistory.lead_id.in_([lead.id for lead in ready]),
                LeadHistory.kind == HistoryKind.STATUS,
                LeadHistory.to_value == LeadStatus.SALES_READY.value,
            )
        ).all()
    )

    counts = {"handed": 0, Verdict.ACCEPTED: 0, Verdict.REJECTED: 0, "waiting": 0, "overdue": 0}
    pool = list(ready)
    batches = verdicts = 0
    follow_up_days = read_setting(session, HANDOFF_RULES).follow_up_days
    for number, age in enumerate(BATCH_AGES):
        at = now - timedelta(days=age, hours=rng.uniform(0, 6))
        chosen = [lead for lead in pool if last_ready.get(lead.id, lead.created_at) < at][
            :per_batch
        ]
        if not chosen:
            continue
        pool = [lead for lead in pool if lead not in chosen]
        batches += 1
        _hand_off(session, actor, chosen, at, _FORMATS[number % len(_FORMATS)])
        yield
        counts["handed"] += len(chosen)
        rng.shuffle(chosen)
        if age >= 20:  # long enough for sales to answer most, but not all
            answered = len(chosen) - max(1, len(chosen) // 4)
        elif age >= 10:
            answered = len(chosen) // 2
        else:
            answered = 0
        for position, lead in enumerate(chosen):
            if position >= answered:
                counts["waiting"] += 1
                counts["overdue"] += age > follow_up_days
                continue
            # One verdict in three is a rejection, across the batches.
            verdict = Verdict.REJECTED if verdicts % 3 == 1 else Verdict.ACCEPTED
            verdicts += 1
            decided = at + timedelta(days=rng.uniform(1, min(age - 1, 9)))
            item = session.scalars(
                select(HandoffItem)
                .where(HandoffItem.lead_id == lead.id)
                .order_by(HandoffItem.id.desc())
            ).first()
            assert item is not None
            reasons = _ACCEPTED_REASONS if verdict is Verdict.ACCEPTED else _REJECTED_REASONS
            apply_verdict(
                session,
                item,
                lead,
                verdict,
                rng.choice(reasons),
                actor=actor,
                decided_at=decided,
                source="file verdicts from sales.csv",
                rejected_to=RejectedTo.DISQUALIFIED if rng.random() < 0.3 else RejectedTo.NURTURE,
                track_key=None,
                now=decided,
            )
            counts[verdict] += 1
        session.flush()
        yield
    return DemoHandoffs(
        batches,
        counts["handed"],
        counts[Verdict.ACCEPTED],
        counts[Verdict.REJECTED],
        counts["waiting"],
        counts["overdue"],
        qualified,
    )


def _hand_off(
    session: Session, actor: Actor, leads: list[Lead], at: datetime, fmt: ExportFormat
) -> None:
    batch = HandoffBatch(
        user_id=actor.user_id,
        created_at=at,
        format=fmt,
        file_path=f"handoff-{at:%Y-%m-%d}-{fmt.value}.csv",
        leads=len(leads),
        selection="all sales-ready leads",
    )
    session.add(batch)
    session.flush()
    stories = stories_in_session(session, leads, batch.id, at)
    header, rows = export_table(fmt, stories)
    text = io.StringIO(newline="")
    write_csv(text, header, rows)
    batch.file_sha256 = hashlib.sha256(text.getvalue().encode(CSV_ENCODING)).hexdigest()
    why = f"Handed to sales in batch #{batch.id} ({fmt.label}, {batch.file_path})."
    for lead, story in zip(leads, stories, strict=True):
        session.add(HandoffItem(batch_id=batch.id, lead_id=lead.id, reference=story.reference))
        entry = apply_status(
            session, lead, LeadStatus.HANDED_OFF, user_id=actor.user_id, reason=why
        )
        entry.at = at
    session.flush()
