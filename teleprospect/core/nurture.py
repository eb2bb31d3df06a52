"""Nurture tracks: ordered touch steps, rules that suggest a track, the next call step.

A track is a list of touches (call, email, direct mail, content, event invitation), each
``day_offset`` days after the track's first touch; a touch may come *with a call* ("case
study with follow-up call"). A lead sits in at most one track at a time. Calls are what
bring a nurture lead back to a rep's queue: :func:`next_call_step` says which step that is
and when it falls due.

Tracks are suggested by their match rules (industry, job function read from the title,
role in the buying process): :func:`suggest_tracks` lists every track, best match first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, NoReturn, cast

from teleprospect.core.data import read_json
from teleprospect.core.errors import Invalid
from teleprospect.core.normalise import fold

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "TouchKind",
    "Track",
    "TrackError",
    "TrackMatch",
    "TrackStep",
    "default_tracks",
    "next_call_step",
    "step_due_at",
    "suggest_tracks",
    "tracks_from_dict",
    "tracks_to_dict",
]

FORMAT_NAME = "teleprospect-nurture-tracks"
FORMAT_VERSION = 1
_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")
_WORD = re.compile(r"[^\W_]+")


class TrackError(Invalid):
    """A track that cannot be used; the message is one sentence naming what is wrong."""


class TouchKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MAIL = "mail"
    CONTENT = "content"
    EVENT = "event"

    @property
    def label(self) -> str:
        return {
            "call": "Call",
            "email": "Email",
            "mail": "Direct mail",
            "content": "Content",
            "event": "Event invitation",
        }[self.value]


@dataclass(frozen=True)
class TrackStep:
    #: Days after the track's first touch.
    day_offset: int
    kind: TouchKind
    title: str
    #: The touch is followed up by a phone call (so the lead comes back to a queue).
    with_call: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TouchKind(self.kind))

    @property
    def is_call(self) -> bool:
        """A step that brings the lead back to a rep's queue."""
        return self.kind is TouchKind.CALL or self.with_call


