"""Nurture touches as work: their states, why one cannot be done, what a response is,
the message an email touch sends, and how work that piled up is spread out.

A *touch* is one step of a lead's track, due at a time (business days in the lead's zone,
:mod:`teleprospect.core.business_days`). It is open until done (with an outcome) or skipped
(with a reason); nothing leaves the track silently. A step "with a call" is two touches:
the step itself, then a follow-up call once it is done.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from teleprospect.core.business_days import add_business_days
from teleprospect.core.domain import EngagementKind
from teleprospect.core.errors import Invalid
from teleprospect.core.nurture import ResponseKind, TouchKind

__all__ = [
    "MERGE_FIELDS",
    "SPREAD_PER_DAY",
    "LeadFacts",
    "Message",
    "TouchOutcome",
    "TouchState",
    "TouchInvalid",
    "fill_template",
    "response_of_event",
    "spread_over_days",
    "touch_blocker",
]

#: A rep coming back from a pause gets at most this many overdue touches a day.
SPREAD_PER_DAY = 20


class TouchInvalid(Invalid):
    """A touch action that cannot be taken; the message is one sentence."""


class TouchState(StrEnum):
    #: Waiting for its due time, or due and not yet done.
    OPEN = "open"
    #: Its track is paused (a response, the lead, the track or the rep).
    PAUSED = "paused"
    DONE = "done"
    SKIPPED = "skipped"
    #: The track ended before the touch was made (the reason says why).
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in (TouchState.DONE, TouchState.SKIPPED, TouchState.CANCELLED)


class TouchOutcome(StrEnum):
    """How a touch went, as its owner records it."""

    SENT = "sent"
    DELIVERED = "delivered"
    POSTED = "posted"
    DONE = "done"
    NO_RESPONSE = "no_response"
    BOUNCED = "bounced"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class LeadFacts:
    """What decides whether a touch can be made for a lead."""

    do_not_call: bool
    email: str | None
    email_suppressed: bool
    has_phone: bool
    has_zone: bool
    owner_active: bool


def touch_blocker(kind: TouchKind, lead: LeadFacts) -> str | None:
    """Why a touch of ``kind`` cannot be made for ``lead`` (one phrase), or None."""
    if not lead.owner_active:
        return "owner deactivated"
    if kind is TouchKind.CALL:
        if lead.do_not_call:
            return "do not call"
        if not lead.has_phone:
            return "no valid phone number"
        if not lead.has_zone:
            return "local time unknown, outside every calling window"
    if kind is TouchKind.EMAIL:
        if not lead.email:
            return "no email address"
        if lead.email_suppressed:
            return "email suppressed"
    return None


# ----------------------------------------------------------------------------- responses

_OPT_OUT = re.compile(r"unsubscri|opt(?:ed)?[\s_-]*out|abmeld|désabonn", re.IGNORECASE)
_MEETING = re.compile(r"meeting\s*(?:booked|scheduled|set)|demo\s*booked", re.IGNORECASE)

_BY_KIND: Mapping[EngagementKind, ResponseKind] = {
    EngagementKind.EMAIL_REPLY: ResponseKind.REPLIED,
    EngagementKind.EMAIL_CLICK: ResponseKind.CLICKED,
    EngagementKind.WEBINAR_REGISTERED: ResponseKind.REGISTERED,
    EngagementKind.WEBINAR_ATTENDED: ResponseKind.ATTENDED,
    EngagementKind.EVENT_VISIT: ResponseKind.ATTENDED,
    EngagementKind.FORM_SUBMIT: ResponseKind.FORM,
}

#: How a response is stored as an engagement event: (kind, detail it must carry).
RESPONSE_EVENTS: Mapping[ResponseKind, tuple[EngagementKind, str]] = {
    ResponseKind.REPLIED: (EngagementKind.EMAIL_REPLY, ""),
    ResponseKind.CLICKED: (EngagementKind.EMAIL_CLICK, ""),
    ResponseKind.REGISTERED: (EngagementKind.WEBINAR_REGISTERED, ""),
    ResponseKind.ATTENDED: (EngagementKind.WEBINAR_ATTENDED, ""),
    ResponseKind.FORM: (EngagementKind.FORM_SUBMIT, ""),
    ResponseKind.OPTED_OUT: (EngagementKind.OTHER, "opted out"),
    ResponseKind.MEETING_BOOKED: (EngagementKind.OTHER, "meeting booked"),
}


def response_of_event(kind: EngagementKind | str, detail: str) -> ResponseKind | None:
    """The nurture response an engagement event is (None: site visits, opens, …).
    Opt-outs and booked meetings arrive as "other" activity named in the detail."""
    kind = EngagementKind(kind)
    if kind is EngagementKind.OTHER:
        if _OPT_OUT.search(detail or ""):
            return ResponseKind.OPTED_OUT
        if _MEETING.search(detail or ""):
            return ResponseKind.MEETING_BOOKED
        return None
    return _BY_KIND.get(kind)


# ----------------------------------------------------------------------------- messages

#: The merge fields a template may use, with what each is.
MERGE_FIELDS: Mapping[str, str] = {
    "first_name": "the lead's first name",
    "last_name": "the lead's last name",
    "full_name": "the lead's full name",
    "company": "the lead's company",
    "title": "the lead's job title",
    "campaign": "the campaign the lead came from",
    "campaign_offer": "what the campaign offered",
    "step_title": "the touch's title",
    "sender_name": "the name of the user doing the touch",
}
_FIELD = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def fill_template(template: str, values: Mapping[str, str]) -> Message:
    """The message of ``template`` with its merge fields filled from ``values``: the first
    line "Subject: …" is the subject (else the step title). Unknown fields raise
    :class:`TouchInvalid` naming them; a field with no value is left empty."""
    unknown = sorted({name for name in _FIELD.findall(template) if name not in MERGE_FIELDS})
    if unknown:
        raise TouchInvalid(
            f"The template uses unknown merge fields ({', '.join(unknown)}); the fields are"
            f" {', '.join(MERGE_FIELDS)}."
        )
    filled = _FIELD.sub(lambda m: values.get(m.group(1), "") or "", template)
    first, _, rest = filled.partition("\n")
    if first.lower().startswith("subject:"):
        return Message(first[len("subject:") :].strip(), rest.lstrip("\n"))
    return Message(values.get("step_title", ""), filled)


# ----------------------------------------------------------------------------- pauses


def spread_over_days(
    count: int, first_day: date, country: str | None, per_day: int = SPREAD_PER_DAY
) -> list[date]:
    """Business days for ``count`` touches that piled up, at most ``per_day`` a day from
    ``first_day`` on, in order: the oldest first."""
    if per_day < 1:
        raise TouchInvalid(f"At least one touch a day must be allowed, not {per_day}.")
    return [add_business_days(first_day, i // per_day, country) for i in range(count)]


def remaining_delay(due_at: datetime, paused_at: datetime) -> timedelta:
    """How long a paused touch still had to wait (never negative)."""
    return max(due_at - paused_at, timedelta(0))


def step_label(step_index: int, steps_total: int, follow_up: bool) -> str:
    text = f"step {step_index + 1} of {steps_total}"
    return f"{text}, follow-up call" if follow_up else text


def blockers_text(reasons: Sequence[str]) -> str:
    return "; ".join(dict.fromkeys(reasons))
