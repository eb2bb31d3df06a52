"""The pure part of hand-offs: file layouts, references, reading sales' verdicts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from teleprospect.core.handoff import (
    DATE,
    EMAIL,
    LEAD_ID,
    REASON,
    REFERENCE,
    VERDICT,
    ExportFormat,
    HandoffRules,
    LeadStory,
    StoryAnswer,
    Verdict,
    export_table,
    format_reference,
    parse_reference,
    parse_verdict,
    read_verdict_row,
    suggest_verdict_columns,
)

STORY = LeadStory(
    reference="TP-0007-000123",
    lead_id=123,
    first_name="Ada",
    last_name="Lovelace",
    title="CFO",
    company="Analytical Engines Ltd",
    email="ada@engines.example",
    phone="+442079460000",
    phone_raw="020 7946 0000",
    phone_extension="",
    industry="Software",
    company_size=250,
    country="GB",
    lead_source="Webinar",
    campaign="Spring webinar",
    campaign_channel="Webinar",
    owner="Sam Carter",
    score=82,
    grade="A",
    grade_label="Hot",
    breakdown=("+15 C-level title", "+10 company of 201–1,000", "\u221210 free-mail address"),
    answers=(
        StoryAnswer("Budget", "Yes", "Budget"),
        StoryAnswer("Budget amount", "50,000", "Budget"),
        StoryAnswer("Authority", "Decision maker", "Authority"),
        StoryAnswer("Current solution", "Spreadsheets"),
    ),
    qualified_by="Sam Carter",
    qualified_at=datetime(2026, 11, 20, 14, 5, tzinfo=UTC),
    ready_reason="readiness rule met",
    calls_before_ready=3,
    touches_before_ready=5,
    last_call_at=datetime(2026, 11, 20, 14, 0, tzinfo=UTC),
    last_call_notes="Wants a demo with the CIO next week.",
    created_at=datetime(2026, 11, 1, tzinfo=UTC),
)


def test_salesforce_and_hubspot_layouts_use_their_crm_headers() -> None:
    header, [row] = export_table(ExportFormat.SALESFORCE, [STORY])
    assert header[:13] == [
        "First Name", "Last Name", "Company", "Title", "Email", "Phone", "Lead Source",
        "Lead Status", "Rating", "Industry", "No. of Employees", "Country", "Description",
    ]  # fmt: skip
    values = dict(zip(header, row, strict=True))
    assert values["Rating"] == "Hot" and values["No. of Employees"] == 250
    assert values["Budget"] == "Yes; 50,000" and values["Need"] == ""
    assert values["Teleprospect Reference"] == "TP-0007-000123"
    assert values["Teleprospect Score"] == "82 (A Hot)"
    assert values["Qualified Date"] == "2026-11-20"
    assert values["Description"] == (
        "Qualified by Sam Carter on 2026-11-20 14:05 UTC. Teleprospect reference TP-0007-000123.\n"
        "Why sales-ready: readiness rule met\n"
        "Campaign: Spring webinar (Webinar).\n"
        "Score 82 (A Hot): +15 C-level title; +10 company of 201–1,000; \u221210 free-mail "
        "address.\n"
        "Answers: Budget: Yes; Budget: 50,000; Authority: Decision maker; Current solution: "
        "Spreadsheets\n"
        "Last call notes (2026-11-20 14:00 UTC): Wants a demo with the CIO next week.\n"
        "Touches before ready: 5 (3 calls)."
    )
    header, [row] = export_table(ExportFormat.HUBSPOT, [STORY])
    values = dict(zip(header, row, strict=True))
    assert values["Phone Number"] == "+442079460000" and values["Company Name"] == STORY.company
    assert values["Job Title"] == "CFO" and values["Lifecycle Stage"] == "Sales Qualified Lead"
    header, [row] = export_table(ExportFormat.FULL, [STORY])
    values = dict(zip(header, row, strict=True))
    assert values["Other Answers"] == "Current solution: Spreadsheets"
    assert values["Qualified At (UTC)"] == "2026-11-20 14:05"


def test_references_round_trip_as_sales_may_write_them() -> None:
    assert format_reference(7, 123) == "TP-0007-000123"
    assert format_reference(12345, 1234567) == "TP-12345-1234567"
    for written in ("TP-0007-000123", "tp-7-123", " TP - 0007 - 000123 ", "'TP-0007-000123"):
        assert parse_reference(written) == (7, 123)
    for junk in ("", "TP-0007", "0007-000123", "TX-1-2", "TP-a-b"):
        assert parse_reference(junk) is None


@pytest.mark.parametrize(
    "text", ["accepted", "Accept", "YES", "y", "True", "1", "won", "Closed Won", "ok", "x",
             "Accepted - meeting booked", "SQL"],
)  # fmt: skip
def test_accepted_however_written(text: str) -> None:
    assert parse_verdict(text) is Verdict.ACCEPTED


@pytest.mark.parametrize(
    "text", ["rejected", "Reject", "no", "N", "FALSE", "0", "lost", "Closed Lost", "declined",
             "not accepted", "No budget", "unqualified", "Rejected: student"],
)  # fmt: skip
def test_rejected_however_written(text: str) -> None:
    assert parse_verdict(text) is Verdict.REJECTED


def test_an_unreadable_verdict_says_what_works() -> None:
    with pytest.raises(ValueError, match="'maybe' is not a verdict: write accepted or rejected"):
        parse_verdict("maybe")
    with pytest.raises(ValueError, match="no verdict"):
        parse_verdict("  ")


def test_verdict_columns_are_found_and_our_own_export_columns_do_not_win() -> None:
    header = [
        "First Name", "Email", "Lead Status", "Description", "Teleprospect Reference",
        "Verdict", "Rejection Reason", "Date Rejected",
    ]  # fmt: skip
    assert suggest_verdict_columns(header) == {
        REFERENCE: "Teleprospect Reference", LEAD_ID: None, EMAIL: "Email",
        VERDICT: "Verdict", REASON: "Rejection Reason", DATE: "Date Rejected",
    }  # fmt: skip
    columns = suggest_verdict_columns(["Lead ID", "E-mail", "Accepted?", "Comments", "When"])
    assert columns[LEAD_ID] == "Lead ID" and columns[EMAIL] == "E-mail"
    assert columns[VERDICT] == "Accepted?" and columns[DATE] == "When"


def test_a_verdict_row_is_read_into_typed_values() -> None:
    columns = {REFERENCE: "Ref", LEAD_ID: "Id", EMAIL: "Mail", VERDICT: "V", REASON: "R", DATE: "D"}
    row = read_verdict_row(
        {"Ref": "", "Id": "42.0", "Mail": "ADA@x.example", "V": "lost", "R": " no budget ",
         "D": "24.11.2026"},
        columns,
    )  # fmt: skip
    assert (row.lead_id, row.email, row.verdict, row.reason) == (
        42, "ada@x.example", Verdict.REJECTED, "no budget",
    )  # fmt: skip
    assert row.decided_at == datetime(2026, 11, 24, tzinfo=UTC)
    for values, message in [
        ({"V": "yes"}, "the row names no lead"),
        ({"Ref": "TP-12", "V": "yes"}, "'TP-12' is not a Teleprospect reference"),
        ({"Id": "00Q5g00000AbCdE", "V": "yes"}, "is not a Teleprospect lead id"),
        ({"Mail": "not-an-email", "V": "yes"}, "'not-an-email' is not an email address"),
        ({"Id": "1", "V": "yes", "D": "soon"}, "'soon' is not a date"),
    ]:
        with pytest.raises(ValueError, match=message):
            read_verdict_row(values, columns)
    # A CRM's own id beside our email: the email names the lead.
    row = read_verdict_row({"Id": "00Q5g00000AbCdE", "Mail": "ada@x.example", "V": "y"}, columns)
    assert (row.lead_id, row.email) == (None, "ada@x.example")


def test_handoff_rules_are_checked() -> None:
    assert HandoffRules().follow_up_days == 14
    with pytest.raises(ValueError, match="between 1 and 365 days"):
        HandoffRules(follow_up_days=0)
