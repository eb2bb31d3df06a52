"""Reading activity exports: columns, kinds of engagement, timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from teleprospect.core.activity import (
    BadTimestamp,
    classify_activity,
    parse_timestamp,
    read_activity,
    suggest_activity_columns,
)
from teleprospect.core.domain import EngagementKind as K


def test_columns_are_found_from_common_export_headers() -> None:
    assert suggest_activity_columns(
        ["Email Address", "Activity Type", "Activity Date", "Asset Name", "Lead Score"]
    ) == {
        "email": "Email Address",
        "activity": "Activity Type",
        "occurred_at": "Activity Date",
        "detail": "Asset Name",
    }
    assert suggest_activity_columns(["email", "event", "timestamp"])["detail"] is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Email Opened", K.EMAIL_OPEN),
        ("Clicked Link in Email", K.EMAIL_CLICK),
        ("Replied to email", K.EMAIL_REPLY),
        ("Visited Web Page", K.SITE_VISIT),
        ("Page View", K.SITE_VISIT),
        ("Downloaded white paper", K.DOWNLOAD),
        ("Registered for webinar", K.WEBINAR_REGISTERED),
        ("Attended webinar", K.WEBINAR_ATTENDED),
        ("Form submitted", K.FORM_SUBMIT),
        ("Booth scan", K.EVENT_VISIT),
        ("webinar_attended", K.WEBINAR_ATTENDED),
        ("Unsubscribed?", K.OTHER),
        ("", K.OTHER),
    ],
)
def test_activity_names_become_kinds(text: str, kind: K) -> None:
    assert classify_activity(text) is kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T10:00:00Z", datetime(2026, 3, 1, 10, tzinfo=UTC)),
        ("2026-03-01T11:00:00+01:00", datetime(2026, 3, 1, 10, tzinfo=UTC)),
        ("2026-03-01 10:00", datetime(2026, 3, 1, 10, tzinfo=UTC)),
        ("03/02/2026 2:05 PM", datetime(2026, 3, 2, 14, 5, tzinfo=UTC)),
        ("25/02/2026 14:05", datetime(2026, 2, 25, 14, 5, tzinfo=UTC)),
        ("01.03.2026 14:05", datetime(2026, 3, 1, 14, 5, tzinfo=UTC)),
    ],
)
def test_timestamps_in_the_formats_tools_write(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected


def test_day_first_and_local_zone() -> None:
    paris = ZoneInfo("Europe/Paris")
    assert parse_timestamp("03/04/2026 10:00", day_first=True, assume=paris) == datetime(
        2026, 4, 3, 8, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-45"])
def test_unreadable_timestamps_say_so(text: str) -> None:
    with pytest.raises(BadTimestamp):
        parse_timestamp(text)


def test_a_row_becomes_typed_values_and_unknown_activities_keep_their_name() -> None:
    columns = {"email": "E", "activity": "A", "occurred_at": "D", "detail": "X"}
    row = read_activity(
        {"E": " Ann@Example.COM ", "A": "Unsubscribed", "D": "2026-03-01", "X": "newsletter"},
        columns,
    )
    assert row.email == "ann@example.com" and row.kind is K.OTHER
    assert row.detail == "Unsubscribed: newsletter"
    with pytest.raises(ValueError, match="not an email"):
        read_activity({"E": "nobody", "A": "", "D": "2026-03-01", "X": ""}, columns)
