"""Handing sales-ready leads to sales, and reading sales' verdict back: the pure part.

A hand-off is a file sales imports into their CRM. Each row carries the lead's
qualification story in words a salesperson reads (score and why, the BANT answers, who
qualified the lead and when, the last call's notes, how many touches it took, the
campaign) and a reference such as ``TP-0007-000123`` (batch 7, lead 123) that sales can
send back with their verdict. Three layouts: a Salesforce-style lead file, a
HubSpot-style contact file and the full Teleprospect file.

Sales' verdict comes back as a CSV naming each lead by our lead id, its email or the
reference, with accepted or rejected (written however their tool writes it: yes/no,
won/lost, true/false…), a reason and a date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from enum import StrEnum

from teleprospect.core.activity import parse_timestamp
from teleprospect.core.column_mapping import header_key
from teleprospect.core.csv_export import phone_cell
from teleprospect.core.normalise import clean_text, normalise_email

__all__ = [
    "DATE",
    "EMAIL",
    "LEAD_ID",
    "REASON",
    "REFERENCE",
    "VERDICT",
    "VERDICT_ROLES",
    "ExportFormat",
    "HandoffRules",
    "LeadStory",
    "RejectedTo",
    "StoryAnswer",
    "Verdict",
    "VerdictRow",
    "export_table",
    "format_reference",
    "parse_reference",
    "parse_verdict",
    "read_verdict_row",
    "suggest_verdict_columns",
]


class ExportFormat(StrEnum):
    SALESFORCE = "salesforce"
    HUBSPOT = "hubspot"
    FULL = "full"

    @property
    def label(self) -> str:
        return {
            "salesforce": "Salesforce lead CSV",
            "hubspot": "HubSpot contact CSV",
            "full": "Teleprospect CSV (every field)",
        }[self.value]


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RejectedTo(StrEnum):
    """Where a lead sales rejected goes next."""

    NURTURE = "nurture"
    DISQUALIFIED = "disqualified"


@dataclass(frozen=True, slots=True)
class HandoffRules:
    """The team's rules for what happens after a hand-off."""

    #: Leads without a verdict this many days after the hand-off are flagged: sales has
    #: not followed up.
    follow_up_days: int = 14
    #: A lead sales rejected back to nurture is due for a call again after this many days.
    rejected_nurture_days: int = 30

    def __post_init__(self) -> None:
        if not 1 <= self.follow_up_days <= 365:
            raise ValueError("The follow-up limit must be between 1 and 365 days.")
        if not 0 <= self.rejected_nurture_days <= 365:
            raise ValueError("A rejected lead's next call must be within 365 days.")


# ----------------------------------------------------------------------------- references

_REFERENCE = re.compile(r"^\s*TP\s*-\s*(\d{1,12})\s*-\s*(\d{1,12})\s*$", re.IGNORECASE)


def format_reference(batch_id: int, lead_id: int) -> str:
    """The reference of one lead in one hand-off batch: ``TP-0007-000123``."""
    return f"TP-{batch_id:04d}-{lead_id:06d}"


def parse_reference(text: str) -> tuple[int, int] | None:
    """(batch id, lead id) of a reference as sales may send it back (any case, spaces)."""
    match = _REFERENCE.match(text.lstrip("'"))
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


# ----------------------------------------------------------------------------- the story


@dataclass(frozen=True, slots=True)
class StoryAnswer:
    """One script answer as sales reads it."""

    question: str
    answer: str
    #: "Budget", "Authority", "Need", "Timeline"; empty for other questions.
    bant: str = ""


