"""Nurture touches: every step of a lead's track as a row once it is scheduled.

A step becomes a touch when it falls due (the enrolment's ``step_index`` points at the
first step not scheduled yet); a step "with a call" becomes two, the step and its
follow-up call. Done, skipped and cancelled touches stay as the record of what happened
to each step.
Kinds, states and outcomes are :mod:`teleprospect.core.nurture` /
:mod:`teleprospect.core.nurture_touches` values, stored as text so that a new kind
needs no schema change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teleprospect.store.models import Base, Lead, NurtureEnrollment, User
from teleprospect.store.types import UTCDateTime

__all__ = ["LIVE_TOUCH_WHERE", "OPEN_TOUCH_WHERE", "NurtureTouch"]

OPEN_TOUCH_WHERE = "state = 'open'"
LIVE_TOUCH_WHERE = "state IN ('open', 'paused')"


class NurtureTouch(Base):
    __tablename__ = "nurture_touch"
    __table_args__ = (
        # A step of an enrolment is scheduled once: never lost, never made twice.
        Index(
            "uq_nurture_touch_enrollment_id_step_index_follow_up",
            "enrollment_id",
            "step_index",
            "follow_up",
            unique=True,
        ),
        # "Touches due" of a rep: their nurture leads (ix_lead_owner_id_status), then each
        # lead's open touch.
        Index(
            "ix_nurture_touch_open_lead_id_due_at",
            "lead_id",
            "due_at",
            sqlite_where=text(OPEN_TOUCH_WHERE),
            postgresql_where=text(OPEN_TOUCH_WHERE),
        ),
        # Touches a track gives to a user of its own (marketing), and the daily job.
        Index(
            "ix_nurture_touch_open_owner_id_due_at",
            "owner_id",
            "due_at",
            sqlite_where=text(OPEN_TOUCH_WHERE),
            postgresql_where=text(OPEN_TOUCH_WHERE),
        ),
        Index(
            "ix_nurture_touch_open_due_at",
            "due_at",
            sqlite_where=text(OPEN_TOUCH_WHERE),
            postgresql_where=text(OPEN_TOUCH_WHERE),
        ),
        # A lead's timeline, and a track's per-step results.
        Index("ix_nurture_touch_lead_id_id", "lead_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("nurture_enrollment.id", ondelete="CASCADE")
    )
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"))
    #: The track step (0-based) of the enrolment's track version.
    step_index: Mapped[int] = mapped_column(Integer)
    #: The call that follows a step "with a call".
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    #: core.nurture.TouchKind value.
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200), default="")
    #: Who does it: empty, the lead's rep (whoever that is when it falls due).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: core.nurture_touches.TouchState value.
    state: Mapped[str] = mapped_column(String(16), default="open")
    #: How it went (core.nurture_touches.TouchOutcome, or a call's disposition).
    outcome: Mapped[str] = mapped_column(String(40), default="")
    #: Why it was skipped or cancelled, or the owner's note.
    reason: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="SET NULL"))
    #: How many times its owner put it off.
    postponed: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    enrollment: Mapped[NurtureEnrollment] = relationship()
    lead: Mapped[Lead] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