@dataclass(frozen=True)
class TrackMatch:
    """Who a track suits. Each list holds keywords (any case, whole words): industries
    are matched against the lead's industry, functions against its job title, roles
    against its buying role (the answer to the authority question, e.g. decision_maker)."""

    industries: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("industries", "functions", "roles"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def is_general(self) -> bool:
        return not (self.industries or self.functions or self.roles)


@dataclass(frozen=True)
class Track:
    key: str
    name: str
    steps: tuple[TrackStep, ...]
    match: TrackMatch = TrackMatch()
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        _validate(self)

    @property
    def call_steps(self) -> int:
        return sum(1 for step in self.steps if step.is_call)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; :meth:`from_dict` reads it back to an equal track."""
        data: dict[str, Any] = {"key": self.key, "name": self.name}
        if self.description:
            data["description"] = self.description
        data["match"] = {
            "industries": list(self.match.industries),
            "functions": list(self.match.functions),
            "roles": list(self.match.roles),
        }
        data["steps"] = [
            {"day": s.day_offset, "kind": s.kind.value, "title": s.title, "with_call": s.with_call}
            for s in self.steps
        ]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Track:
        """A track from :meth:`to_dict` data; raises :class:`TrackError` naming what is
        wrong and where."""
        return _read_track(data)


def _fail(message: str) -> NoReturn:
    raise TrackError(message)


def _validate(track: Track) -> None:
    if not isinstance(track.key, str) or not _KEY.match(track.key):
        _fail(
            f"A track's key is lower-case letters, digits, '-' and '_', starting with a"
            f" letter; {track.key!r} is not."
        )
    where = f"The track {track.key!r}"
    if not isinstance(track.name, str) or not track.name.strip():
        _fail(f"{where} needs a name.")
    if not track.steps:
        _fail(f"{where} has no steps.")
    previous = 0
    for number, step in enumerate(track.steps, start=1):
        if isinstance(step.day_offset, bool) or not isinstance(step.day_offset, int):
            _fail(f"{where}: step {number} needs a whole number of days, not {step.day_offset!r}.")
        if step.day_offset < 0:
            _fail(f"{where}: step {number} cannot come before the track starts (day 0).")
        if step.day_offset < previous:
            _fail(
                f"{where}: step {number} (day {step.day_offset}) comes before step"
                f" {number - 1} (day {previous}); list the steps in order."
            )
        previous = step.day_offset
        if not isinstance(step.title, str) or not step.title.strip():
            _fail(f"{where}: step {number} needs a title.")
    for name in ("industries", "functions", "roles"):
        for keyword in getattr(track.match, name):
            if not isinstance(keyword, str) or not _WORD.findall(keyword):
                _fail(f"{where}: its {name} rule lists an empty keyword ({keyword!r}).")


def _read_track(data: Mapping[str, Any]) -> Track:
    if not isinstance(data, Mapping):
        _fail(f"A track must be an object, not {type(data).__name__}.")
    key = data.get("key")
    if not isinstance(key, str):
        _fail(f"A track needs a key (text), not {key!r}.")
    where = f"The track {key!r}"

    def text(item: Mapping[str, Any], name: str, default: str | None = None) -> str:
        value = item.get(name, default)
        if not isinstance(value, str):
            _fail(f"{where}: “{name}” must be text, not {value!r}.")
        return value

    match = data.get("match", {})
    if not isinstance(match, Mapping):
        _fail(f"{where}: “match” must be an object.")
    lists = {}
    for name in ("industries", "functions", "roles"):
        values = match.get(name, [])
        if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
            _fail(f"{where}: match.{name} must be a list of texts.")
        lists[name] = tuple(values)
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list | tuple):
        _fail(f"{where} needs a list of steps.")
    steps = []
    for number, item in enumerate(raw_steps, start=1):
        if not isinstance(item, Mapping):
            _fail(f"{where}: step {number} must be an object.")
        day = item.get("day")
        if isinstance(day, bool) or not isinstance(day, int):
            _fail(f"{where}: step {number} needs a whole number of days, not {day!r}.")
        try:
            kind = TouchKind(cast(str, item.get("kind")))  # unknown values: ValueError
        except ValueError:
            known = ", ".join(k.value for k in TouchKind)
            _fail(f"{where}: step {number} has the kind {item.get('kind')!r}; use one of {known}.")
        with_call = item.get("with_call", False)
        if not isinstance(with_call, bool):
            _fail(f"{where}: step {number}'s “with_call” must be true or false.")
        steps.append(TrackStep(day, kind, text(item, "title"), with_call))
    return Track(
        key=key,
        name=text(data, "name"),
        steps=tuple(steps),
        match=TrackMatch(**lists),
        description=text(data, "description", ""),
    )


def tracks_to_dict(tracks: Sequence[Track]) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "tracks": [t.to_dict() for t in tracks],
    }


def tracks_from_dict(data: Mapping[str, Any]) -> list[Track]:
    """Tracks from :func:`tracks_to_dict` data; keys must be unique."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT_NAME:
        _fail("This is not a nurture-tracks file.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        _fail(f"This nurture-tracks file has a format this version cannot read ({version!r}).")
    items = data.get("tracks")
    if not isinstance(items, list | tuple):
        _fail("A nurture-tracks file needs a list of tracks.")
    tracks = [Track.from_dict(item) for item in items]
    keys = [t.key for t in tracks]
    for key in keys:
        if keys.count(key) > 1:
            _fail(f"Two tracks have the key {key!r}.")
    return tracks


def default_tracks() -> list[Track]:
    """The tracks shipped with the application (``teleprospect/core/data``)."""
    return tracks_from_dict(read_json("default_tracks.json"))


# ----------------------------------------------------------------------------- suggestions


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@lru_cache(maxsize=8192)
def _contains(text: str, keywords: tuple[str, ...]) -> bool:
    """Whether one of ``keywords`` appears in ``text`` as whole words (a phrase in order).
    Cached: titles and industries repeat across a lead base."""
    words = _words(text)
    if not words:
        return False
    joined = f" {' '.join(words)} "
    return any(f" {' '.join(_words(k))} " in joined for k in keywords)


def _fit(match: TrackMatch, industry: str, title: str, buying_role: str | None) -> int:
    """+1 per rule the lead meets, −1 per rule it is known not to meet; unknown: 0."""
    fit = 0
    for keywords, value in (
        (match.industries, industry),
        (match.functions, title),
    ):
        if keywords and value.strip():
            fit += 1 if _contains(value, keywords) else -1
    if match.roles and buying_role:
        roles = {fold(role.strip()) for role in match.roles}
        fit += 1 if fold(buying_role.strip()) in roles else -1
    return fit


def suggest_tracks(
    tracks: Sequence[Track], *, industry: str, title: str, buying_role: str | None
) -> list[Track]:
    """Every track, the best suited to the lead first.

    A track scores a point for each of its rules the lead meets and loses one for each it
    is known not to meet; a general track (no rules) scores 0, so it comes after tracks
    made for the lead and before tracks made for someone else. Ties keep the given order.
    """
    scored = [
        (-_fit(track.match, industry or "", title or "", buying_role), position, track)
        for position, track in enumerate(tracks)
    ]
    scored.sort(key=lambda item: (item[0], item[1]))
    return [track for _, _, track in scored]


# ----------------------------------------------------------------------------- schedule


def step_due_at(track: Track, index: int, enrolled_at: datetime) -> datetime:
    """When step ``index`` falls due for a track whose first touch (day 0) is ``enrolled_at``."""
    return enrolled_at + timedelta(days=track.steps[index].day_offset)


def next_call_step(
    track: Track, after_index: int, enrolled_at: datetime
) -> tuple[int, datetime] | None:
    """The first step after ``after_index`` that brings a call (its index and due time,
    counted from the track's day 0 at ``enrolled_at``); None when no call is left.
    ``after_index`` −1 looks from the first step on."""
    for index in range(max(after_index + 1, 0), len(track.steps)):
        if track.steps[index].is_call:
            return index, step_due_at(track, index, enrolled_at)
    return None