@dataclass(frozen=True, slots=True)
class LeadStory:
    """Everything a hand-off row says about one lead."""

    reference: str
    lead_id: int
    first_name: str
    last_name: str
    title: str
    company: str
    email: str
    #: E.164 when the number is valid, else as entered.
    phone: str
    phone_raw: str
    phone_extension: str
    industry: str
    company_size: int | None
    country: str
    lead_source: str
    campaign: str
    campaign_channel: str
    owner: str
    score: int
    grade: str
    grade_label: str
    #: "+15 VP-level title", "−10 free-mail address", … (they add up to the score).
    breakdown: tuple[str, ...]
    answers: tuple[StoryAnswer, ...]
    qualified_by: str
    qualified_at: datetime | None
    #: The reason written when the lead was made sales-ready (the rule met, an exception).
    ready_reason: str
    calls_before_ready: int
    touches_before_ready: int
    last_call_at: datetime | None
    last_call_notes: str
    created_at: datetime | None

    @property
    def score_text(self) -> str:
        return f"{self.score} ({self.grade} {self.grade_label})".strip()

    @property
    def breakdown_text(self) -> str:
        return "; ".join(self.breakdown)

    def bant_answer(self, bant: str) -> str:
        return "; ".join(a.answer for a in self.answers if a.bant.lower() == bant.lower())

    @property
    def bant_text(self) -> str:
        parts = [f"{a.bant}: {a.answer}" for a in self.answers if a.bant]
        return "; ".join(parts)

    @property
    def other_answers_text(self) -> str:
        return "; ".join(f"{a.question}: {a.answer}" for a in self.answers if not a.bant)

    def description(self) -> str:
        """The whole story as a few lines of text (a CRM's description field)."""
        lines = []
        who = self.qualified_by or "a teleprospector"
        when = f" on {_when(self.qualified_at)}" if self.qualified_at else ""
        lines.append(f"Qualified by {who}{when}. Teleprospect reference {self.reference}.")
        if self.ready_reason:
            lines.append(f"Why sales-ready: {self.ready_reason}")
        if self.campaign:
            channel = f" ({self.campaign_channel})" if self.campaign_channel else ""
            lines.append(f"Campaign: {self.campaign}{channel}.")
        score = f"Score {self.score_text}"
        lines.append(f"{score}: {self.breakdown_text}." if self.breakdown else f"{score}.")
        if self.answers:
            lines.append(
                "Answers: " + "; ".join(f"{a.bant or a.question}: {a.answer}" for a in self.answers)
            )
        if self.last_call_notes:
            when = f" ({_when(self.last_call_at)})" if self.last_call_at else ""
            lines.append(f"Last call notes{when}: {self.last_call_notes}")
        lines.append(
            f"Touches before ready: {self.touches_before_ready} ({self.calls_before_ready} calls)."
        )
        return "\n".join(lines)


def _when(at: datetime | None) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if at else ""


def _date(at: datetime | None) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d") if at else ""


#: Salesforce's standard Lead Rating picklist has Hot, Warm and Cold only.
_SALESFORCE_RATING = {"A": "Hot", "B": "Warm"}
#: Standard picklist values for a lead that was contacted and is not yet converted.
SALESFORCE_LEAD_STATUS = "Working - Contacted"
HUBSPOT_LIFECYCLE_STAGE = "Sales Qualified Lead"
HUBSPOT_LEAD_STATUS = "Connected"

Column = tuple[str, Callable[[LeadStory], str | int | None]]

_STORY_COLUMNS: tuple[Column, ...] = (
    ("Teleprospect Score", lambda s: s.score_text),
    ("Score Breakdown", lambda s: s.breakdown_text),
    ("Budget", lambda s: s.bant_answer("Budget")),
    ("Authority", lambda s: s.bant_answer("Authority")),
    ("Need", lambda s: s.bant_answer("Need")),
    ("Timeline", lambda s: s.bant_answer("Timeline")),
    ("Qualified By", lambda s: s.qualified_by),
    ("Qualified Date", lambda s: _date(s.qualified_at)),
    ("Last Call Notes", lambda s: s.last_call_notes),
    ("Touches Before Ready", lambda s: s.touches_before_ready),
    ("Campaign", lambda s: s.campaign),
    ("Teleprospect Reference", lambda s: s.reference),
)

_SALESFORCE: tuple[Column, ...] = (
    ("First Name", lambda s: s.first_name),
    ("Last Name", lambda s: s.last_name),
    ("Company", lambda s: s.company),
    ("Title", lambda s: s.title),
    ("Email", lambda s: s.email),
    ("Phone", lambda s: phone_cell(s.phone)),
    ("Lead Source", lambda s: s.lead_source or s.campaign_channel),
    ("Lead Status", lambda s: SALESFORCE_LEAD_STATUS),
    ("Rating", lambda s: _SALESFORCE_RATING.get(s.grade, "Cold")),
    ("Industry", lambda s: s.industry),
    ("No. of Employees", lambda s: s.company_size),
    ("Country", lambda s: s.country),
    ("Description", lambda s: s.description()),
    *_STORY_COLUMNS,
)

