"""Qualification scripts: typed questions with branching, answers as data, the readiness rule.

A script is a list of questions, each with an answer type (yes/no, single choice, multiple
choice, number, date, text), help text for the rep ("say it like this"), an optional BANT
category, an optional branch condition (show this question only when an *earlier* answer
matches) and an optional readiness bar (what the answer must be before a lead may go to
sales). Scripts are stored as JSON (:meth:`Script.to_dict` / :meth:`Script.from_dict`),
versioned by the services layer; a call keeps the version it used.

Answers are typed values (:data:`AnswerValue`): ``bool`` for yes/no, the choice *value* for
a single choice, a list of choice values for a multiple choice, ``float`` for numbers,
``datetime.date`` for dates and ``str`` for text. They are what
:class:`teleprospect.core.scoring.engine.ScoreInput` reads, so the same answers give the points.

:func:`parse_answer` reads what a rep (or a dialer) typed and :func:`answer_text` writes a
value back as people read it; the two round-trip. :func:`to_json` / :func:`from_json` are
the storage form.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, NoReturn, cast

from teleprospect.core.data import read_json
from teleprospect.core.errors import Invalid

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "AnswerError",
    "AnswerValue",
    "Bant",
    "Choice",
    "Condition",
    "DisqualifyReason",
    "ExceptionReason",
    "Question",
    "QuestionType",
    "Readiness",
    "ReadinessCheck",
    "ReadyBar",
    "Script",
    "ScriptError",
    "answer_text",
    "canonical_values",
    "default_script",
    "from_json",
    "parse_answer",
    "readiness",
    "to_json",
    "visible_questions",
]

FORMAT_NAME = "teleprospect-script"
#: Bumped when the JSON shape changes; :meth:`Script.from_dict` refuses newer ones.
FORMAT_VERSION = 1

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class ScriptError(Invalid):
    """A script that cannot be used; the message is one sentence a team lead can act on."""


class AnswerError(Invalid):
    """An answer that does not fit its question; the message tells the rep what to type."""


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"

    @property
    def label(self) -> str:
        return {
            "yes_no": "Yes / no",
            "single_choice": "One choice",
            "multi_choice": "Several choices",
            "number": "Number",
            "date": "Date",
            "text": "Text",
        }[self.value]

    @property
    def has_choices(self) -> bool:
        return self in (QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE)


class Bant(StrEnum):
    BUDGET = "budget"
    AUTHORITY = "authority"
    NEED = "need"
    TIMELINE = "timeline"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ExceptionReason(StrEnum):
    """Why a lead goes to sales although the readiness rule does not hold yet."""

    STRATEGIC_ACCOUNT = "strategic_account"
    URGENT_REQUEST = "urgent_request"
    COMPLEX_DEAL = "complex_deal"
    EXISTING_RELATIONSHIP = "existing_relationship"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "strategic_account": "Strategic account",
            "urgent_request": "Urgent request from the lead",
            "complex_deal": "Complex deal, needs a salesperson",
            "existing_relationship": "Existing relationship with sales",
            "other": "Other (say why in the note)",
        }[self.value]

    @property
    def needs_note(self) -> bool:
        return self is ExceptionReason.OTHER


class DisqualifyReason(StrEnum):
    """Why a lead is "chaff"; OTHER needs a note."""

    NO_FIT = "no_fit"
    NO_NEED = "no_need"
    NO_BUDGET = "no_budget"
    NO_AUTHORITY = "no_authority"
    COMPETITOR = "competitor"
    STUDENT = "student"
    DUPLICATE = "duplicate"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "no_fit": "No fit",
            "no_need": "No need",
            "no_budget": "No budget",
            "no_authority": "No authority",
            "competitor": "Competitor",
            "student": "Student",
            "duplicate": "Duplicate",
            "other": "Other (say why in the note)",
        }[self.value]

    @property
    def needs_note(self) -> bool:
        return self is DisqualifyReason.OTHER


#: yes_no -> bool, single_choice -> choice value, multi_choice -> list of choice values,
#: number -> float, date -> date, text -> str.
AnswerValue = bool | str | float | list[str] | date


# ----------------------------------------------------------------------------- the script


@dataclass(frozen=True)
class Choice:
    #: Stored and scored ("decision_maker"); lower-case letters, digits and underscores.
    value: str
    #: What the rep sees ("Decision maker").
    label: str


@dataclass(frozen=True)
class Condition:
    """Show a question only when the answer to ``question_id`` (an earlier question) is one
    of ``any_of``, compared as canonical text (see :func:`canonical_values`)."""

    question_id: str
    any_of: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "any_of", tuple(self.any_of))


@dataclass(frozen=True)
class ReadyBar:
    """What the answer must be for the readiness rule: one of ``any_of`` (canonical text),
    and/or at least ``min_number``. With neither, any answer meets it."""

    any_of: tuple[str, ...] = ()
    min_number: float | None = None
    #: How the readiness checklist names it: "Need confirmed".
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "any_of", tuple(self.any_of))


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: QuestionType
    #: For the rep: "say it like this", and what to listen for.
    help: str = ""
    bant: Bant | None = None
    choices: tuple[Choice, ...] = ()
    show_if: Condition | None = None
    ready_bar: ReadyBar | None = None
    required: bool = False
    #: A short name for lists and breakdowns ("Budget"); the text when empty.
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", QuestionType(self.type))
        object.__setattr__(self, "choices", tuple(self.choices))
        if self.bant is not None:
            object.__setattr__(self, "bant", Bant(self.bant))

    @property
    def title(self) -> str:
        """The short name when there is one, else the question's text."""
        return self.label or self.text

    def choice(self, value: str) -> Choice | None:
        for choice in self.choices:
            if choice.value == value:
                return choice
        return None


