"""Scoring rules as data: what earns points, parsed, checked and shipped by default.

Rules are what team leads edit (and version): points for fit attributes (title, industry,
company size, country), engagement events with a half-life and a cap per kind,
qualification answers, negative points, grade bands and the sales-ready thresholds. They
travel as JSON (:meth:`ScoringRules.to_dict` / :meth:`ScoringRules.from_dict`, which
names the path of anything malformed); the defaults ship in ``teleprospect/core/data``.

Computing a score from them is :mod:`teleprospect.core.scoring.engine`'s job.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NoReturn, cast

from teleprospect.core.data import read_json
from teleprospect.core.domain import EngagementKind
from teleprospect.core.errors import Invalid
from teleprospect.core.normalise import fold

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_SCORE",
    "AnswerRule",
    "AnswerType",
    "EngagementRule",
    "FitRules",
    "GradeBand",
    "KeywordRule",
    "NegativeRules",
    "ScoreCategory",
    "ScoringRules",
    "ScoringRulesError",
    "SizeBand",
    "Thresholds",
    "default_rules",
    "keyword_words",
]

FORMAT_NAME = "teleprospect-scoring-rules"
#: Bumped when the JSON shape changes; :meth:`ScoringRules.from_dict` refuses newer ones.
FORMAT_VERSION = 1
MAX_SCORE = 100


class ScoringRulesError(Invalid):
    """Rules that cannot be used; the message is one sentence a team lead can act on."""


class ScoreCategory(StrEnum):
    FIT = "fit"
    ENGAGEMENT = "engagement"
    QUALIFICATION = "qualification"
    NEGATIVE = "negative"
    #: The line that brings a sum outside 0..100 back into range.
    LIMIT = "limit"


class AnswerType(StrEnum):
    YES_NO = "yes_no"
    CHOICE = "choice"
    NUMBER = "number"


# ----------------------------------------------------------------------------- rules

_WORD = re.compile(r"[^\W_]+")


def keyword_words(text: str) -> list[str]:
    """The words of ``text`` as keywords are matched: folded, letters and digits only."""
    return _WORD.findall(fold(text))


def _frozen_map(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _fail(message: str) -> NoReturn:
    raise ScoringRulesError(message)


def _check_points(value: object, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        _fail(f"{where} must be a number of points, not {value!r}.")


def _check_negative(value: float, where: str) -> None:
    _check_points(value, where)
    if value > 0:
        _fail(f"{where} takes points away, so it must be zero or below, not {value}.")


@dataclass(frozen=True)
class KeywordRule:
    """Points for a text (title, industry) containing one of ``keywords``.

    Keywords are matched as whole words, ignoring case and accents ("Geschäftsführer"
    matches "geschaftsfuhrer"); several words match as a phrase ("head of"). A trailing
    ``*`` matches the start of a word ("geschäftsführ*" also finds "Geschäftsführerin"), a
    leading ``*`` its end ("*leiter" finds "Vertriebsleiter"): German and Dutch write job
    titles as compound words. When keywords of several rules match, the longest keyword
    wins ("managing director" over "director", "product owner" over "owner"), then the
    rule listed first.
    """

    label: str
    keywords: tuple[str, ...]
    points: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "keywords", tuple(self.keywords))
        if not self.label.strip():
            _fail("Every keyword rule needs a label that says what it stands for.")
        _check_points(self.points, f"The points of “{self.label}”")
        if not self.keywords:
            _fail(f"The rule “{self.label}” needs at least one keyword.")
        for keyword in self.keywords:
            if not keyword_words(keyword.strip("*")):
                _fail(f"The rule “{self.label}” has a keyword without letters: {keyword!r}.")
            if "*" in keyword.strip("*") or (keyword.startswith("*") and keyword.endswith("*")):
                _fail(
                    f"The keyword {keyword!r} of “{self.label}” may have a * at its start or"
                    " its end, not both and not inside."
                )
            if "*" in keyword and len(keyword_words(keyword.strip("*"))) > 1:
                _fail(f"The keyword {keyword!r} of “{self.label}” uses * but is several words.")


@dataclass(frozen=True)
class SizeBand:
    """Points for a company with ``min_employees`` to ``max_employees`` (inclusive;
    ``None``: no upper bound)."""

    min_employees: int
    max_employees: int | None
    points: int

    def __post_init__(self) -> None:
        _check_points(self.points, "The points of a company-size band")
        if self.min_employees < 0 or (
            self.max_employees is not None and self.max_employees < self.min_employees
        ):
            _fail(
                f"The company-size band {self.min_employees}–{self.max_employees} is empty;"
                " its upper bound must not be below its lower bound."
            )

    @property
    def label(self) -> str:
        if self.max_employees is None:
            return f"company of {self.min_employees:,}+ employees"
        return f"company of {self.min_employees:,}–{self.max_employees:,} employees"


@dataclass(frozen=True)
class FitRules:
    """Who the lead is. Each list yields at most one line: the best match."""

    seniority: tuple[KeywordRule, ...] = ()
    job_functions: tuple[KeywordRule, ...] = ()
    industries: tuple[KeywordRule, ...] = ()
    company_sizes: tuple[SizeBand, ...] = ()
    #: ISO 3166 alpha-2 code → points.
    countries: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("seniority", "job_functions", "industries", "company_sizes"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        countries = {code.upper(): points for code, points in self.countries.items()}
        for code, points in countries.items():
            if len(code) != 2 or not code.isalpha():
                _fail(f"Countries are two-letter ISO codes such as DE or US, not {code!r}.")
            _check_points(points, f"The points for country {code}")
        object.__setattr__(self, "countries", _frozen_map(countries))
        bands = sorted(self.company_sizes, key=lambda b: b.min_employees)
        for lower, upper in zip(bands, bands[1:], strict=False):
            if lower.max_employees is None or lower.max_employees >= upper.min_employees:
                _fail(
                    f"The company-size bands starting at {lower.min_employees:,} and"
                    f" {upper.min_employees:,} employees overlap."
                )


@dataclass(frozen=True)
class EngagementRule:
    """Points per event of one kind, halving every ``half_life_days``, at most ``cap``
    for all events of that kind together."""

    kind: EngagementKind
    #: What the lead did, as a past-tense phrase: "downloaded content".
    description: str
    points: float
    half_life_days: float
    cap: float

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", EngagementKind(self.kind))
        except ValueError:
            known = ", ".join(k.value for k in EngagementKind)
            _fail(f"{self.kind!r} is not an engagement kind (known kinds: {known}).")
        where = f"The engagement rule for {self.kind.label.lower()}"
        _check_points(self.points, f"{where}: points")
        _check_points(self.cap, f"{where}: cap")
        if not isinstance(self.half_life_days, int | float) or not self.half_life_days > 0:
            _fail(f"{where} needs a half-life of more than 0 days, not {self.half_life_days!r}.")
        if self.points < 0 or self.cap < 0:
            _fail(f"{where} must give points, not take them (use negative rules for that).")


@dataclass(frozen=True)
class AnswerRule:
    """Points for the answer to one qualification question.

    ``yes_no`` and ``choice`` answers look their value up in ``points`` (yes/no as
    ``"yes"``/``"no"``; a multiple choice answer given as a list adds up its choices);
    ``number`` answers get the points of the highest threshold they reach.
    """

    question_id: str
    #: How the question reads in a breakdown line: "Budget", "Timeline".
    label: str
    answer_type: AnswerType
    points: Mapping[str, int] = field(default_factory=dict)
    #: (minimum value, points), for number answers.
    thresholds: tuple[tuple[float, int], ...] = ()

    def __post_init__(self) -> None:
        where = f"The question “{self.label or self.question_id}”"
        if not self.question_id.strip():
            _fail("Every qualification rule needs the id of its question.")
        try:
            object.__setattr__(self, "answer_type", AnswerType(self.answer_type))
        except ValueError:
            _fail(f"{where} has answer type {self.answer_type!r}; use yes_no, choice or number.")
        points = {str(k).casefold(): v for k, v in self.points.items()}
        for answer, value in points.items():
            _check_points(value, f"{where}: the points for “{answer}”")
        object.__setattr__(self, "points", _frozen_map(points))
        thresholds = tuple(sorted((float(t), p) for t, p in self.thresholds))
        object.__setattr__(self, "thresholds", thresholds)
        if self.answer_type is AnswerType.NUMBER:
            if not thresholds:
                _fail(f"{where} is answered with a number and needs at least one threshold.")
            for _, value in thresholds:
                _check_points(value, f"{where}: threshold points")
        elif not points:
            _fail(f"{where} gives no points for any answer.")
        elif self.answer_type is AnswerType.YES_NO and not set(points) <= {"yes", "no"}:
            _fail(f"{where} is a yes/no question; give points for “yes” and “no” only.")


@dataclass(frozen=True)
class NegativeRules:
    """Points taken away. All values are zero or below."""

    student_points: int = 0
    #: Title keywords (same syntax as :class:`KeywordRule`) that mark a student or intern.
    student_keywords: tuple[str, ...] = ()
    competitor_points: int = 0
    #: Company names ("Acme Corp", matched without legal form) or email domains ("acme.com").
    competitors: tuple[str, ...] = ()
    free_mail_points: int = 0
    free_mail_domains: tuple[str, ...] = ()
    invalid_phone_points: int = 0

    def __post_init__(self) -> None:
        for name in ("student_keywords", "competitors", "free_mail_domains"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        _check_negative(self.student_points, "The student penalty")
        _check_negative(self.competitor_points, "The competitor penalty")
        _check_negative(self.free_mail_points, "The free-mail penalty")
        _check_negative(self.invalid_phone_points, "The invalid-phone penalty")
        if self.student_keywords:
            KeywordRule("student", self.student_keywords, 0)  # same keyword checks


@dataclass(frozen=True)
class GradeBand:
    """Scores of ``min_score`` and above (up to the next band) get this grade."""

    min_score: int
    grade: str
    label: str


DEFAULT_BANDS = (
    GradeBand(80, "A", "Hot"),
    GradeBand(60, "B", "Warm"),
    GradeBand(40, "C", "Cool"),
    GradeBand(0, "D", "Cold"),
)


@dataclass(frozen=True)
class Thresholds:
    """Named scores, so everyone speaks the same language about them.

    ``sales_ready`` is high on purpose: sales must trust what arrives.
    """

    sales_ready: int = 75
    bands: tuple[GradeBand, ...] = DEFAULT_BANDS

    def __post_init__(self) -> None:
        bands = tuple(sorted(self.bands, key=lambda b: b.min_score, reverse=True))
        object.__setattr__(self, "bands", bands)
        if not 0 <= self.sales_ready <= MAX_SCORE:
            _fail(f"The sales-ready threshold must be between 0 and 100, not {self.sales_ready}.")
        if not bands or bands[-1].min_score != 0:
            _fail("The lowest grade band must start at 0, so that every score has a grade.")
        if len({b.min_score for b in bands}) != len(bands):
            _fail("Two grade bands start at the same score.")
        if len({b.grade for b in bands}) != len(bands):
            _fail("Two grade bands have the same grade.")
        if bands[0].min_score > MAX_SCORE:
            _fail(f"The grade band {bands[0].grade} starts above the maximum score of 100.")

    def grade_for(self, score: float) -> GradeBand:
        for band in self.bands:
            if score >= band.min_score:
                return band
        return self.bands[-1]

    def is_sales_ready(self, score: float) -> bool:
        return score >= self.sales_ready


@dataclass(frozen=True)
class ScoringRules:
    """Everything that decides a score; stored as JSON, edited by team leads."""

    fit: FitRules = FitRules()
    engagement: tuple[EngagementRule, ...] = ()
    qualification: tuple[AnswerRule, ...] = ()
    negative: NegativeRules = NegativeRules()
    thresholds: Thresholds = Thresholds()

    def __post_init__(self) -> None:
        object.__setattr__(self, "engagement", tuple(self.engagement))
        object.__setattr__(self, "qualification", tuple(self.qualification))
        kinds = [rule.kind for rule in self.engagement]
        for kind in set(kinds):
            if kinds.count(kind) > 1:
                _fail(f"There are two engagement rules for {kind.label.lower()}.")
        questions = [rule.question_id for rule in self.qualification]
        for question in set(questions):
            if questions.count(question) > 1:
                _fail(f"There are two qualification rules for question {question!r}.")

    def grade_for(self, score: float) -> GradeBand:
        return self.thresholds.grade_for(score)

    # -- JSON ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; :meth:`from_dict` reads it back to equal rules."""

        def keyword_rules(rules: Sequence[KeywordRule]) -> list[dict[str, Any]]:
            return [
                {"label": r.label, "keywords": list(r.keywords), "points": r.points} for r in rules
            ]

        fit, neg = self.fit, self.negative
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "fit": {
                "seniority": keyword_rules(fit.seniority),
                "job_functions": keyword_rules(fit.job_functions),
                "industries": keyword_rules(fit.industries),
                "company_sizes": [
                    {"min": b.min_employees, "max": b.max_employees, "points": b.points}
                    for b in fit.company_sizes
                ],
                "countries": dict(fit.countries),
            },
            "engagement": [
                {
                    "kind": r.kind.value,
                    "description": r.description,
                    "points": r.points,
                    "half_life_days": r.half_life_days,
                    "cap": r.cap,
                }
                for r in self.engagement
            ],
            "qualification": [
                {
                    "question_id": r.question_id,
                    "label": r.label,
                    "answer_type": r.answer_type.value,
                    "points": dict(r.points),
                    "thresholds": [[t, p] for t, p in r.thresholds],
                }
                for r in self.qualification
            ],
            "negative": {
                "student": {"points": neg.student_points, "keywords": list(neg.student_keywords)},
                "competitor": {"points": neg.competitor_points, "names": list(neg.competitors)},
                "free_mail": {
                    "points": neg.free_mail_points,
                    "domains": list(neg.free_mail_domains),
                },
                "invalid_phone": {"points": neg.invalid_phone_points},
            },
            "thresholds": {
                "sales_ready": self.thresholds.sales_ready,
                "bands": [
                    {"min_score": b.min_score, "grade": b.grade, "label": b.label}
                    for b in self.thresholds.bands
                ],
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringRules:
        """Rules from :meth:`to_dict` data; raises :class:`ScoringRulesError` with one
        sentence naming what is wrong and where."""
        return _RulesReader().read(data)


def default_rules() -> ScoringRules:
    """The rules shipped with the application (``teleprospect/core/data``), read without Qt."""
    return ScoringRules.from_dict(read_json("default_scoring_rules.json"))


class _RulesReader:
    """Reads the JSON shape, naming the path of anything malformed ("fit.seniority[2]")."""

    def read(self, data: Mapping[str, Any]) -> ScoringRules:
        root = self._mapping(data, "the scoring rules")
        if root.get("format") != FORMAT_NAME:
            _fail(f"This is not a scoring-rules file (its format is {root.get('format')!r}).")
        version = root.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            _fail(f"The scoring rules have no valid format version ({version!r}).")
        if version > FORMAT_VERSION:
            _fail(
                f"These scoring rules were saved by a newer Teleprospect (format {version});"
                f" this one reads format {FORMAT_VERSION} and older."
            )
        fit = self._mapping(root.get("fit", {}), "fit")
        neg = self._mapping(root.get("negative", {}), "negative")
        thresholds = self._mapping(root.get("thresholds", {}), "thresholds")
        student = self._mapping(neg.get("student", {}), "negative.student")
        competitor = self._mapping(neg.get("competitor", {}), "negative.competitor")
        free_mail = self._mapping(neg.get("free_mail", {}), "negative.free_mail")
        invalid_phone = self._mapping(neg.get("invalid_phone", {}), "negative.invalid_phone")
        return ScoringRules(
            fit=FitRules(
                seniority=self._keyword_rules(fit, "seniority"),
                job_functions=self._keyword_rules(fit, "job_functions"),
                industries=self._keyword_rules(fit, "industries"),
                company_sizes=tuple(
                    SizeBand(
                        self._int(item, "min", f"fit.company_sizes[{i}]"),
                        None
                        if item.get("max") is None
                        else self._int(item, "max", f"fit.company_sizes[{i}]"),
                        self._int(item, "points", f"fit.company_sizes[{i}]"),
                    )
                    for i, item in self._items(fit, "company_sizes", "fit")
                ),
                countries={
                    str(code): self._int(
                        self._mapping(fit.get("countries", {}), "fit.countries"),
                        code,
                        "fit.countries",
                    )
                    for code in self._mapping(fit.get("countries", {}), "fit.countries")
                },
            ),
            engagement=tuple(
                EngagementRule(
                    # EngagementRule turns the text into a kind, naming the known ones
                    kind=cast(EngagementKind, self._str(item, "kind", f"engagement[{i}]")),
                    description=self._str(item, "description", f"engagement[{i}]"),
                    points=self._number(item, "points", f"engagement[{i}]"),
                    half_life_days=self._number(item, "half_life_days", f"engagement[{i}]"),
                    cap=self._number(item, "cap", f"engagement[{i}]"),
                )
                for i, item in self._items(root, "engagement", "")
            ),
            qualification=tuple(
                AnswerRule(
                    question_id=self._str(item, "question_id", f"qualification[{i}]"),
                    label=self._str(item, "label", f"qualification[{i}]"),
                    answer_type=cast(
                        AnswerType, self._str(item, "answer_type", f"qualification[{i}]")
                    ),
                    points=self._mapping(item.get("points", {}), f"qualification[{i}].points"),
                    thresholds=tuple(
                        self._pair(pair, f"qualification[{i}].thresholds[{j}]")
                        for j, pair in enumerate(self._list(item, "thresholds", "qualification"))
                    ),
                )
                for i, item in self._items(root, "qualification", "")
            ),
            negative=NegativeRules(
                student_points=self._int(student, "points", "negative.student", 0),
                student_keywords=self._strings(student, "keywords", "negative.student"),
                competitor_points=self._int(competitor, "points", "negative.competitor", 0),
                competitors=self._strings(competitor, "names", "negative.competitor"),
                free_mail_points=self._int(free_mail, "points", "negative.free_mail", 0),
                free_mail_domains=self._strings(free_mail, "domains", "negative.free_mail"),
                invalid_phone_points=self._int(
                    invalid_phone, "points", "negative.invalid_phone", 0
                ),
            ),
            thresholds=Thresholds(
                sales_ready=self._int(thresholds, "sales_ready", "thresholds", 75),
                bands=tuple(
                    GradeBand(
                        self._int(item, "min_score", f"thresholds.bands[{i}]"),
                        self._str(item, "grade", f"thresholds.bands[{i}]"),
                        self._str(item, "label", f"thresholds.bands[{i}]"),
                    )
                    for i, item in self._items(thresholds, "bands", "thresholds")
                )
                or DEFAULT_BANDS,
            ),
        )

    def _keyword_rules(self, fit: Mapping[str, Any], key: str) -> tuple[KeywordRule, ...]:
        return tuple(
            KeywordRule(
                label=self._str(item, "label", f"fit.{key}[{i}]"),
                keywords=self._strings(item, "keywords", f"fit.{key}[{i}]"),
                points=self._int(item, "points", f"fit.{key}[{i}]"),
            )
            for i, item in self._items(fit, key, "fit")
        )

    @staticmethod
    def _mapping(value: object, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            _fail(f"In the scoring rules, {where} must be an object, not {type(value).__name__}.")
        return value

    def _list(self, data: Mapping[str, Any], key: str, where: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list | tuple):
            _fail(f"In the scoring rules, {_join(where, key)} must be a list.")
        return list(value)

    def _items(
        self, data: Mapping[str, Any], key: str, where: str
    ) -> Iterable[tuple[int, Mapping[str, Any]]]:
        for i, item in enumerate(self._list(data, key, where)):
            yield i, self._mapping(item, f"{_join(where, key)}[{i}]")

    @staticmethod
    def _str(data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str):
            _fail(f"In the scoring rules, {where}.{key} must be text, not {value!r}.")
        return value

    def _strings(self, data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        values = self._list(data, key, where)
        for value in values:
            if not isinstance(value, str):
                _fail(f"In the scoring rules, {where}.{key} must list text, not {value!r}.")
        return tuple(values)

    @staticmethod
    def _number(
        data: Mapping[str, Any], key: str, where: str, default: float | None = None
    ) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            _fail(f"In the scoring rules, {where}.{key} must be a number, not {value!r}.")
        return value

    def _int(
        self, data: Mapping[str, Any], key: str, where: str, default: int | None = None
    ) -> int:
        value = self._number(data, key, where, default)
        if value != int(value):
            _fail(f"In the scoring rules, {where}.{key} must be a whole number, not {value!r}.")
        return int(value)

    def _pair(self, pair: object, where: str) -> tuple[float, int]:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            _fail(f"In the scoring rules, {where} must be a [minimum, points] pair.")
        return self._number({"min": pair[0]}, "min", where), self._int(
            {"points": pair[1]},
            "points",
            where,
        )


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
