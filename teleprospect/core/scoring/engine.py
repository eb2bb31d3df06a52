"""Lead scoring: a score that explains every point, computed from the rules.

A score is fit (who the lead is: title, industry, company size, country) plus engagement
(what they did, each event worth less as it ages: ``points × 0.5 ** (age / half_life)``,
capped per kind) plus qualification (what they said on the call), minus negative points
(student, competitor, free-mail address, invalid phone). Do-not-call is no score matter:
it keeps a lead out of every queue whatever its score.

An event's age is counted in whole calendar days (UTC): "today", "yesterday", "3 days
ago". So a score is the same all day long, on every workstation and in every command,
and the stored score of a lead equals what scoring it again gives until midnight (UTC),
when every lead with engagement ages by one day at once and is re-scored.

The total is an integer clamped to 0..100. The breakdown's lines are integers too and
always add up to the total exactly: fractional points (from decay) are rounded as a whole
(largest remainder), and when clamping changes the sum, the clamp is a line of its own
("−12 capped at the maximum of 100"). A user adding up the lines gets the score.

The rules themselves (data, parsing, defaults) are :mod:`teleprospect.core.scoring.rules`;
they are compiled once (:func:`compile_rules`) into lower-cased keyword tables and dict
look-ups, so scoring a lead costs a few microseconds: re-scoring a million leads is a bulk
job bounded by database I/O, not by this module.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from teleprospect.core.dedupe_keys import company_key
from teleprospect.core.domain import EngagementKind
from teleprospect.core.scoring.rules import (
    MAX_SCORE,
    AnswerRule,
    AnswerType,
    ScoreCategory,
    ScoringRules,
    SizeBand,
    keyword_words,
)

__all__ = [
    "CompiledRules",
    "ScoreBreakdown",
    "ScoreInput",
    "ScoreLine",
    "compile_rules",
    "day_number",
    "score_lead",
    "start_of_day",
]

_DAY = timedelta(days=1)
#: Any midnight (UTC) works: ages are differences of day numbers counted from it.
_DAY_ZERO = datetime(2000, 1, 1, tzinfo=UTC)
_MINUS = "\u2212"  # a real minus sign: "−10" reads better than "-10" next to "+8"


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

# Text look-ups repeat heavily over a lead base (a few thousand distinct titles and
# industries); the caches are cleared when they grow past this, to bound memory.
_CACHE_LIMIT = 200_000


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
                words = keyword_words(keyword.strip("*"))
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
        words = keyword_words(text)
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


def day_number(at: datetime) -> int:
    """The calendar day (UTC) of ``at`` as a number: engagement ages by these days."""
    return (at - _DAY_ZERO) // _DAY


def start_of_day(at: datetime) -> datetime:
    """Midnight (UTC) at the start of the day of ``at``: when scores last changed by age."""
    return _DAY_ZERO + _DAY * day_number(at)


def _age_text(days: int) -> str:
    if days < 1:
        return "today"
    if days < 2:
        return "yesterday"
    return f"{days} days ago"


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
        # kind → (kind value, points, decay rate per day, rule); the decay factor is
        # exp(rate × age) = 0.5 ** (age / half-life), one exp() per event.
        self._engagement_rules = {
            r.kind.value: (
                r.kind.value,
                float(r.points),
                math.log(0.5) / r.half_life_days,
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
            given = rule.points.get(value.casefold())
            return None if given is None else (given, f"{rule.label}: {_answer_text(value)}")
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
                answer_rule = self._answers.get(question_id)
                if answer_rule is not None:
                    hit = self._answer_points(answer_rule, value)
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
        newest: dict[str, int] = {}
        count: dict[str, int] = {}
        today = day_number(now)
        for kind, occurred_at in events:
            compiled = rules.get(kind)
            if compiled is None:
                continue
            key, points, rate, _ = compiled
            # An event "in the future" is clock skew between systems: count it as today.
            age = today - (occurred_at - _DAY_ZERO) // _DAY
            if age < 0:
                age = 0
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
            when = _age_text(newest[key])
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
