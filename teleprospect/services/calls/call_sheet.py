"""Everything the call workspace shows when a lead opens, in one read.

:func:`open_call_sheet` reads, in one transaction: the lead panel's detail, the script
version in use (a restored draft's, else the one published last), the nurture tracks
best suited to the lead, the live score and readiness checklist with the answers known
(and a draft's), *why this lead now*: its reason in the user's queue, when it is
in that queue, and the first good time to call the lead back. The workspace asks once,
on a worker, instead of four times.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from teleprospect.core.callback_slots import MIN_CALLBACK_GAP, next_call_slot
from teleprospect.core.nurture import Track
from teleprospect.core.queue_policy import CallingHours
from teleprospect.core.scripts import AnswerError, AnswerValue, from_json
from teleprospect.services.calls.lead_detail import LeadDetail, lead_detail_in_session
from teleprospect.services.calls.readiness import LiveScore, call_context
from teleprospect.services.calls.scripts import (
    ScriptVersion,
    active_script_in_session,
    script_version_in_session,
)
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.nurture.tracks import suggestions_in_session
from teleprospect.services.queue.page import QueueEntry, queue_entry_of_lead
from teleprospect.services.settings.team_settings import load_queue_settings
from teleprospect.store.database import Database
from teleprospect.store.models import Lead

__all__ = ["CallSheet", "open_call_sheet"]


@dataclass(frozen=True)
class CallSheet:
    """One lead as the call workspace opens it."""

    detail: LeadDetail
    #: The script version the call uses.
    script: ScriptVersion
    #: Every track, the best suited to the lead first.
    tracks: list[Track]
    #: The answers of a restored draft, typed for ``script`` (questions it lacks dropped).
    draft_answers: dict[str, AnswerValue]
    #: The score, grade, lines and readiness checklist with the known (and the draft's)
    #: answers; None when they cannot be worked out with them (an answer the script in
    #: use does not know).
    live: LiveScore | None
    #: The lead's place in the user's queue (its reason: why this lead now); None when
    #: the lead is not in the queue now (opened by hand, held by someone else, no user).
    queue_entry: QueueEntry | None
    #: The time the sheet was read at (the database's clock).
    read_at: datetime | None = None
    #: The team's calling hours, which a callback time is checked against.
    calling_hours: CallingHours = field(default_factory=CallingHours)
    #: The first good time to call the lead back: inside its calling window in all its
    #: zones, on a business day there (None: its local time is unknown, or no such time).
    suggested_callback_at: datetime | None = None

    @property
    def why_now(self) -> str | None:
        return self.queue_entry.reason if self.queue_entry is not None else None


def open_call_sheet(
    db: Database,
    lead_id: int,
    user_id: int | None,
    *,
    now: datetime | None = None,
    script_version_id: int | None = None,
    draft_answers: Mapping[str, Any] | None = None,
    display_zone: tzinfo = UTC,
) -> CallSheet:
    """The call sheet of lead ``lead_id`` for ``user_id`` (None: a login with no account).

    ``script_version_id``: the version a restored draft used (None: the one in use);
    ``draft_answers``: that draft's answers as it stores them (JSON values).
    ``now``: None is the database's clock (who holds the lead, why it is due); a time given
    fixes it (tests). Raises :class:`~teleprospect.services.errors.LeadNotFound`."""
    with db.read() as session:
        now = decision_time(session, now)
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        detail = lead_detail_in_session(session, lead_id, now)
        script = (
            script_version_in_session(session, script_version_id)
            if script_version_id is not None
            else active_script_in_session(session)
        )
        answers = _typed_answers(script, draft_answers or {})
        live: LiveScore | None = None
        # The rep's next answer reads it again when these answers cannot be scored.
        with suppress(AnswerError):
            # The live checklist starts as the workspace keeps it: with the script in use.
            live = call_context(session, lead, answers, None, None, now).live()
        hours = load_queue_settings(session).hours
        entry = (
            queue_entry_of_lead(session, user_id, lead_id, now, display_zone)
            if user_id is not None
            else None
        )
        return CallSheet(
            detail=detail,
            script=script,
            tracks=suggestions_in_session(session, lead),
            draft_answers=answers,
            live=live,
            queue_entry=entry,
            read_at=now,
            calling_hours=hours,
            suggested_callback_at=next_call_slot(
                detail.time_zones, now, hours, gap=MIN_CALLBACK_GAP
            ),
        )


def _typed_answers(script: ScriptVersion, raw: Mapping[str, Any]) -> dict[str, AnswerValue]:
    found: dict[str, AnswerValue] = {}
    for key, value in raw.items():
        if not script.script.has_question(key):
            continue  # a question the script no longer has
        try:
            found[key] = from_json(script.script.question(key), value)
        except (AnswerError, ValueError, TypeError):
            continue
    return found
