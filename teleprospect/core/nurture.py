"""Nurture tracks: ordered touch steps, rules that suggest a track, the next call step.

A track is a list of touches (call, email, content, invitation, letter, social, task,
wait), each ``day_offset`` **business days** after the track starts (weekends and the
lead's public holidays do not count, see :mod:`teleprospect.core.business_days`); a touch
may come *with a call* ("case study with follow-up call"). A step may carry a message
template (merge fields from the lead and its campaign) and an owner other than the lead's
rep. A track says what pauses it (the lead's responses, a score crossing a bar) and what
happens at its end (:class:`EndRule`). A lead sits in at most one track at a time. Calls
are what bring a nurture lead back to a rep's queue; every other touch is listed as due
for its owner.

Files: format version 2 counts business days; version 1 files (calendar days, the kinds
"mail" and "event") are read and converted.

Tracks are suggested by their match rules (industry, job function read from the title,
role in the buying process): :func:`suggest_tracks` lists every track, best match first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any, NoReturn, cast
from zoneinfo import ZoneInfo

from teleprospect.core.business_days import touch_due_at
from teleprospect.core.data import read_json
from teleprospect.core.errors import Invalid
from teleprospect.core.normalise import fold

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "EndAction",
    "EndRule",
    "ExitRules",
    "ResponseKind",
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
FORMAT_VERSION = 2
_UTC = ZoneInfo("UTC")
_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")
_WORD = re.compile(r"[^\W_]+")


class TrackError(Invalid):
    """A track that cannot be used; the message is one sentence naming what is wrong."""


class TouchKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    CONTENT = "content"
    INVITATION = "invitation"
    LETTER = "letter"
    SOCIAL = "social"
    TASK = "task"
    #: A pause in the track: done by itself when it falls due.
    WAIT = "wait"

    @property
    def label(self) -> str:
        return {
            "call": "Call",
            "email": "Email",
            "content": "Content",
            "invitation": "Invitation",
            "letter": "Letter",
            "social": "Social",
            "task": "Task",
            "wait": "Wait",
        }[self.value]


#: Kinds of format version 1 files, by their new names.
_V1_KINDS = {"mail": "letter", "event": "invitation"}


class ResponseKind(StrEnum):
    """What a lead did that answers nurture: it pauses the track and brings the lead to
    its owner's call queue (opt-out and meeting booked end the track instead)."""

    REPLIED = "replied"
    CLICKED = "clicked"
    REGISTERED = "registered"
    ATTENDED = "attended"
    FORM = "form"
    #: The score crossed the track's call bar.
    SCORE = "score"
    OPTED_OUT = "opted_out"
    MEETING_BOOKED = "meeting_booked"

    @property
    def label(self) -> str:
        return {
            "replied": "replied",
            "clicked": "clicked",
            "registered": "registered",
            "attended": "attended",
            "form": "filled a form",
            "score": "score crossed the call bar",
            "opted_out": "opted out",
            "meeting_booked": "meeting booked",
        }[self.value]

    @property
    def ends_track(self) -> bool:
        return self in (ResponseKind.OPTED_OUT, ResponseKind.MEETING_BOOKED)


#: The responses that bring a lead back to a call (every track pauses on these unless
#: its exit rules say otherwise).
CALL_RESPONSES = (
    ResponseKind.REPLIED,
    ResponseKind.CLICKED,
    ResponseKind.REGISTERED,
    ResponseKind.ATTENDED,
    ResponseKind.FORM,
    ResponseKind.SCORE,
)


class EndAction(StrEnum):
    """What happens when a lead has had every touch of its track."""

    #: Back to the owner's call queue for a re-qualification call.
    REQUALIFY = "requalify"
    #: On to another track.
    TRACK = "track"
    #: Recycled: the lead leaves nurture, disqualified with the rule's reason ("recycle").
    RECYCLE = "recycle"
    DISQUALIFY = "disqualify"


@dataclass(frozen=True)
class EndRule:
    action: EndAction = EndAction.REQUALIFY
    #: The next track's key (``action`` = track).
    track: str = ""
    #: The disqualify reason code (``action`` recycle or disqualify).
    reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", EndAction(self.action))

    @property
    def text(self) -> str:
        if self.action is EndAction.REQUALIFY:
            return "back to the call queue for a re-qualification call"
        if self.action is EndAction.TRACK:
            return f"on to the track {self.track}"
        return f"{self.action.value} ({self.reason})"


@dataclass(frozen=True)
class ExitRules:
    """What pauses the track and calls the lead: these responses, and a score at or above
    ``score_at_least`` (None: the team's sales-ready threshold)."""

    pause_on: tuple[ResponseKind, ...] = CALL_RESPONSES
    score_at_least: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "pause_on", tuple(ResponseKind(k) for k in self.pause_on))


