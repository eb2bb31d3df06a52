"""The lead lifecycle: the allowed moves of DESIGN.md §1, and only those."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teleprospect.core.lifecycle import (
    ALLOWED_TRANSITIONS,
    FINAL_STATES,
    IllegalTransition,
    LeadStatus,
    can_transition,
    check_transition,
)

S = LeadStatus

#: DESIGN.md §1, written out edge by edge so a change to the table must be deliberate.
DESIGNED_EDGES = {
    (S.NEW, S.WORKING),
    (S.WORKING, S.SALES_READY),
    (S.SALES_READY, S.HANDED_OFF),
    (S.HANDED_OFF, S.ACCEPTED),
    (S.WORKING, S.NURTURE),
    (S.NURTURE, S.WORKING),
    (S.WORKING, S.DISQUALIFIED),
    (S.NURTURE, S.DISQUALIFIED),
    (S.HANDED_OFF, S.REJECTED),
    (S.REJECTED, S.NURTURE),
    (S.REJECTED, S.DISQUALIFIED),
}


def test_the_allowed_moves_are_exactly_the_designed_ones() -> None:
    actual = {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets}
    assert actual == DESIGNED_EDGES
    assert set(ALLOWED_TRANSITIONS) == set(LeadStatus)


def test_accepted_and_disqualified_are_final() -> None:
    assert {S.ACCEPTED, S.DISQUALIFIED} == FINAL_STATES


def test_illegal_move_says_what_is_allowed() -> None:
    with pytest.raises(IllegalTransition) as caught:
        check_transition(S.NEW, S.HANDED_OFF)
    message = str(caught.value)
    assert "New" in message and "Handed off" in message and "Working" in message


def test_status_values_are_accepted_as_text() -> None:
    assert check_transition("working", "sales_ready") is S.SALES_READY
    with pytest.raises(ValueError):
        check_transition("working", "on_fire")


@given(st.lists(st.sampled_from(list(LeadStatus)), max_size=40))
def test_random_move_sequences_only_ever_follow_designed_edges(targets: list[LeadStatus]) -> None:
    state = S.NEW
    path = [state]
    for target in targets:
        if (state, target) in DESIGNED_EDGES:
            state = check_transition(state, target)
            path.append(state)
        else:
            assert not can_transition(state, target)
            with pytest.raises(IllegalTransition):
                check_transition(state, target)
    # Every state reached is reachable from NEW, and a final state is never left.
    for before, after in zip(path, path[1:], strict=False):
        assert before not in FINAL_STATES
        assert (before, after) in DESIGNED_EDGES


@given(st.sampled_from(list(LeadStatus)))
def test_every_state_is_reachable_from_new(target: LeadStatus) -> None:
    seen, frontier = {S.NEW}, [S.NEW]
    while frontier:
        state = frontier.pop()
        for nxt in ALLOWED_TRANSITIONS[state] - seen:
            seen.add(nxt)
            frontier.append(nxt)
    assert target in seen
