"""When a call kept through a server outage still fits its lead (core.offline.find_conflict)."""

from __future__ import annotations

from datetime import UTC, datetime

from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.offline import (
    Conflict,
    ConflictKind,
    LeadState,
    OtherChange,
    find_conflict,
)

ME, OTHER, BOSS = 1, 2, 9
AT = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
BASE = LeadState(version=3, status=LeadStatus.WORKING, owner_id=ME, do_not_call=False)
NAMES = {ME: "Rep One", OTHER: "Rep Two", BOSS: "Maria Boss"}


def now(**changes: object) -> LeadState:
    values = {"version": 4, "status": BASE.status, "owner_id": ME, "do_not_call": False}
    values.update(changes)
    return LeadState(**values)  # type: ignore[arg-type]


def test_an_untouched_lead_or_one_only_the_rep_changed_is_no_conflict() -> None:
    assert find_conflict(ME, BASE, BASE, holder_id=None) is None
    assert find_conflict(ME, BASE, BASE, holder_id=ME) is None
    # Another version (a re-score, a contact edit), same owner and status: fine.
    assert find_conflict(ME, BASE, now(), holder_id=None) is None
    # Given to the rep by a team lead: still the rep's to work.
    unowned = LeadState(3, LeadStatus.WORKING, None, False)
    assert find_conflict(ME, unowned, now(owner_id=ME), holder_id=None) is None


def test_someone_else_holding_the_lead_right_now_always_wins() -> None:
    found = find_conflict(ME, BASE, BASE, holder_id=OTHER)
    assert found == Conflict(ConflictKind.CLAIMED, by_user_id=OTHER)
    assert found.describe(NAMES) == "Rep Two holds the lead right now."
    assert not found.kind.can_apply_anyway


def test_a_reassigned_lead_names_the_new_owner() -> None:
    moved = OtherChange("owner", BOSS, AT, "rep.two")
    found = find_conflict(ME, BASE, now(owner_id=OTHER), holder_id=None, others=(moved,))
    assert found is not None and found.kind is ConflictKind.REASSIGNED
    assert found.describe(NAMES) == "The lead was reassigned to Rep Two meanwhile."
    assert found.kind.can_apply_anyway


def test_a_lead_decided_by_someone_else_names_who_and_the_status() -> None:
    decided = OtherChange("status", OTHER, AT, "disqualified")
    current = now(status=LeadStatus.DISQUALIFIED)
    found = find_conflict(ME, BASE, current, holder_id=None, others=(decided,))
    assert found is not None
    assert found.describe(NAMES) == "Rep Two changed the lead to Disqualified meanwhile."


def test_do_not_call_and_a_deleted_lead_cannot_be_applied_anyway() -> None:
    dnc = find_conflict(ME, BASE, now(do_not_call=True), holder_id=None)
    assert dnc is not None and dnc.kind is ConflictKind.DO_NOT_CALL
    gone = find_conflict(ME, BASE, None, holder_id=None)
    assert gone is not None and gone.describe(NAMES) == "The lead no longer exists."
    assert not dnc.kind.can_apply_anyway and not gone.kind.can_apply_anyway


def test_a_call_by_another_rep_meanwhile_is_a_conflict() -> None:
    called = OtherChange("call", OTHER, AT)
    found = find_conflict(ME, BASE, now(), holder_id=None, others=(called,))
    assert (
        found is not None
        and found.describe(NAMES) == "Rep Two called the lead meanwhile at 15:00 UTC."
    )


def test_without_a_base_only_the_changes_of_others_count() -> None:
    # A call typed at the command line: the lead's state when it was made is unknown.
    assert find_conflict(ME, None, now(owner_id=OTHER), holder_id=None) is None
    moved = OtherChange("owner", BOSS, AT, "rep.two")
    found = find_conflict(ME, None, now(owner_id=OTHER), holder_id=None, others=(moved,))
    assert found is not None and found.kind is ConflictKind.REASSIGNED
    mine = find_conflict(ME, None, now(owner_id=ME), holder_id=None, others=(moved,))
    assert mine is None  # moved to the rep: theirs to work