@dataclass(frozen=True)
class TrackStep:
    #: Days after the track's first touch.
    day_offset: int
    kind: TouchKind
    title: str
    #: The touch is followed up by a phone call (so the lead comes back to a queue).
    with_call: bool = False
    #: The message of an email (or letter) touch: a first line "Subject: …", then the
    #: body, with merge fields such as {first_name} (see core.nurture_touches).
    template: str = ""
    #: Who does the touch: "" the lead's rep, else a user's login (a marketing user).
    owner: str = ""

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
    #: Who does the touches without an owner of their own: "" the lead's rep, or a login.
    owner: str = ""
    exits: ExitRules = ExitRules()
    end: EndRule = EndRule()

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        _validate(self)

    def step_owner(self, index: int) -> str:
        """The login that does step ``index`` ("": the lead's rep)."""
        return self.steps[index].owner or self.owner

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
        if self.owner:
            data["owner"] = self.owner
        data["exits"] = {
            "pause_on": [k.value for k in self.exits.pause_on],
            "score_at_least": self.exits.score_at_least,
        }
        data["end"] = {
            "action": self.end.action.value,
            "track": self.end.track,
            "reason": self.end.reason,
        }
        steps = []
        for s in self.steps:
            step: dict[str, Any] = {
                "day": s.day_offset,
                "kind": s.kind.value,
                "title": s.title,
                "with_call": s.with_call,
            }
            if s.template:
                step["template"] = s.template
            if s.owner:
                step["owner"] = s.owner
            steps.append(step)
        data["steps"] = steps
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, version: int = FORMAT_VERSION) -> Track:
        """A track from :meth:`to_dict` data; raises :class:`TrackError` naming what is
        wrong and where. ``version`` 1: days are calendar days, converted to business days."""
        return _read_track(data, version)


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
    if track.end.action is EndAction.TRACK and not track.end.track:
        _fail(f"{where} ends by moving the lead to another track; name that track.")
    if track.end.action is EndAction.TRACK and track.end.track == track.key:
        _fail(f"{where} cannot end by starting itself again.")
    if track.end.action in (EndAction.RECYCLE, EndAction.DISQUALIFY) and not track.end.reason:
        _fail(f"{where} ends by {track.end.action.value}: give the reason code.")
    bar = track.exits.score_at_least
    if bar is not None and (
        isinstance(bar, bool) or not isinstance(bar, int) or not 0 <= bar <= 100
    ):
        _fail(f"{where}: the score that calls the lead must be 0 to 100, not {bar!r}.")


def _calendar_to_business(days: int) -> int:
    """A version-1 offset in calendar days as business days (five in every seven)."""
    return round(days * 5 / 7)


def _read_exits(where: str, raw: Any) -> ExitRules:
    if raw is None:
        return ExitRules()
    if not isinstance(raw, Mapping):
        _fail(f"{where}: “exits” must be an object.")
    pause_on = raw.get("pause_on", [k.value for k in CALL_RESPONSES])
    if not isinstance(pause_on, list | tuple):
        _fail(f"{where}: exits.pause_on must be a list of responses.")
    kinds = []
    for value in pause_on:
        try:
            kinds.append(ResponseKind(value))
        except ValueError:
            known = ", ".join(k.value for k in ResponseKind)
            _fail(f"{where}: exits.pause_on lists {value!r}; use some of {known}.")
    return ExitRules(tuple(kinds), raw.get("score_at_least"))


def _read_end(where: str, raw: Any) -> EndRule:
    if raw is None:
        return EndRule()
    if not isinstance(raw, Mapping):
        _fail(f"{where}: “end” must be an object.")
    try:
        action = EndAction(raw.get("action", EndAction.REQUALIFY.value))
    except ValueError:
        known = ", ".join(a.value for a in EndAction)
        _fail(f"{where}: end.action {raw.get('action')!r} is none of {known}.")
    track, reason = raw.get("track", "") or "", raw.get("reason", "") or ""
    if not isinstance(track, str) or not isinstance(reason, str):
        _fail(f"{where}: end.track and end.reason must be text.")
    return EndRule(action, track, reason)


def _read_track(data: Mapping[str, Any], version: int = FORMAT_VERSION) -> Track:
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
        raw_kind = item.get("kind")
        if version < 2 and isinstance(raw_kind, str):
            raw_kind = _V1_KINDS.get(raw_kind, raw_kind)
            if day >= 0:
                day = _calendar_to_business(day)
        try:
            kind = TouchKind(cast(str, raw_kind))  # unknown values: ValueError
        except ValueError:
            known = ", ".join(k.value for k in TouchKind)
            _fail(f"{where}: step {number} has the kind {item.get('kind')!r}; use one of {known}.")
        with_call = item.get("with_call", False)
        if not isinstance(with_call, bool):
            _fail(f"{where}: step {number}'s “with_call” must be true or false.")
        steps.append(
            TrackStep(
                day,
                kind,
                text(item, "title"),
                with_call,
                template=text(item, "template", ""),
                owner=text(item, "owner", ""),
            )
        )
    return Track(
        key=key,
        name=text(data, "name"),
        steps=tuple(steps),
        match=TrackMatch(**lists),
        description=text(data, "description", ""),
        owner=text(data, "owner", ""),
        exits=_read_exits(where, data.get("exits")),
        end=_read_end(where, data.get("end")),
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
    tracks = [Track.from_dict(item, version=version) for item in items]
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


def step_due_at(
    track: Track,
    index: int,
    enrolled_at: datetime,
    *,
    zone: ZoneInfo | None = None,
    country: str | None = None,
) -> datetime:
    """When step ``index`` falls due for a track whose day 0 is ``enrolled_at``: that many
    business days later in the lead's ``zone`` and ``country`` (without them: weekdays in
    UTC, for summaries that know no lead)."""
    days = track.steps[index].day_offset
    return touch_due_at(enrolled_at, days, zone or _UTC, country)


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
