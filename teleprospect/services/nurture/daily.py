"""The daily nurture job: advance every step that fell due, and settle the touches nobody
can make.

First the steps due by now that have no touch yet become touches (from the partial index
on the open enrolments' ``next_touch_at``). Then the touches nobody can make: a wait
step (done by itself), a call to a do-not-call lead or one without a valid number or local
time, an email to a lead without an address or with a suppressed one, a touch whose owner
was deactivated. Each is skipped with its reason (a line in the lead's timeline) and the
next touch scheduled; a track whose last step passes applies its end rule.

One indexed pass finds them (the due range of ``ix_nurture_touch_open_due_at`` joined to
the lead, its owner and the email suppressions); they are then settled in short
transactions of :data:`CHUNK` touches, so on SQLite nobody waits behind the job for long.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from teleprospect.core.nurture import TouchKind
from teleprospect.core.nurture_touches import TouchState
from teleprospect.services.clock import decision_time
from teleprospect.services.nurture.schedule import resolve_touch, schedule_due_steps
from teleprospect.store.database import Database
from teleprospect.store.models import DoNotCallEntry, Lead, NurtureEnrollment, User
from teleprospect.store.nurture_models import NurtureTouch

__all__ = ["CHUNK", "AdvanceSummary", "advance_due_touches"]

#: Touches settled per transaction.
CHUNK = 200


@dataclass
class AdvanceSummary:
    #: Touches made of steps that fell due.
    scheduled: int = 0
    due: int = 0
    done: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def text(self) -> str:
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))
        return (
            f"{self.scheduled} touches scheduled; {self.due} touches due;"
            f" {self.done} wait steps done; skipped: {skipped or 'none'} ({self.seconds:.1f} s)"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "scheduled": self.scheduled,
            "due": self.due,
            "done": self.done,
            "skipped": self.skipped,
            "seconds": round(self.seconds, 3),
        }


def _settle_query(now: datetime):  # type: ignore[no-untyped-def]
    """(touch id, what to do) of every due open touch nobody can make."""
    owner = aliased(User)
    rep = aliased(User)
    suppressed = exists().where(DoNotCallEntry.email == Lead.email)
    is_call = NurtureTouch.kind == TouchKind.CALL.value
    is_email = NurtureTouch.kind == TouchKind.EMAIL.value
    inactive = or_(
        and_(NurtureTouch.owner_id.is_not(None), owner.is_active == false()),
        and_(NurtureTouch.owner_id.is_(None), rep.is_active == false()),
    )
    verdict = case(
        (inactive, "owner deactivated"),
        (NurtureTouch.kind == TouchKind.WAIT.value, "wait"),
        (and_(is_call, Lead.do_not_call == true()), "do not call"),
        (
            and_(is_call, or_(Lead.phone_e164.is_(None), Lead.phone_valid == false())),
            "no valid phone number",
        ),
        (and_(is_call, Lead.call_zones == ""), "local time unknown, outside every calling window"),
        (and_(is_email, or_(Lead.email.is_(None), Lead.email == "")), "no email address"),
        (and_(is_email, suppressed), "email suppressed"),
        else_="",
    ).label("verdict")
    return (
        select(NurtureTouch.id, verdict)
        .join(Lead, Lead.id == NurtureTouch.lead_id)
        .outerjoin(owner, owner.id == NurtureTouch.owner_id)
        .outerjoin(rep, rep.id == Lead.owner_id)
        .where(NurtureTouch.state == TouchState.OPEN.value, NurtureTouch.due_at <= now)
        .order_by(NurtureTouch.due_at, NurtureTouch.id)
    )


_MAX_PASSES = 50


def _schedule_pass(db: Database, now: datetime | None, summary: AdvanceSummary) -> int:
    """Make touches of the steps that fell due, in short transactions; how many enrolments."""
    with db.read() as session:
        at = decision_time(session, now)
        ids = list(
            session.scalars(
                select(NurtureEnrollment.id)
                .where(
                    NurtureEnrollment.ended_at.is_(None),
                    NurtureEnrollment.next_touch_at <= at,
                )
                .order_by(NurtureEnrollment.next_touch_at, NurtureEnrollment.id)
            )
        )
    moved = 0
    for start in range(0, len(ids), CHUNK):
        with db.write(brief=True) as session:
            for enrollment in session.scalars(
                select(NurtureEnrollment).where(
                    NurtureEnrollment.id.in_(ids[start : start + CHUNK]),
                    NurtureEnrollment.ended_at.is_(None),
                    NurtureEnrollment.paused_at.is_(None),
                )
            ):
                lead = session.get(Lead, enrollment.lead_id)
                assert lead is not None
                summary.scheduled += len(schedule_due_steps(session, enrollment, lead, now=at))
                moved += 1
    return moved


def _one_pass(
    db: Database,
    now: datetime | None,
    summary: AdvanceSummary,
    progress: Callable[[int, int], None] | None,
) -> int:
    """One pass over the due touches; how many it settled."""
    first = summary.due == 0
    with db.read() as session:
        at = decision_time(session, now)
        settle: list[tuple[int, str]] = []
        for touch_id, verdict in session.execute(_settle_query(at)):
            if first:
                summary.due += 1
            if verdict:
                settle.append((touch_id, verdict))
    settled = 0
    for start in range(0, len(settle), CHUNK):
        with db.write(brief=True) as session:
            for touch_id, verdict in settle[start : start + CHUNK]:
                touch = session.get(NurtureTouch, touch_id)
                if touch is None or touch.state != TouchState.OPEN.value:
                    continue  # settled meanwhile by its owner
                lead = session.get(Lead, touch.lead_id)
                assert lead is not None
                settled += 1
                if verdict == "wait":
                    resolve_touch(
                        session,
                        touch,
                        lead,
                        TouchState.DONE,
                        now=at,
                        user_id=None,
                        outcome="waited",
                    )
                    summary.done += 1
                else:
                    resolve_touch(
                        session,
                        touch,
                        lead,
                        TouchState.SKIPPED,
                        now=at,
                        user_id=None,
                        reason=verdict,
                    )
                    summary.skipped[verdict] = summary.skipped.get(verdict, 0) + 1
        if progress is not None:
            progress(min(start + CHUNK, len(settle)), len(settle))
    return settled


def advance_due_touches(
    db: Database,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AdvanceSummary:
    """Settle every due touch nobody can make (see the module docstring); what can be made
    stays due for its owner. Safe to run at any time, and again."""
    started = time.perf_counter()
    summary = AdvanceSummary()
    # Settling a touch may schedule the next one due at once (a wait after a wait): a
    # further pass settles those, until one finds nothing left.
    _schedule_pass(db, now, summary)
    for _ in range(_MAX_PASSES):
        if not _one_pass(db, now, summary, progress):
            break
    summary.seconds = time.perf_counter() - started
    return summary
