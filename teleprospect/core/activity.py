"""Reading activity exports of marketing tools: who did what, and when.

A row of such a file names a person by email, an activity ("Email Opened",
"Visited Web Page", "Attended webinar"…), a time, and often what it was about (the
page, the asset, the webinar). This module turns that into typed values; matching
the email to a lead and storing the event is the import service's job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from teleprospect.core.column_mapping import header_key
from teleprospect.core.domain import EngagementKind
from teleprospect.core.errors import Invalid
from teleprospect.core.normalise import clean_text, normalise_email

#: Column roles of an activity file.
EMAIL, ACTIVITY, OCCURRED_AT, DETAIL = "email", "activity", "occurred_at", "detail"
ROLES = (EMAIL, ACTIVITY, OCCURRED_AT, DETAIL)

_SYNONYMS: dict[str, tuple[str, ...]] = {
    EMAIL: (
        "email",
        "emailaddress",
        "e-mail",
        "contactemail",
        "leademail",
        "emailfrom",
        "recipient",
        "recipientemail",
        "attendeeemail",
        "registrantemail",
    ),
    ACTIVITY: (
        "activity",
        "activitytype",
        "activityname",
        "event",
        "eventtype",
        "type",
        "action",
        "engagement",
        "engagementtype",
        "interaction",
        "status",
    ),
    OCCURRED_AT: (
        "date",
        "timestamp",
        "activitydate",
        "eventdate",
        "occurredat",
        "time",
        "datetime",
        "createdat",
        "created",
        "when",
        "dateandtime",
        "eventtime",
        "activitytimestamp",
        "jointime",
    ),
    DETAIL: (
        "detail",
        "details",
        "asset",
        "assetname",
        "page",
        "pageurl",
        "url",
        "webpage",
        "campaign",
        "campaignname",
        "subject",
        "description",
        "content",
        "title",
        "webinar",
        "webinarname",
        "link",
        "name",
    ),
}
_KEYS = {role: {header_key(s) for s in synonyms} for role, synonyms in _SYNONYMS.items()}


def suggest_activity_columns(header: Sequence[str]) -> dict[str, str | None]:
    """Role → column name (or None) from the header names that activity exports use."""
    chosen: dict[str, str | None] = dict.fromkeys(ROLES)
    for role in ROLES:
        for column in header:
            if column not in chosen.values() and header_key(column) in _KEYS[role]:
                chosen[role] = column
                break
    return chosen


# Most specific first: "email reply" before "email", "attended" before "registered".
_KIND_RULES: tuple[tuple[EngagementKind, tuple[str, ...]], ...] = (
    (EngagementKind.EMAIL_REPLY, ("repl", "respond", "answered")),
    (EngagementKind.EMAIL_CLICK, ("click",)),
    (EngagementKind.EMAIL_OPEN, ("open",)),
    (EngagementKind.WEBINAR_ATTENDED, ("attend", "joined", "watched", "participat")),
    (EngagementKind.WEBINAR_REGISTERED, ("regist", "signed up", "signup", "rsvp")),
    (EngagementKind.DOWNLOAD, ("download", "white paper", "whitepaper", "ebook", "e-book")),
    (EngagementKind.FORM_SUBMIT, ("form", "submit", "contact us", "request")),
    (
        EngagementKind.EVENT_VISIT,
        ("booth", "trade show", "tradeshow", "badge", "scan", "event visit", "visited booth"),
    ),
    (
        EngagementKind.SITE_VISIT,
        ("visit", "page view", "pageview", "web page", "webpage", "site", "viewed"),
    ),
)


def classify_activity(text: str) -> EngagementKind:
    """The kind of engagement an activity name describes; OTHER when none fits."""
    folded = " ".join(text.lower().replace("_", " ").replace("-", " ").split())
    if not folded:
        return EngagementKind.OTHER
    for member in EngagementKind:
        if folded == member.value.replace("_", " "):
            return member
    for kind, words in _KIND_RULES:
        if any(word in folded for word in words):
            return kind
    return EngagementKind.OTHER


_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y",
    "%d %b %Y %H:%M",
    "%d %b %Y",
)
_DAY_FIRST_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/\d{4}")


class BadTimestamp(Invalid):
    pass


def parse_timestamp(text: str, *, assume: tzinfo = UTC, day_first: bool = False) -> datetime:
    """A time as marketing tools write it, as aware UTC.

    ISO 8601 (with or without offset or "Z"), US "03/01/2026 2:05 PM", European
    "01.03.2026 14:05". Slash dates are month-first unless ``day_first`` or the first
    number cannot be a month. Times without a zone are read in ``assume``.
    """
    value = text.strip()
    if not value:
        raise BadTimestamp("no date")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        formats: tuple[str, ...] = _FORMATS
        slash = _DAY_FIRST_SLASH.match(value)
        if day_first or (slash and int(slash.group(1)) > 12):
            formats = tuple(f for f in _FORMATS if not f.startswith("%m/%d"))
        for fmt in formats:
            try:
                parsed = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        raise BadTimestamp(f"{value!r} is not a date and time this import understands")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=assume)
    return parsed.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ActivityRow:
    email: str
    kind: EngagementKind
    occurred_at: datetime
    detail: str


def read_activity(
    values: dict[str, str],
    columns: dict[str, str | None],
    *,
    assume: tzinfo = UTC,
    day_first: bool = False,
) -> ActivityRow:
    """One row of an activity file as typed values; ValueError says what is wrong."""
    email_column, when_column = columns.get(EMAIL), columns.get(OCCURRED_AT)
    if not email_column or not when_column:
        raise ValueError("the file needs an email column and a date column")
    email = normalise_email(values.get(email_column, ""))
    if email is None:
        raise ValueError(f"{values.get(email_column, '')!r} is not an email address")
    activity_column, detail_column = columns.get(ACTIVITY), columns.get(DETAIL)
    activity = clean_text(values.get(activity_column, "")) if activity_column else ""
    detail = clean_text(values.get(detail_column, "")) if detail_column else ""
    kind = classify_activity(activity)
    if kind is EngagementKind.OTHER and activity and activity not in detail:
        detail = f"{activity}: {detail}" if detail else activity
    occurred = parse_timestamp(values.get(when_column, ""), assume=assume, day_first=day_first)
    return ActivityRow(email, kind, occurred, detail)
