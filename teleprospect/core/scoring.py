"""Lead scoring: rules as data, and a score that explains every point.

A score is fit (who the lead is: title, industry, company size, country) plus engagement
(what they did, each event worth less as it ages: ``points × 0.5 ** (age / half_life)``,
capped per kind) plus qualification (what they said on the call), minus negative points
(student, competitor, free-mail address, invalid phone). Do-not-call is no score matter:
it keeps a lead out of every queue whatever its score.

The total is an integer clamped to 0..100. The breakdown's lines are integers too and
always add up to the total exactly: fractional points (from decay) are rounded as a whole
(largest remainder), and when clamping changes the sum, the clamp is a line of its own
("−12 capped at the maximum of 100"). A user adding up the lines gets the score.

Rules are compiled once (:func:`compile_rules`) into lower-cased keyword tables and dict
look-ups, so scoring a lead costs a few microseconds: re-scoring a million leads is a bulk
job bounded by database I/O, not by this module.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from teleprospect.core.data import read_json
from teleprospect.core.dedupe_keys import company_key
from teleprospect.core.domain import EngagementKind
from teleprospect.core.normalise import fold

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_SCORE",
    "AnswerRule",
    "AnswerType",
    "CompiledRules",
    "EngagementRule",
    "FitRules",
    "GradeBand",
    "KeywordRule",
    "NegativeRules",
    "ScoreBreakdown",
    "ScoreCategory",
    "ScoreInput",
    "ScoreLine",
    "ScoringRules",
    "ScoringRulesError",
    "SizeBand",
    "Thresholds",
    "compile_rules",
    "default_rules",
    "score_lead",
]

FORMAT_NAME = "teleprospect-scoring-rules"
#: Bumped when the JSON shape changes; :meth:`ScoringRules.from_dict` refuses newer ones.
FORMAT_VERSION = 1
MAX_SCORE = 100
_SECONDS_PER_DAY = 86_400.0
_MINUS = "\u2212"  # a real minus sign: "−10" reads better than "-10" next to "+8"


class ScoringRulesError(ValueError):
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


def _frozen_map(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _fail(message: str) -> None:
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
            if not _words(keyword.strip("*")):
                _fail(f"The rule “{self.label}” has a keyword without letters: {keyword!r}.")
            if "*" in keyword.strip("*") or (keyword.startswith("*") and keyword.endswith("*")):
                _fail(
                    f"The keyword {keyword!r} of “{self.label}” may have a * at its start or"
                    " its end, not both and not inside."
                )
            if "*" in keyword and len(_words(keyword.strip("*"))) > 1:
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
                    kind=self._str(item, "kind", f"engagement[{i}]"),
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
                    answer_type=self._str(item, "answer_type", f"qualification[{i}]"),
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
        return value  # type: ignore[return-value]

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
        return value  # type: ignore[return-value]

    def _strings(self, data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        values = self._list(data, key, where)
        for value in values:
            if not isinstance(value, str):
                _fail(f"In the scoring rules, {where}.{key} must list text, not {value!r}.")
        return tuple(values)

    @staticmethod
    def _number(data: Mapping[str, Any], key: str, where: str, default: float | None = None):
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            _fail(f"In the scoring rules, {where}.{key} must be a number, not {value!r}.")
        return value

    def _int(self, data: Mapping[str, Any], key: str, where: str, default: int | None = None):
        value = self._number(data, key, where, default)
        if value != int(value):
            _fail(f"In the scoring rules, {where}.{key} must be a whole number, not {value!r}.")
        return int(value)

    def _pair(self, pair: object, where: str) -> tuple[float, int]:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            _fail(f"In the scoring rules, {where} must be a [minimum, points] pair.")
        return self._number({"min": pair[0]}, "min", where), self._int(  # type: ignore[index]
            {"points": pair[1]},  # type: ignore[index]
            "points",
            where,
        )


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


# ----------------------------------------------------------------------------- input


@dataclass(frozen=True, slots=True)
class ScoreInput:
    """What scoring needs to know about one lead."""

    title: str = ""
    industry: str = ""
    company_size: int | None = None
    #: ISO 3166 alpha-2 code.
    country: str | None = None
    email: str | None = None
    #: ``None`` when the lead has no phone number at all (nothing to penalise).
    phone_valid: bool | None = None
    company: str = ""
    #: (kind, when) for each engagement event; kinds without a rule count nothing.
    events: tuple[tuple[EngagementKind | str, datetime], ...] = ()
    #: Script answers by question id: bool for yes/no, text (or a list) for choices,
    #: numbers for number questions. Questions without a rule count nothing.
    answers: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """One reason for points, as the user reads it."""

    #: Whole points as shown; the lines of a breakdown add up to its total.
    points: int
    reason: str
    category: ScoreCategory
    #: The points before rounding (decayed engagement is fractional).
    exact: float

    @property
    def text(self) -> str:
        """ "+15 VP-level title", "−10 free-mail address"."""
        return f"{_signed(self.points)} {self.reason}"


@dataclass(frozen=True, slots=True)
class ScoreBreakdown:
    total: int
    lines: tuple[ScoreLine, ...]
    grade: str
    grade_label: str
    sales_ready: bool

    def by_category(self, category: ScoreCategory) -> int:
        return sum(line.points for line in self.lines if line.category is category)


def _signed(points: int) -> str:
    return f"+{points}" if points >= 0 else f"{_MINUS}{-points}"


# ----------------------------------------------------------------------------- compiled

_WORD = re.compile(r"[^\W_]+")
# Text look-ups repeat heavily over a lead base (a few thousand distinct titles and
# industries); the caches are cleared when they grow past this, to bound memory.
_CACHE_LIMIT = 200_000


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


class _KeywordMatcher:
    """Finds the rule whose keyword matches a text, by the rules of :class:`KeywordRule`."""

    def __init__(self, keyword_sets: Sequence[Sequence[str]]) -> None:
        # phrase → (specificity, rule index); specificity is the keyword's length, so the
        # most specific keyword wins, then the earlier rule (smaller index).
        self._exact: dict[str, tuple[int, int]] = {}
        self._prefixes: list[tuple[str, int, int]] = []
        self._suffixes: list[tuple[str, int, int]] = []
        self._max_words = 1
        for index, keywords in enumerate(keyword_sets):
            for keyword in keywords:
                words = _words(keyword.strip("*"))
                phrase = " ".join(words)
                if keyword.endswith("*"):
                    self._prefixes.append((phrase, len(phrase), index))
                elif keyword.startswith("*"):
                    self._suffixes.append((phrase, len(phrase), index))
                else:
                    self._exact.setdefault(phrase, (len(phrase), index))
                    self._max_words = max(self._max_words, len(words))
        self._prefix_tuple = tuple(p for p, _, _ in self._prefixes)
        self._suffix_tuple = tuple(s for s, _, _ in self._suffixes)
        self._cache: dict[str, int | None] = {}

    def match(self, text: str) -> int | None:
        """Index of the matching rule, or None."""
        try:
            return self._cache[text]
        except KeyError:
            pass
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        result = self._cache[text] = self._match(text) if text else None
        return result

    def _match(self, text: str) -> int | None:
        words = _words(text)
        best: tuple[int, int] | None = None  # (specificity, -index)
        exact = self._exact
        for i in range(len(words)):
            for n in range(1, self._max_words + 1):
                if i + n > len(words):
                    break
                hit = exact.get(" ".join(words[i : i + n]))
                if hit is not None and (best is None or (hit[0], -hit[1]) > best):
                    best = (hit[0], -hit[1])
        for word in words:
            if self._prefix_tuple and word.startswith(self._prefix_tuple):
                for prefix, size, index in self._prefixes:
                    if word.startswith(prefix) and (best is None or (size, -index) > best):
                        best = (size, -index)
            if self._suffix_tuple and word.endswith(self._suffix_tuple):
                for suffix, size, index in self._suffixes:
                    if word.endswith(suffix) and (best is None or (size, -index) > best):
                        best = (size, -index)
        return None if best is None else -best[1]


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _apportion(values: Sequence[float]) -> list[int]:
    """Whole numbers, each within 1 of its value, adding up to the rounded sum of the
    values (largest remainder method): what users add up matches the total."""
    floors = [math.floor(v) for v in values]
    extra = _round_half_up(sum(values)) - sum(floors)
    extra = max(0, min(len(values), extra))
    if extra:
        order = sorted(range(len(values)), key=lambda i: (floors[i] - values[i], i))
        for i in order[:extra]:
            floors[i] += 1
    return floors


def _age_text(days: float) -> str:
    if days < 1:
        return "today"
    if days < 2:
        return "yesterday"
    return f"{int(days)} days ago"


def _answer_text(value: str) -> str:
    # Choice values are identifiers ("decision_maker"); lines read as words.
    return value.replace("_", " ")


def _number_text(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,g}"


class CompiledRules:
    """Rules turned into look-up tables; build once with :func:`compile_rules`, then
    score many leads. Not thread-safe for concurrent writes to its caches, which is
    harmless (a cache miss recomputes the same value)."""

    def __init__(self, rules: ScoringRules) -> None:
        self.rules = rules
        fit, neg = rules.fit, rules.negative
        self._seniority = _KeywordMatcher([r.keywords for r in fit.seniority])
        self._functions = _KeywordMatcher([r.keywords for r in fit.job_functions])
        self._industries = _KeywordMatcher([r.keywords for r in fit.industries])
        self._student = _KeywordMatcher([neg.student_keywords]) if neg.student_keywords else None
        self._sizes = tuple(
            (b.min_employees, math.inf if b.max_employees is None else b.max_employees, b)
            for b in fit.company_sizes
        )
        self._countries = dict(fit.countries)
        # kind → (kind value, points, decay rate per second, rule); the decay factor is
        # exp(rate × age) = 0.5 ** (age / half-life), one exp() per event.
        self._engagement_rules = {
            r.kind.value: (
                r.kind.value,
                float(r.points),
                math.log(0.5) / (r.half_life_days * _SECONDS_PER_DAY),
                r,
            )
            for r in rules.engagement
        }
        self._answers = {r.question_id: r for r in rules.qualification}
        domains, names = [], []
        for entry in neg.competitors:
            text = entry.strip().lower()
            if "." in text and " " not in text and "@" not in text:
                domains.append(text.removeprefix("www."))
            elif text:
                names.append(company_key(entry))
        self._competitor_domains = frozenset(domains)
        self._competitor_names = frozenset(n for n in names if n)
        self._free_mail = frozenset(d.strip().lower() for d in neg.free_mail_domains)
        self._company_cache: dict[str, bool] = {}

    # -- the parts ----------------------------------------------------------------------

    def _size_band(self, size: int | None) -> SizeBand | None:
        if size is None:
            return None
        for low, high, band in self._sizes:
            if low <= size <= high:
                return band
        return None

    def _is_competitor(self, company: str, domain: str) -> bool:
        if domain and self._competitor_domains:
            if domain in self._competitor_domains:
                return True
            parent = domain.partition(".")[2]
            while parent:
                if parent in self._competitor_domains:
                    return True
                parent = parent.partition(".")[2]
        if not company or not self._competitor_names:
            return False
        known = self._company_cache.get(company)
        if known is None:
            if len(self._company_cache) >= _CACHE_LIMIT:
                self._company_cache.clear()
            known = self._company_cache[company] = company_key(company) in self._competitor_names
        return known

    def _answer_points(self, rule: AnswerRule, value: object) -> tuple[float, str] | None:
        if value is None:
            return None
        if rule.answer_type is AnswerType.NUMBER:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            reached = None
            for minimum, points in rule.thresholds:
                if value >= minimum:
                    reached = (minimum, points)
            if reached is None:
                return None
            return reached[1], (
                f"{rule.label}: {_number_text(value)} (at least {_number_text(reached[0])})"
            )
        if isinstance(value, bool):
            value = "yes" if value else "no"
        if isinstance(value, str):
            points = rule.points.get(value.casefold())
            return None if points is None else (points, f"{rule.label}: {_answer_text(value)}")
        if isinstance(value, list | tuple | set | frozenset):
            chosen = [v for v in value if isinstance(v, str) and v.casefold() in rule.points]
            if not chosen:
                return None
            total = sum(rule.points[v.casefold()] for v in chosen)
            return total, f"{rule.label}: {', '.join(map(_answer_text, chosen))}"
        return None

    def _collect(
        self, lead: ScoreInput, now: datetime, why: list[tuple[str, ScoreCategory]] | None
    ) -> list[float]:
        """The points of each line, in order; with ``why`` given, also each line's reason
        and category. One routine serves the full breakdown and the bulk total, so the two
        can never disagree; the reasons are only formatted when asked for."""
        fit, neg = self.rules.fit, self.rules.negative
        fit_, negative_ = ScoreCategory.FIT, ScoreCategory.NEGATIVE
        values: list[float] = []
        title = lead.title
        if title:
            index = self._seniority.match(title)
            if index is not None:
                rule = fit.seniority[index]
                values.append(rule.points)
                if why is not None:
                    why.append((f"{rule.label} title", fit_))
            index = self._functions.match(title)
            if index is not None:
                rule = fit.job_functions[index]
                values.append(rule.points)
                if why is not None:
                    why.append((f"{rule.label} job function", fit_))
        if lead.industry:
            index = self._industries.match(lead.industry)
            if index is not None:
                rule = fit.industries[index]
                values.append(rule.points)
                if why is not None:
                    why.append((f"{rule.label} industry", fit_))
        band = self._size_band(lead.company_size)
        if band is not None:
            values.append(band.points)
            if why is not None:
                why.append((band.label, fit_))
        if lead.country:
            country = lead.country.upper()
            points = self._countries.get(country)
            if points is not None:
                values.append(points)
                if why is not None:
                    why.append((f"country {country}", fit_))

        if lead.events:
            self._engagement(lead.events, now, values, why)

        if lead.answers:
            for question_id, value in lead.answers.items():
                rule = self._answers.get(question_id)
                if rule is not None:
                    hit = self._answer_points(rule, value)
                    if hit is not None:
                        values.append(hit[0])
                        if why is not None:
                            why.append((hit[1], ScoreCategory.QUALIFICATION))

        if title and self._student is not None and self._student.match(title) is not None:
            values.append(neg.student_points)
            if why is not None:
                why.append(("student or intern", negative_))
        email = lead.email
        domain = email.rpartition("@")[2].strip().lower() if email else ""
        if self._is_competitor(lead.company, domain):
            values.append(neg.competitor_points)
            if why is not None:
                why.append(("works for a competitor", negative_))
        if domain and domain in self._free_mail:
            values.append(neg.free_mail_points)
            if why is not None:
                why.append(("free-mail address", negative_))
        if lead.phone_valid is False:
            values.append(neg.invalid_phone_points)
            if why is not None:
                why.append(("invalid phone number", negative_))
        return values

    def _engagement(
        self,
        events: Iterable[tuple[EngagementKind | str, datetime]],
        now: datetime,
        values: list[float],
        why: list[tuple[str, ScoreCategory]] | None,
    ) -> None:
        rules = self._engagement_rules
        decayed: dict[str, float] = {}  # in the order kinds first appear
        newest: dict[str, float] = {}
        count: dict[str, int] = {}
        for kind, occurred_at in events:
            compiled = rules.get(kind)
            if compiled is None:
                continue
            key, points, rate, _ = compiled
            # An event "in the future" is clock skew between systems: count it as now.
            age = (now - occurred_at).total_seconds()
            if age < 0.0:
                age = 0.0
            decayed[key] = decayed.get(key, 0.0) + points * math.exp(rate * age)
            if why is not None:
                count[key] = count.get(key, 0) + 1
                newest[key] = min(newest.get(key, age), age)
        for key, total in decayed.items():
            rule = rules[key][3]
            values.append(total if total < rule.cap else rule.cap)
            if why is None:
                continue
            n = count[key]
            when = _age_text(newest[key] / _SECONDS_PER_DAY)
            if n == 1:
                reason = f"{rule.description} {when}"
            else:
                reason = f"{rule.description} {n} times, latest {when}"
            notes = []
            undecayed = rule.points * n
            if round(total) != round(undecayed):
                notes.append(f"decayed from {_number_text(round(undecayed))}")
            if total > rule.cap:
                notes.append(f"capped at {_number_text(rule.cap)}")
            if notes:
                reason += f" ({', '.join(notes)})"
            why.append((reason, ScoreCategory.ENGAGEMENT))

    # -- public -------------------------------------------------------------------------

    def score(self, lead: ScoreInput, now: datetime) -> ScoreBreakdown:
        """The score of ``lead`` at ``now`` with every line that makes it up."""
        why: list[tuple[str, ScoreCategory]] = []
        values = self._collect(lead, now, why)
        whole = _apportion(values)
        lines = [
            ScoreLine(points=w, reason=reason, category=category, exact=float(exact))
            for w, exact, (reason, category) in zip(whole, values, why, strict=True)
            if exact != 0
        ]
        subtotal = sum(whole)
        total = min(MAX_SCORE, max(0, subtotal))
        if total != subtotal:
            reason = (
                f"capped at the maximum of {MAX_SCORE}"
                if subtotal > MAX_SCORE
                else "raised to the minimum of 0"
            )
            lines.append(ScoreLine(total - subtotal, reason, ScoreCategory.LIMIT, total - subtotal))
        band = self.rules.thresholds.grade_for(total)
        return ScoreBreakdown(
            total=total,
            lines=tuple(lines),
            grade=band.grade,
            grade_label=band.label,
            sales_ready=self.rules.thresholds.is_sales_ready(total),
        )

    def score_total_only(self, lead: ScoreInput, now: datetime) -> int:
        """The same total as :meth:`score`, without building lines: for bulk re-scoring."""
        values = self._collect(lead, now, None)
        floors = 0
        for value in values:
            floors += math.floor(value)
        # What _apportion adds to the floors, without sorting: the lines' sum.
        extra = min(len(values), max(0, _round_half_up(sum(values)) - floors))
        return min(MAX_SCORE, max(0, floors + extra))


def compile_rules(rules: ScoringRules) -> CompiledRules:
    return CompiledRules(rules)


def score_lead(
    rules: ScoringRules | CompiledRules, lead: ScoreInput, now: datetime
) -> ScoreBreakdown:
    """Score one lead. Compiles ``rules`` when given plain rules: for many leads, compile
    once with :func:`compile_rules` and call :meth:`CompiledRules.score`."""
    compiled = rules if isinstance(rules, CompiledRules) else compile_rules(rules)
    return compiled.score(lead, now)
