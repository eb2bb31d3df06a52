"""Audit entries read as a team lead reads them: what changed, in one line."""

from __future__ import annotations

import pytest

from teleprospect.core.audit import AuditKind, describe_change, describe_value, kind_named


def test_a_status_change_reads_from_before_to_after() -> None:
    assert describe_change({"status": "working"}, {"status": "sales_ready"}) == (
        "status: working → sales_ready"
    )


def test_only_what_changed_is_shown_and_what_only_the_after_side_has_is_added() -> None:
    before = {"weekdays": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}
    after = {"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "end": "17:00", "batch_id": 7}
    assert describe_change(before, after) == "start: 09:00 → 08:00; batch id: 7"


def test_nested_settings_name_the_path_to_what_changed() -> None:
    before = {"by_disposition": {"no_answer": {"delay_minutes": 240.0, "retry": True}}}
    after = {"by_disposition": {"no_answer": {"delay_minutes": 120.0, "retry": True}}}
    assert describe_change(before, after) == "by disposition › no answer › delay minutes: 240 → 120"


def test_counts_by_owner_and_long_lists_stay_short() -> None:
    change = describe_change(
        {"owners": {"sam": 3000}},
        {"owners": {"julie": 1500, "jonas": 1500}, "lead_ids": list(range(1, 31))},
    )
    assert change == (
        "owners: sam=3000 → julie=1500, jonas=1500; "
        "lead ids: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 … (30 in all)"
    )


def test_values_read_in_words() -> None:
    assert describe_value(None) == ""
    assert describe_value(True) == "yes" and describe_value(False) == "no"
    assert describe_value({"do_not_call": True, "email_listed": False}) == (
        "do not call: yes; email listed: no"
    )
    assert describe_change(None, {"version": 2}) == "version: 2"
    assert describe_change({"version": 1}, None) == "version: 1 → none"
    assert describe_change("a", "b") == "a → b"


@pytest.mark.parametrize("typed", ["status_changed", "Status-Changed", " status changed "])
def test_a_kind_is_found_by_its_value_or_its_label(typed: str) -> None:
    assert kind_named(typed) is AuditKind.STATUS_CHANGED
    assert kind_named("Sales' verdict recorded") is AuditKind.VERDICT_RECORDED


def test_an_unknown_kind_names_the_kinds() -> None:
    with pytest.raises(ValueError, match="the kinds are status_changed, lead_reassigned"):
        kind_named("coffee")