_HUBSPOT: tuple[Column, ...] = (
    ("First Name", lambda s: s.first_name),
    ("Last Name", lambda s: s.last_name),
    ("Email", lambda s: s.email),
    ("Phone Number", lambda s: phone_cell(s.phone)),
    ("Company Name", lambda s: s.company),
    ("Job Title", lambda s: s.title),
    ("Industry", lambda s: s.industry),
    ("Number of Employees", lambda s: s.company_size),
    ("Country/Region", lambda s: s.country),
    ("Lifecycle Stage", lambda s: HUBSPOT_LIFECYCLE_STAGE),
    ("Lead Status", lambda s: HUBSPOT_LEAD_STATUS),
    ("Lead Source", lambda s: s.lead_source or s.campaign_channel),
    ("Qualification Summary", lambda s: s.description()),
    *_STORY_COLUMNS,
)

_FULL: tuple[Column, ...] = (
    ("Reference", lambda s: s.reference),
    ("Lead ID", lambda s: s.lead_id),
    ("First Name", lambda s: s.first_name),
    ("Last Name", lambda s: s.last_name),
    ("Title", lambda s: s.title),
    ("Company", lambda s: s.company),
    ("Email", lambda s: s.email),
    ("Phone", lambda s: phone_cell(s.phone)),
    ("Phone As Entered", lambda s: s.phone_raw),
    ("Extension", lambda s: s.phone_extension),
    ("Industry", lambda s: s.industry),
    ("Company Size", lambda s: s.company_size),
    ("Country", lambda s: s.country),
    ("Campaign", lambda s: s.campaign),
    ("Channel", lambda s: s.campaign_channel),
    ("Lead Source", lambda s: s.lead_source),
    ("Owner", lambda s: s.owner),
    ("Score", lambda s: s.score),
    ("Grade", lambda s: f"{s.grade} {s.grade_label}".strip()),
    ("Score Breakdown", lambda s: s.breakdown_text),
    ("Budget", lambda s: s.bant_answer("Budget")),
    ("Authority", lambda s: s.bant_answer("Authority")),
    ("Need", lambda s: s.bant_answer("Need")),
    ("Timeline", lambda s: s.bant_answer("Timeline")),
    ("Other Answers", lambda s: s.other_answers_text),
    ("Qualified By", lambda s: s.qualified_by),
    ("Qualified At (UTC)", lambda s: _when(s.qualified_at).removesuffix(" UTC")),
    ("Why Ready", lambda s: s.ready_reason),
    ("Calls Before Ready", lambda s: s.calls_before_ready),
    ("Touches Before Ready", lambda s: s.touches_before_ready),
    ("Last Call At (UTC)", lambda s: _when(s.last_call_at).removesuffix(" UTC")),
    ("Last Call Notes", lambda s: s.last_call_notes),
    ("Created At (UTC)", lambda s: _when(s.created_at).removesuffix(" UTC")),
    ("Qualification Summary", lambda s: s.description()),
)

_LAYOUTS = {
    ExportFormat.SALESFORCE: _SALESFORCE,
    ExportFormat.HUBSPOT: _HUBSPOT,
    ExportFormat.FULL: _FULL,
}


def export_table(
    fmt: ExportFormat, stories: Sequence[LeadStory]
) -> tuple[list[str], list[list[str | int | None]]]:
    """The header and the rows of a hand-off file in ``fmt`` (not yet neutralised)."""
    layout = _LAYOUTS[ExportFormat(fmt)]
    header = [name for name, _ in layout]
    rows = [[value(story) for _, value in layout] for story in stories]
    return header, rows


# ----------------------------------------------------------------------------- verdicts

_ACCEPTED_WORDS = frozenset(
    {
        "accepted", "accept", "accepts", "yes", "y", "true", "t", "1", "won", "win", "ok",
        "okay", "converted", "qualified", "approved", "sal", "sql", "x", "good", "closed won",
    }
)  # fmt: skip
_REJECTED_WORDS = frozenset(
    {
        "rejected", "reject", "rejects", "no", "n", "false", "f", "0", "lost", "lose",
        "declined", "decline", "unqualified", "disqualified", "refused", "returned", "bad",
        "not accepted", "notaccepted", "not qualified", "not interested", "junk",
        "closed lost",
    }
)  # fmt: skip


def parse_verdict(text: str) -> Verdict:
    """Accepted or rejected, however sales' tool wrote it; ValueError says what works."""
    folded = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    folded = folded.strip(" .!'\"")
    if folded in _ACCEPTED_WORDS:
        return Verdict.ACCEPTED
    if folded in _REJECTED_WORDS:
        return Verdict.REJECTED
    if folded.startswith(("not ", "no ")):
        return Verdict.REJECTED
    first = re.split(r"[^\w]+", folded, maxsplit=1)[0] if folded else ""
    if first in _ACCEPTED_WORDS and first not in {"1", "0", "x", "t", "f", "y", "n"}:
        return Verdict.ACCEPTED
    if first in _REJECTED_WORDS and first not in {"1", "0", "x", "t", "f", "y", "n"}:
        return Verdict.REJECTED
    shown = text.strip()
    if not shown:
        raise ValueError("no verdict: write accepted or rejected")
    raise ValueError(
        f"{shown!r} is not a verdict: write accepted or rejected "
        "(yes/no, won/lost and true/false work too)"
    )


