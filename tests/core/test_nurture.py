"""Nurture tracks: validation, the shipped tracks, suggestions and the next call step."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teleprospect.core.business_days import add_business_days
from teleprospect.core.nurture import (
    TouchKind,
    Track,
    TrackError,
    TrackMatch,
    TrackStep,
    default_tracks,
    next_call_step,
    suggest_tracks,
    tracks_from_dict,
    tracks_to_dict,
)

T = TouchKind
DAY0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def due(business_days: int) -> datetime:
    """09:00 UTC ``business_days`` weekdays after DAY0 (day 0: DAY0 itself)."""
    if business_days == 0:
        return DAY0
    day = add_business_days(DAY0.date(), business_days, None)
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def track(key: str = "t", *steps: TrackStep, **match: tuple[str, ...]) -> Track:
    return Track(key, key.title(), steps or (TrackStep(0, T.CALL, "Call"),), TrackMatch(**match))


def test_the_shipped_tracks_include_the_twelve_touch_track() -> None:
    tracks = default_tracks()
    assert len(tracks) >= 3
    twelve = tracks[0]
    assert twelve.key == "twelve-touch" and len(twelve.steps) == 12
    titles = " | ".join(step.title.lower() for step in twelve.steps)
    for words in (
        "first-contact call",
        "thank-you email",
        "third-party article",
        "case study",
        "newsletter",
        "white paper",
        "direct mail",
        "ebook",
        "podcast",
        "free industry report by mail",
        "webcast invitation",
        "trade-show invitation",
    ):
        assert words in titles, words
    with_call = [s.title for s in twelve.steps if s.with_call]
    assert with_call == [
        "Case study from their industry",
        "eBook",
        "Podcast episode link",
        "Free industry report by mail",
        "Webcast invitation",
    ]
    assert all(t.description for t in tracks)
    assert {t.key for t in tracks} >= {"executive", "technical-evaluator"}
    assert sum(1 for t in tracks if t.match.is_general) == 1


def test_tracks_round_trip_through_json() -> None:
    tracks = default_tracks()
    assert tracks_from_dict(json.loads(json.dumps(tracks_to_dict(tracks)))) == tracks


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Track("Bad Key", "x", (TrackStep(0, T.CALL, "c"),)), "lower-case letters"),
        (lambda: Track("t", " ", (TrackStep(0, T.CALL, "c"),)), "needs a name"),
        (lambda: Track("t", "T", ()), "no steps"),
        (lambda: Track("t", "T", (TrackStep(-1, T.CALL, "c"),)), "before the track starts"),
        (lambda: Track("t", "T", (TrackStep(5, T.CALL, "a"), TrackStep(2, T.EMAIL, "b"))),
         "list the steps in order"),
        (lambda: Track("t", "T", (TrackStep(0, T.CALL, " "),)), "needs a title"),
        (lambda: Track("t", "T", (TrackStep(0, T.CALL, "c"),), TrackMatch(roles=("",))),
         "empty keyword"),
        (lambda: TrackStep(0, "fax", "c"), "fax"),
    ],
)  # fmt: skip
def test_tracks_that_cannot_work_are_refused(make: Any, message: str) -> None:
    with pytest.raises((TrackError, ValueError), match=message):
        make()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"key": "t", "name": "T", "steps": [{"day": "1", "kind": "call", "title": "c"}]},
         "whole number of days"),
        ({"key": "t", "name": "T", "steps": [{"day": 1, "kind": "pigeon", "title": "c"}]},
         "kind 'pigeon'"),
        ({"key": "t", "name": "T"}, "list of steps"),
        ({"key": "t", "name": "T", "match": {"roles": "boss"}, "steps": []}, "match.roles"),
        ({"name": "T", "steps": []}, "needs a key"),
    ],
)  # fmt: skip
def test_unreadable_track_data_names_the_problem(data: dict[str, Any], message: str) -> None:
    with pytest.raises(TrackError, match=message):
        Track.from_dict(data)


def test_duplicate_keys_in_a_tracks_file_are_refused() -> None:
    data = tracks_to_dict([track("a"), track("a")])
    with pytest.raises(TrackError, match="Two tracks have the key 'a'"):
        tracks_from_dict(data)


# ----------------------------------------------------------------------- suggestions


def keys(tracks: list[Track]) -> list[str]:
    return [t.key for t in tracks]


def test_suggestions_put_the_tracks_made_for_the_lead_first_and_list_every_track() -> None:
    tracks = default_tracks()
    cto = suggest_tracks(tracks, industry="Software", title="CTO", buying_role="decision_maker")
    assert keys(cto)[0] == "executive" and sorted(keys(cto)) == sorted(keys(tracks))
    engineer = suggest_tracks(
        tracks, industry="Software", title="DevOps Engineer", buying_role="influencer"
    )
    assert keys(engineer)[0] == "technical-evaluator"
    plant = suggest_tracks(
        tracks, industry="Industrial machinery", title="Plant Operations Manager", buying_role=None
    )
    assert keys(plant)[0] == "industrial"
    nobody = suggest_tracks(tracks, industry="Retail", title="Buyer", buying_role="none")
    assert keys(nobody)[0] == "twelve-touch"
    unknown = suggest_tracks(tracks, industry="", title="", buying_role=None)
    assert keys(unknown) == keys(tracks), "with nothing known, the given order stands"


def test_a_track_made_for_someone_else_comes_after_the_general_one() -> None:
    general = track("general")
    execs = track("execs", roles=("decision_maker",))
    assert keys(suggest_tracks([execs, general], industry="", title="", buying_role="user")) == [
        "general",
        "execs",
    ]
    assert keys(
        suggest_tracks([general, execs], industry="", title="", buying_role="decision_maker")
    ) == ["execs", "general"]


def test_functions_match_whole_words_of_the_title_ignoring_case_and_accents() -> None:
    it = track("it", functions=("it", "head of"))
    general = track("general")
    assert keys(suggest_tracks([general, it], industry="", title="IT-Leiter", buying_role=None))[
        0
    ] == ("it")
    assert keys(
        suggest_tracks([general, it], industry="", title="Head of Sales", buying_role=None)
    )[0] == ("it")
    # "it" is no word of "Digital Marketing": no match, so the general track leads.
    assert keys(
        suggest_tracks([general, it], industry="", title="Digital Marketing", buying_role=None)
    ) == ["general", "it"]
    fr = track("fr", industries=("télécom",))
    assert keys(suggest_tracks([general, fr], industry="TELECOM", title="", buying_role=None))[
        0
    ] == ("fr")


# ----------------------------------------------------------------------- schedule


def test_next_call_step_skips_touches_without_a_call() -> None:
    twelve = default_tracks()[0]
    assert next_call_step(twelve, -1, DAY0) == (0, DAY0)
    # Business days at 09:00: day 21 after Monday 2 March 2026 is Tuesday 31 March.
    assert next_call_step(twelve, 0, DAY0) == (3, datetime(2026, 3, 31, 9, 0, tzinfo=UTC))
    assert next_call_step(twelve, 3, DAY0) == (7, due(107))
    assert next_call_step(twelve, 10, DAY0) is None
    assert next_call_step(twelve, 11, DAY0) is None


steps = st.lists(
    st.tuples(st.integers(0, 400), st.sampled_from(list(TouchKind)), st.booleans()),
    min_size=1,
    max_size=15,
)


@given(steps, st.integers(-1, 16))
def test_next_call_step_is_the_first_call_after_the_index(
    raw: list[tuple[int, TouchKind, bool]], after: int
) -> None:
    ordered = sorted(raw, key=lambda s: s[0])
    t = Track(
        "t", "T", tuple(TrackStep(d, k, f"step {i}", w) for i, (d, k, w) in enumerate(ordered))
    )
    found = next_call_step(t, after, DAY0)
    calls = [i for i, s in enumerate(t.steps) if i > after and (s.kind is T.CALL or s.with_call)]
    if not calls:
        assert found is None
    else:
        assert found == (calls[0], due(t.steps[calls[0]].day_offset))
    assert Track.from_dict(json.loads(json.dumps(t.to_dict()))) == t