@dataclass(frozen=True)
class Script:
    name: str
    questions: tuple[Question, ...]
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "questions", tuple(self.questions))
        _validate(self)
        object.__setattr__(self, "_by_id", {q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question:
        try:
            return self._by_id[question_id]
        except KeyError:
            raise KeyError(f"The script {self.name!r} has no question {question_id!r}.") from None

    def has_question(self, question_id: str) -> bool:
        return question_id in self._by_id

    # -- JSON ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; :meth:`from_dict` reads it back to an equal script."""
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "name": self.name,
            "questions": [_question_to_dict(q) for q in self.questions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Script:
        """A script from :meth:`to_dict` data; raises :class:`ScriptError` naming what is
        wrong and where."""
        return _read_script(data)


def _fail(message: str) -> NoReturn:
    raise ScriptError(message)


def _validate(script: Script) -> None:
    if not isinstance(script.name, str) or not script.name.strip():
        _fail("A script needs a name.")
    if not script.questions:
        _fail(f"The script {script.name!r} has no questions.")
    seen: dict[str, Question] = {}
    for position, q in enumerate(script.questions, start=1):
        where = f"Question {position}"
        if not isinstance(q.id, str) or not _ID.match(q.id):
            _fail(
                f"{where} has the id {q.id!r}; ids are lower-case letters, digits and"
                " underscores, starting with a letter (they link answers to scoring rules)."
            )
        where = f"Question {position} ({q.id})"
        if q.id in seen:
            _fail(f"{where}: another question already has the id {q.id!r}; ids must be unique.")
        if not isinstance(q.text, str) or not q.text.strip():
            _fail(f"{where} has no text to ask.")
        if q.type.has_choices:
            if len(q.choices) < 2:
                _fail(f"{where} is a choice question and needs at least two choices.")
            values = [c.value for c in q.choices]
            for choice in q.choices:
                if not isinstance(choice.value, str) or not _ID.match(choice.value):
                    _fail(
                        f"{where} has the choice value {choice.value!r}; values are lower-case"
                        " letters, digits and underscores, starting with a letter."
                    )
                if not isinstance(choice.label, str) or not choice.label.strip():
                    _fail(f"{where}: the choice {choice.value!r} needs a label.")
                if values.count(choice.value) > 1:
                    _fail(f"{where} lists the choice {choice.value!r} twice.")
        elif q.choices:
            _fail(
                f"{where} is a {q.type.label.lower()} question; only choice questions list choices."
            )
        if q.show_if is not None:
            target = seen.get(q.show_if.question_id)
            if target is None:
                later = any(o.id == q.show_if.question_id for o in script.questions)
                if later or q.show_if.question_id == q.id:
                    _fail(
                        f"{where} depends on {q.show_if.question_id!r}, which is not asked"
                        " before it; a question can only depend on an earlier one."
                    )
                _fail(f"{where} depends on {q.show_if.question_id!r}, which is no question here.")
            if not q.show_if.any_of:
                _fail(f"{where} depends on {target.id!r} but names no answer to show it for.")
            _check_values(target, q.show_if.any_of, f"{where}: the condition on {target.id!r}")
        if q.ready_bar is not None:
            bar = q.ready_bar
            _check_values(q, bar.any_of, f"{where}: the readiness bar")
            if bar.min_number is not None:
                if q.type is not QuestionType.NUMBER:
                    _fail(f"{where}: only number questions can have a minimum in their bar.")
                if isinstance(bar.min_number, bool) or not isinstance(bar.min_number, int | float):
                    _fail(f"{where}: the bar's minimum must be a number.")
                if not math.isfinite(bar.min_number):
                    _fail(f"{where}: the bar's minimum must be a finite number.")
        seen[q.id] = q


def _check_values(question: Question, values: Iterable[str], where: str) -> None:
    """Canonical answer texts named by a condition or bar must be answers the question can
    have, for the types whose answers are a closed set."""
    for value in values:
        if not isinstance(value, str) or not value:
            _fail(f"{where} names an empty answer.")
        if question.type is QuestionType.YES_NO and value not in ("yes", "no"):
            _fail(f"{where} names {value!r}; a yes/no question is answered “yes” or “no”.")
        if question.type.has_choices and question.choice(value) is None:
            known = ", ".join(c.value for c in question.choices)
            _fail(f"{where} names {value!r}, which is not one of its choices ({known}).")
        if question.type is QuestionType.NUMBER:
            try:
                float(value)
            except ValueError:
                _fail(f"{where} names {value!r}, which is not a number.")


def _question_to_dict(q: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": q.id, "text": q.text, "type": q.type.value}
    if q.label:
        data["label"] = q.label
    if q.help:
        data["help"] = q.help
    if q.bant is not None:
        data["bant"] = q.bant.value
    if q.choices:
        data["choices"] = [{"value": c.value, "label": c.label} for c in q.choices]
    if q.show_if is not None:
        data["show_if"] = {"question": q.show_if.question_id, "any_of": list(q.show_if.any_of)}
    if q.ready_bar is not None:
        bar: dict[str, Any] = {"any_of": list(q.ready_bar.any_of)}
        if q.ready_bar.min_number is not None:
            bar["min_number"] = q.ready_bar.min_number
        if q.ready_bar.label:
            bar["label"] = q.ready_bar.label
        data["ready_bar"] = bar
    if q.required:
        data["required"] = True
    return data


def _read_script(data: Mapping[str, Any]) -> Script:
    if not isinstance(data, Mapping):
        _fail(f"A script must be an object, not {type(data).__name__}.")
    fmt = data.get("format", FORMAT_NAME)
    if fmt != FORMAT_NAME:
        _fail(f"This is not a qualification script (its format is {fmt!r}).")
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        _fail(f"The script has no valid format version ({version!r}).")
    if version > FORMAT_VERSION:
        _fail(
            f"This script was saved by a newer Teleprospect (format {version}); this one"
            f" reads format {FORMAT_VERSION} and older."
        )
    name = data.get("name")
    if not isinstance(name, str):
        _fail("A script needs a name.")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list | tuple):
        _fail("A script needs a list of questions.")
    questions = [_read_question(item, i) for i, item in enumerate(raw_questions, start=1)]
    return Script(name, tuple(questions))


def _text(item: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = item.get(key, default)
    if not isinstance(value, str):
        _fail(f"{where}: “{key}” must be text, not {value!r}.")
    return value


def _texts(item: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = item.get(key, [])
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        _fail(f"{where}: “{key}” must be a list of texts.")
    return tuple(values)


def _read_question(item: object, position: int) -> Question:
    where = f"Question {position}"
    if not isinstance(item, Mapping):
        _fail(f"{where} must be an object, not {type(item).__name__}.")
    assert isinstance(item, Mapping)
    qid = _text(item, "id", where)
    where = f"Question {position} ({qid})"
    try:
        qtype = QuestionType(cast(str, item.get("type")))  # unknown values: ValueError
    except ValueError:
        known = ", ".join(t.value for t in QuestionType)
        _fail(f"{where} has the type {item.get('type')!r}; use one of {known}.")
    bant = item.get("bant")
    if bant is not None:
        try:
            bant = Bant(bant)
        except ValueError:
            _fail(
                f"{where} has the BANT category {bant!r}; use budget, authority, need or timeline."
            )
    choices = []
    raw_choices = item.get("choices", [])
    if not isinstance(raw_choices, list | tuple):
        _fail(f"{where}: “choices” must be a list.")
    for choice in raw_choices:
        if not isinstance(choice, Mapping):
            _fail(f"{where}: each choice must be an object with a value and a label.")
        choices.append(Choice(_text(choice, "value", where), _text(choice, "label", where)))
    show_if = None
    if item.get("show_if") is not None:
        raw = item["show_if"]
        if not isinstance(raw, Mapping):
            _fail(f"{where}: “show_if” must be an object with a question and answers.")
        show_if = Condition(_text(raw, "question", where), _texts(raw, "any_of", where))
    ready_bar = None
    if item.get("ready_bar") is not None:
        raw = item["ready_bar"]
        if not isinstance(raw, Mapping):
            _fail(f"{where}: “ready_bar” must be an object.")
        minimum = raw.get("min_number")
        if minimum is not None and (
            isinstance(minimum, bool) or not isinstance(minimum, int | float)
        ):
            _fail(f"{where}: the bar's minimum must be a number, not {minimum!r}.")
        ready_bar = ReadyBar(
            _texts(raw, "any_of", where),
            None if minimum is None else float(minimum),
            _text(raw, "label", where, ""),
        )
    required = item.get("required", False)
    if not isinstance(required, bool):
        _fail(f"{where}: “required” must be true or false.")
    return Question(
        id=qid,
        text=_text(item, "text", where),
        type=qtype,
        help=_text(item, "help", where, ""),
        bant=bant,
        choices=tuple(choices),
        show_if=show_if,
        ready_bar=ready_bar,
        required=required,
        label=_text(item, "label", where, ""),
    )


def default_script() -> Script:
    """The BANT script shipped with the application (``teleprospect/core/data``)."""
    return Script.from_dict(read_json("default_script.json"))


# ----------------------------------------------------------------------------- answers


def _number_text(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,}"


def canonical_values(question: Question, value: AnswerValue) -> tuple[str, ...]:
    """The answer as the texts conditions and bars compare with: "yes"/"no", the choice
    value, each value of a multiple choice, the number ("12000", "2.5"), the ISO date."""
    if isinstance(value, bool):
        return ("yes" if value else "no",)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    if isinstance(value, date):
        return (value.isoformat(),)
    if isinstance(value, int | float):
        number = float(value)
        return (str(int(number)) if number == int(number) and abs(number) < 1e15 else str(number),)
    return (str(value),)


def _matches(question: Question, value: AnswerValue, any_of: Sequence[str]) -> bool:
    if question.type is QuestionType.NUMBER and isinstance(value, int | float):
        wanted = set()
        for text in any_of:
            try:
                wanted.add(float(text))
            except ValueError:
                continue
        return float(value) in wanted
    return any(text in any_of for text in canonical_values(question, value))


def visible_questions(script: Script, answers: Mapping[str, AnswerValue]) -> list[Question]:
    """The questions to ask given the answers so far, in script order: a question with a
    condition shows only when its earlier question is itself shown and answered to match."""
    shown: dict[str, Question] = {}
    for question in script.questions:
        condition = question.show_if
        if condition is not None:
            source = shown.get(condition.question_id)
            answer = answers.get(condition.question_id)
            if source is None or answer is None or not _matches(source, answer, condition.any_of):
                continue
        shown[question.id] = question
    return list(shown.values())


_YES = frozenset({"yes", "y", "true", "1", "ja", "j", "oui", "si", "sí", "sim"})
_NO = frozenset({"no", "n", "false", "0", "nein", "non", "nee", "não", "nao"})
_SCALE = {"k": 1e3, "m": 1e6}
_CURRENCY = "$€£¥₹"


def _parse_number(text: str) -> float:
    raw = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    for symbol in _CURRENCY:
        raw = raw.replace(symbol, "")
    raw = raw.replace(" ", "").replace("'", "")
    scale = 1.0
    if raw[-1:].lower() in _SCALE and not raw[-1:].isdigit():
        scale = _SCALE[raw[-1].lower()]
        raw = raw[:-1]
    if "," in raw and "." in raw:
        # The last separator is the decimal one: "12,000.50" or "12.000,50".
        decimal = "." if raw.rfind(".") > raw.rfind(",") else ","
        group = "," if decimal == "." else "."
        raw = raw.replace(group, "").replace(decimal, ".")
    elif "," in raw:
        head, *groups = raw.split(",")
        if head and all(len(g) == 3 and g.isdigit() for g in groups):
            raw = raw.replace(",", "")  # "12,000" or "1,200,000"
        elif len(groups) == 1:
            raw = raw.replace(",", ".")  # "12,5"
    elif raw.count(".") > 1:
        head, *groups = raw.split(".")
        if head and all(len(g) == 3 and g.isdigit() for g in groups):
            raw = raw.replace(".", "")  # "1.200.000"
    try:
        number = float(raw) * scale
    except ValueError:
        raise AnswerError(f"Enter a number (for example 12,000), not {text.strip()!r}.") from None
    if not math.isfinite(number):
        raise AnswerError(f"Enter a number (for example 12,000), not {text.strip()!r}.")
    return number


def _parse_choice(question: Question, text: str) -> str:
    wanted = text.strip()
    folded = wanted.casefold()
    for choice in question.choices:
        if choice.value == wanted or choice.value.casefold() == folded:
            return choice.value
    for choice in question.choices:
        if choice.label.casefold() == folded:
            return choice.value
    if wanted.isdigit() and 1 <= int(wanted) <= len(question.choices):
        return question.choices[int(wanted) - 1].value
    options = ", ".join(f"{c.label} ({c.value})" for c in question.choices)
    raise AnswerError(f"Choose one of: {options}; {wanted!r} is none of them.")


def parse_answer(question: Question, text: str) -> AnswerValue:
    """What a rep or a dialer typed, as the question's typed value.

    Choices are found by value, label (any case) or position (1, 2, …); several choices
    are separated by commas. Numbers may have thousands separators, a currency sign and a
    k/m suffix ("12,000", "$12k"). Dates are ISO (2026-03-01). Raises :class:`AnswerError`
    with what to type instead.
    """
    if not isinstance(text, str) or not text.strip():
        raise AnswerError(f"No answer given to “{question.title}”.")
    stripped = text.strip()
    kind = question.type
    if kind is QuestionType.YES_NO:
        folded = stripped.casefold()
        if folded in _YES:
            return True
        if folded in _NO:
            return False
        raise AnswerError(f"Answer yes or no, not {stripped!r}.")
    if kind is QuestionType.SINGLE_CHOICE:
        return _parse_choice(question, stripped)
    if kind is QuestionType.MULTI_CHOICE:
        parts = [part for part in re.split(r"[,;]", stripped) if part.strip()]
        chosen = {_parse_choice(question, part) for part in parts}
        if not chosen:
            raise AnswerError(f"No answer given to “{question.title}”.")
        return [c.value for c in question.choices if c.value in chosen]
    if kind is QuestionType.NUMBER:
        return _parse_number(stripped)
    if kind is QuestionType.DATE:
        try:
            return date.fromisoformat(stripped.replace("/", "-"))
        except ValueError:
            raise AnswerError(f"Enter a date as YYYY-MM-DD, not {stripped!r}.") from None
    return stripped


def answer_text(question: Question, value: AnswerValue) -> str:
    """The answer as people read it: "Yes", a choice's label, "12,000", an ISO date."""
    kind = question.type
    if kind is QuestionType.YES_NO and isinstance(value, bool):
        return "Yes" if value else "No"
    if kind.has_choices:
        values = value if isinstance(value, list | tuple) else [value]
        labels = []
        for item in values:
            choice = question.choice(str(item))
            labels.append(choice.label if choice is not None else str(item))
        return ", ".join(labels)
    if (
        kind is QuestionType.NUMBER
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        return _number_text(float(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_json(question: Question, value: AnswerValue) -> Any:
    """The storage form of an answer (checked against the question): JSON-able data."""
    return _checked(question, value, stored=False)


def from_json(question: Question, raw: Any) -> AnswerValue:
    """An answer read back from its storage form; raises :class:`AnswerError` when it does
    not fit the question (the script changed since it was given)."""
    value = _checked(question, raw, stored=True)
    if question.type is QuestionType.DATE:
        return date.fromisoformat(value)
    return value  # type: ignore[no-any-return]


def _checked(question: Question, value: Any, *, stored: bool) -> Any:
    kind = question.type
    where = f"“{question.title}”"
    if kind is QuestionType.YES_NO:
        if not isinstance(value, bool):
            raise AnswerError(f"{where} is answered yes or no, not {value!r}.")
        return value
    if kind is QuestionType.SINGLE_CHOICE:
        if not isinstance(value, str) or question.choice(value) is None:
            known = ", ".join(c.value for c in question.choices)
            raise AnswerError(f"{where} is answered with one of {known}, not {value!r}.")
        return value
    if kind is QuestionType.MULTI_CHOICE:
        if not isinstance(value, list | tuple) or not value:
            raise AnswerError(f"{where} is answered with a list of its choices, not {value!r}.")
        for item in value:
            if not isinstance(item, str) or question.choice(item) is None:
                known = ", ".join(c.value for c in question.choices)
                raise AnswerError(f"{where} is answered with some of {known}, not {item!r}.")
        chosen = set(value)
        return [c.value for c in question.choices if c.value in chosen]
    if kind is QuestionType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnswerError(f"{where} is answered with a number, not {value!r}.")
        if not math.isfinite(value):
            raise AnswerError(f"{where} is answered with a finite number, not {value!r}.")
        return float(value)
    if kind is QuestionType.DATE:
        if stored:
            if not isinstance(value, str):
                raise AnswerError(f"{where} is answered with a date, not {value!r}.")
            try:
                date.fromisoformat(value)
            except ValueError:
                raise AnswerError(f"{where} is answered with a date, not {value!r}.") from None
            return value
        if not isinstance(value, date):
            raise AnswerError(f"{where} is answered with a date, not {value!r}.")
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        raise AnswerError(f"{where} is answered with some text, not {value!r}.")
    return value


# ----------------------------------------------------------------------------- readiness


@dataclass(frozen=True)
class ReadinessCheck:
    label: str
    met: bool
    #: What was found: "Yes", "not answered yet", "12 points short".
    detail: str


@dataclass(frozen=True)
class Readiness:
    ready: bool
    checks: tuple[ReadinessCheck, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """The labels of the checks not met yet."""
        return tuple(check.label for check in self.checks if not check.met)


def _bar_label(question: Question) -> str:
    bar = question.ready_bar
    assert bar is not None
    if bar.label:
        return bar.label
    wanted = [answer_text(question, _bar_value(question, v)) for v in bar.any_of]
    parts = []
    if wanted:
        parts.append(" or ".join(wanted))
    if bar.min_number is not None:
        parts.append(f"at least {_number_text(bar.min_number)}")
    return f"{question.title}: {', '.join(parts)}" if parts else f"{question.title} answered"


def _bar_value(question: Question, text: str) -> AnswerValue:
    if question.type is QuestionType.YES_NO:
        return text == "yes"
    if question.type is QuestionType.NUMBER:
        return float(text)
    return text


def _meets(question: Question, value: AnswerValue) -> bool:
    bar = question.ready_bar
    assert bar is not None
    if bar.any_of and not _matches(question, value, bar.any_of):
        return False
    if bar.min_number is not None:
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and value >= bar.min_number
        )
    return True


def readiness(
    script: Script, answers: Mapping[str, AnswerValue], score: int, threshold: int
) -> Readiness:
    """The readiness rule as a checklist: the score reaches the threshold, and every
    question with a bar is asked, answered and meets it."""
    short = threshold - score
    checks = [
        ReadinessCheck(
            f"Score {score} of at least {threshold}",
            score >= threshold,
            "" if short <= 0 else f"{short} point{'s' if short != 1 else ''} short",
        )
    ]
    shown = {q.id for q in visible_questions(script, answers)}
    for question in script.questions:
        if question.ready_bar is None:
            continue
        label = _bar_label(question)
        value = answers.get(question.id)
        if question.id not in shown:
            checks.append(ReadinessCheck(label, False, "not asked: an earlier answer skips it"))
        elif value is None:
            checks.append(ReadinessCheck(label, False, "not answered yet"))
        else:
            checks.append(
                ReadinessCheck(label, _meets(question, value), answer_text(question, value))
            )
    return Readiness(all(check.met for check in checks), tuple(checks))