#: Column roles of a verdict file.
LEAD_ID, EMAIL, REFERENCE, VERDICT, REASON, DATE = (
    "lead_id",
    "email",
    "reference",
    "verdict",
    "reason",
    "date",
)
VERDICT_ROLES = (REFERENCE, LEAD_ID, EMAIL, VERDICT, REASON, DATE)

# Most telling name first: a file sales sends back may hold our own export's columns too
# ("Lead Status", "Description"), which must not win over theirs.
_VERDICT_SYNONYMS: dict[str, tuple[str, ...]] = {
    REFERENCE: (
        "teleprospectreference", "reference", "tpreference", "batchreference", "handoffreference",
        "ref", "referenceid",
    ),
    LEAD_ID: ("leadid", "teleprospectleadid", "teleprospectid", "tpid", "tpleadid", "id"),
    EMAIL: ("email", "emailaddress", "e-mail", "leademail", "contactemail", "mail"),
    VERDICT: (
        "verdict", "accepted", "accept", "acceptance", "salesverdict", "decision", "outcome",
        "result", "acceptedrejected", "acceptedorrejected", "status",
    ),
    REASON: (
        "reason", "rejectionreason", "verdictreason", "why", "comment", "comments", "note",
        "notes", "remarks", "feedback",
    ),
    DATE: (
        "date", "verdictdate", "decisiondate", "decidedon", "decidedat", "dateaccepted",
        "daterejected", "reviewedon", "reviewdate", "when", "datetime", "timestamp",
    ),
}  # fmt: skip


def suggest_verdict_columns(header: Sequence[str]) -> dict[str, str | None]:
    """Role → column name (or None) from the names verdict files use."""
    keys = {column: header_key(column) for column in header}
    chosen: dict[str, str | None] = dict.fromkeys(VERDICT_ROLES)
    for role in VERDICT_ROLES:
        for synonym in _VERDICT_SYNONYMS[role]:
            wanted = header_key(synonym)
            found = next(
                (c for c in header if keys[c] == wanted and c not in chosen.values()), None
            )
            if found is not None:
                chosen[role] = found
                break
    return chosen


@dataclass(frozen=True, slots=True)
class VerdictRow:
    """One row of a verdict file, typed: how it names the lead and what sales said."""

    verdict: Verdict
    reason: str
    #: When sales decided, if the file says.
    decided_at: datetime | None
    reference: tuple[int, int] | None = None
    lead_id: int | None = None
    email: str | None = None


def read_verdict_row(
    values: Mapping[str, str],
    columns: Mapping[str, str | None],
    *,
    assume: tzinfo = UTC,
    day_first: bool = False,
) -> VerdictRow:
    """One row of a verdict file as typed values; ValueError says what is wrong."""

    def cell(role: str) -> str:
        column = columns.get(role)
        return clean_text(values.get(column, "")).lstrip("'") if column else ""

    reference_text, id_text, email_text = cell(REFERENCE), cell(LEAD_ID), cell(EMAIL)
    reference = parse_reference(reference_text) if reference_text else None
    if reference_text and reference is None and not id_text and not email_text:
        raise ValueError(f"{reference_text!r} is not a Teleprospect reference (TP-0007-000123)")
    lead_id = None
    if id_text:
        digits = id_text.removesuffix(".0")
        if digits.isdigit():
            lead_id = int(digits)
        elif reference is None and not email_text:
            raise ValueError(f"{id_text!r} is not a Teleprospect lead id")
    email = normalise_email(email_text) if email_text else None
    if email_text and email is None and reference is None and lead_id is None:
        raise ValueError(f"{email_text!r} is not an email address")
    if reference is None and lead_id is None and email is None:
        raise ValueError("the row names no lead: give the lead id, the email or the reference")
    verdict = parse_verdict(cell(VERDICT))
    date_text = cell(DATE)
    decided_at = None
    if date_text:
        try:
            decided_at = parse_timestamp(date_text, assume=assume, day_first=day_first)
        except ValueError:
            raise ValueError(f"{date_text!r} is not a date") from None
    return VerdictRow(verdict, cell(REASON), decided_at, reference, lead_id, email)
