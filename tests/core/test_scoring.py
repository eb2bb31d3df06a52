"""Scoring: explainable breakdowns that add up, decay, negative points, rules as data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teleprospect.core.domain import EngagementKind
from teleprospect.core.scoring.engine import (
    ScoreInput,
    compile_rules,
    day_number,
    score_lead,
    start_of_day,
)
from teleprospect.core.scoring.rules import (
    MAX_SCORE,
    AnswerRule,
    EngagementRule,
    FitRules,
    GradeBand,
    KeywordRule,
    NegativeRules,
    ScoreCategory,
    ScoringRules,
    ScoringRulesError,
    SizeBand,
    Thresholds,
    default_rules,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
DEFAULTS = default_rules()
COMPILED = compile_rules(DEFAULTS)


def texts(lead: ScoreInput, rules=COMPILED) -> list[str]:
    return [line.text for line in rules.score(lead, NOW).lines]


# ------------------------------------------------------------------------- fit


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("VP of Engineering", "+15 VP-level title"),
        ("Chief Executive Officer", "+20 C-level title"),
        ("Managing Director", "+20 C-level title"),  # longer keyword beats "director"
        ("Head of Data", "+12 Director-level title"),
        ("IT Manager", "+6 Manager-level title"),
        ("Geschäftsführerin", "+20 C-level title"),
        ("GESCHAFTSFUHRER", "+20 C-level title"),  # case and accents ignored
        ("Vertriebsleiter", "+12 Director-level title"),  # compound word, *leiter
        ("Teamleiter IT", "+6 Manager-level title"),  # teamleit* is more specific
        ("Directeur général", "+20 C-level title"),
        ("Directrice financière", "+12 Director-level title"),
    ],
)
def test_title_seniority(title: str, expected: str) -> None:
    assert expected in texts(ScoreInput(title=title))


def test_title_words_match_whole_words_only() -> None:
    # "vp" must not be found inside "mvp", nor "cto" inside "director".
    assert texts(ScoreInput(title="MVP Program Coordinator")) == ["+6 Manager-level title"]


def test_fit_lines_for_industry_size_and_country() -> None:
    lead = ScoreInput(industry="Software", company_size=300, country="de")
    assert texts(lead) == [
        "+10 Software industry",
        "+12 company of 201–1,000 employees",
        "+5 country DE",
    ]


# ------------------------------------------------------------------------- engagement

RULES_ONE_KIND = ScoringRules(
    engagement=(EngagementRule(EngagementKind.DOWNLOAD, "downloaded content", 10, 30, 25),)
)


def test_decay_halves_at_one_half_life() -> None:
    compiled = compile_rules(RULES_ONE_KIND)
    for days, expected in [(0, 10.0), (30, 5.0), (60, 2.5)]:
        lead = ScoreInput(events=((EngagementKind.DOWNLOAD, NOW - timedelta(days=days)),))
        (line,) = compiled.score(lead, NOW).lines
        assert line.exact == pytest.approx(expected)
        assert line.category is ScoreCategory.ENGAGEMENT


def test_decayed_line_says_so_in_the_users_words() -> None:
    lead = ScoreInput(events=(("download", NOW - timedelta(days=3)),))
    assert texts(lead, compile_rules(RULES_ONE_KIND)) == [
        "+9 downloaded content 3 days ago (decayed from 10)"
    ]


def test_engagement_ages_by_the_calendar_day_so_a_score_holds_all_day() -> None:
    compiled = compile_rules(RULES_ONE_KIND)
    late_yesterday = datetime(2026, 3, 9, 23, 50, tzinfo=UTC)
    lead = ScoreInput(events=((EngagementKind.DOWNLOAD, late_yesterday),))
    start, end = datetime(2026, 3, 10, 0, 0, tzinfo=UTC), datetime(2026, 3, 10, 23, 59, tzinfo=UTC)
    morning, evening = compiled.score(lead, start), compiled.score(lead, end)
    assert morning == evening, "the same score from midnight to midnight (UTC)"
    (line,) = morning.lines
    assert line.reason == "downloaded content yesterday"
    assert line.exact == pytest.approx(10 * 0.5 ** (1 / 30))
    # An event in another zone is dated by its day in UTC.
    elsewhere = datetime(2026, 3, 10, 1, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # 00:00 UTC
    (today,) = compiled.score(ScoreInput(events=(("download", elsewhere),)), end).lines
    assert today.reason == "downloaded content today" and today.exact == 10
    assert day_number(start) - day_number(late_yesterday) == 1
    assert start_of_day(end) == start


def test_engagement_is_capped_per_kind() -> None:
    lead = ScoreInput(events=tuple(("download", NOW) for _ in range(4)))
    (line,) = compile_rules(RULES_ONE_KIND).score(lead, NOW).lines
    assert line.points == 25
    assert line.reason == "downloaded content 4 times, latest today (capped at 25)"


def test_future_events_count_as_now_and_unknown_kinds_count_nothing() -> None:
    lead = ScoreInput(events=(("download", NOW + timedelta(days=5)), ("site_visit", NOW)))
    (line,) = compile_rules(RULES_ONE_KIND).score(lead, NOW).lines
    assert line.exact == 10


# ------------------------------------------------------------------------- qualification


def test_answers_yes_no_choice_and_number() -> None:
    lead = ScoreInput(
        answers={
            "budget": True,
            "authority": "decision_maker",
            "budget_amount": 60_000,
            "need": "no",
            "unknown_question": "whatever",
        }
    )
    assert texts(lead) == [
        "+10 Budget: yes",
        "+10 Authority: decision maker",
        "+8 Budget amount: 60,000 (at least 50,000)",
        "−10 Need: no",
    ]
    below = ScoreInput(answers={"budget_amount": 500, "timeline": "someday"})
    assert texts(below) == []


def test_multiple_choice_answers_add_up() -> None:
    rules = ScoringRules(
        qualification=(AnswerRule("pains", "Pains", "choice", {"cost": 3, "speed": 4}),)
    )
    assert texts(ScoreInput(answers={"pains": ["cost", "speed"]}), compile_rules(rules)) == [
        "+7 Pains: cost, speed"
    ]


# ------------------------------------------------------------------------- negative


def test_negative_points() -> None:
    rules = ScoringRules(
        negative=NegativeRules(
            student_points=-20,
            student_keywords=("student", "praktikant*"),
            competitor_points=-50,
            competitors=("Rival Corp", "rival.io"),
            free_mail_points=-10,
            free_mail_domains=("gmail.com", "web.de"),
            invalid_phone_points=-5,
        )
    )
    compiled = compile_rules(rules)
    assert texts(ScoreInput(title="Praktikantin Marketing"), compiled) == [
        "−20 student or intern",
        "+20 raised to the minimum of 0",
    ]
    lead = ScoreInput(company="RIVAL CORP GmbH", email="Jo@Web.DE", phone_valid=False)
    assert texts(lead, compiled)[:3] == [
        "−50 works for a competitor",
        "−10 free-mail address",
        "−5 invalid phone number",
    ]
    assert "−50 works for a competitor" in texts(ScoreInput(email="a@eu.rival.io"), compiled)
    # No phone at all is not an invalid phone.
    assert texts(ScoreInput(phone_valid=None), compiled) == []


def test_default_rules_penalise_free_mail_and_students() -> None:
    assert "−10 free-mail address" in texts(ScoreInput(email="someone@gmx.de"))
    assert "−25 student or intern" in texts(ScoreInput(title="Werkstudent"))


# ------------------------------------------------------------------------- totals

LINE_VALUES = st.lists(
    st.floats(min_value=-60, max_value=60, allow_nan=False, allow_infinity=False), max_size=12
)


@st.composite
def leads(draw) -> ScoreInput:
    kinds = st.sampled_from([k.value for k in EngagementKind])
    events = draw(
        st.lists(
            st.tuples(
                kinds,
                st.integers(min_value=-3, max_value=400).map(
                    lambda d: NOW - timedelta(days=d, minutes=7 * d)
                ),
            ),
            max_size=12,
        )
    )
    return ScoreInput(
        title=draw(
            st.sampled_from(["", "CEO", "IT Manager", "Student", "Leiter Einkauf", "VP Sales"])
        ),
        industry=draw(st.sampled_from(["", "Software", "Retail", "Mining"])),
        company_size=draw(st.none() | st.integers(min_value=0, max_value=100_000)),
        country=draw(st.sampled_from([None, "DE", "us", "JP"])),
        email=draw(st.sampled_from([None, "a@gmail.com", "a@firm.de"])),
        phone_valid=draw(st.sampled_from([None, True, False])),
        company=draw(st.sampled_from(["", "Acme"])),
        events=tuple(events),
        answers=draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "budget": st.booleans(),
                    "budget_amount": st.integers(min_value=0, max_value=100_000),
                    "timeline": st.sampled_from(["this_quarter", "later", "none"]),
                },
            )
        ),
    )


@given(leads())
@settings(max_examples=300)
def test_breakdown_lines_add_up_to_the_total(lead: ScoreInput) -> None:
    breakdown = COMPILED.score(lead, NOW)
    assert sum(line.points for line in breakdown.lines) == breakdown.total
    assert 0 <= breakdown.total <= MAX_SCORE
    assert COMPILED.score_total_only(lead, NOW) == breakdown.total
    assert breakdown.grade == DEFAULTS.grade_for(breakdown.total).grade
    for line in breakdown.lines:
        if line.category is not ScoreCategory.LIMIT:
            assert abs(line.points - line.exact) < 1
    limits = [line for line in breakdown.lines if line.category is ScoreCategory.LIMIT]
    assert len(limits) <= 1


@given(LINE_VALUES)
def test_rounded_lines_add_up_whatever_the_fractions(values: list[float]) -> None:
    # One engagement kind per value, undecayed (events at NOW), caps out of the way.
    kinds = list(EngagementKind)[: len(values)]
    positive = [abs(v) for v in values]
    rules = ScoringRules(
        engagement=tuple(
            EngagementRule(kind, kind.value, points, 1.0, 1000)
            for kind, points in zip(kinds, positive, strict=False)
        )
    )
    lead = ScoreInput(events=tuple((kind, NOW) for kind in kinds))
    breakdown = score_lead(rules, lead, NOW)
    assert sum(line.points for line in breakdown.lines) == breakdown.total


def test_clamping_is_a_line_of_its_own() -> None:
    lead = ScoreInput(
        title="CEO",
        industry="Software",
        company_size=5000,
        country="US",
        events=tuple((kind, NOW) for kind in EngagementKind),
        answers={
            "budget": True,
            "need": True,
            "authority": "decision_maker",
            "timeline": "this_quarter",
            "budget_amount": 90_000,
        },
    )
    breakdown = COMPILED.score(lead, NOW)
    assert breakdown.total == 100
    assert breakdown.lines[-1].category is ScoreCategory.LIMIT
    assert breakdown.lines[-1].text.startswith("−")
    assert breakdown.lines[-1].reason == "capped at the maximum of 100"
    assert (breakdown.grade, breakdown.grade_label, breakdown.sales_ready) == ("A", "Hot", True)


# ------------------------------------------------------------------------- thresholds


@pytest.mark.parametrize(
    ("score", "grade", "label"),
    [
        (100, "A", "Hot"),
        (80, "A", "Hot"),
        (79, "B", "Warm"),
        (60, "B", "Warm"),
        (59, "C", "Cool"),
        (40, "C", "Cool"),
        (39, "D", "Cold"),
        (0, "D", "Cold"),
    ],
)
def test_grade_bands(score: int, grade: str, label: str) -> None:
    band = DEFAULTS.grade_for(score)
    assert (band.grade, band.label) == (grade, label)


def test_sales_ready_threshold_is_high_by_default() -> None:
    assert DEFAULTS.thresholds.sales_ready == 75
    assert not DEFAULTS.thresholds.is_sales_ready(74)
    assert DEFAULTS.thresholds.is_sales_ready(75)


# ------------------------------------------------------------------------- rules as data


def test_default_rules_round_trip_through_json() -> None:
    data = json.loads(json.dumps(DEFAULTS.to_dict()))
    assert ScoringRules.from_dict(data) == DEFAULTS
    assert data["format"] == "teleprospect-scoring-rules" and data["version"] == 1


@given(
    st.lists(st.integers(min_value=-30, max_value=30), min_size=1, max_size=5),
    st.floats(min_value=0.5, max_value=365),
    st.integers(min_value=0, max_value=100),
)
def test_any_valid_rules_round_trip(points: list[int], half_life: float, ready: int) -> None:
    rules = ScoringRules(
        fit=FitRules(
            seniority=tuple(
                KeywordRule(f"Level {i}", (f"word{i}",), p) for i, p in enumerate(points)
            ),
            company_sizes=(SizeBand(1, 9, 1), SizeBand(10, None, 2)),
            countries={"fr": 3},
        ),
        engagement=(EngagementRule("download", "downloaded", 5, half_life, 9),),
        qualification=(AnswerRule("q", "Q", "number", thresholds=((10, 2), (1.5, 1))),),
        thresholds=Thresholds(sales_ready=ready),
    )
    assert ScoringRules.from_dict(json.loads(json.dumps(rules.to_dict()))) == rules


def _broken(path: list[str | int], value: object) -> dict:
    data = json.loads(json.dumps(DEFAULTS.to_dict()))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        (["version"], 99, "newer Teleprospect"),
        (["format"], "something else", "not a scoring-rules file"),
        (["engagement", 0, "half_life_days"], 0, "half-life of more than 0 days"),
        (["engagement", 0, "kind"], "telepathy", "not an engagement kind"),
        (["negative", "free_mail", "points"], 10, "must be zero or below"),
        (["thresholds", "sales_ready"], 120, "between 0 and 100"),
        (
            ["thresholds", "bands"],
            [{"min_score": 50, "grade": "A", "label": "Hot"}],
            "lowest grade band must start at 0",
        ),
        (["fit", "seniority", 0, "points"], "many", "fit.seniority[0].points must be a number"),
        (
            ["fit", "company_sizes"],
            [{"min": 10, "max": 100, "points": 1}, {"min": 50, "max": None, "points": 2}],
            "overlap",
        ),
        (["fit", "countries"], {"Germany": 3}, "two-letter ISO codes"),
        (["qualification", 0, "points"], {"maybe": 3}, "yes/no question"),
        (["fit", "seniority", 0, "keywords"], ["ge*sch"], "not both and not inside"),
    ],
)
def test_invalid_rules_fail_with_one_clear_sentence(path, value, words: str) -> None:
    with pytest.raises(ScoringRulesError) as caught:
        ScoringRules.from_dict(_broken(path, value))
    message = str(caught.value)
    assert words in message
    assert message.endswith(".") and message.count(". ") == 0, message


def test_duplicate_engagement_rules_are_refused() -> None:
    rule = EngagementRule("download", "downloaded", 5, 10, 10)
    with pytest.raises(ScoringRulesError, match="two engagement rules"):
        ScoringRules(engagement=(rule, rule))


def test_grade_bands_need_distinct_grades() -> None:
    with pytest.raises(ScoringRulesError, match="same grade"):
        Thresholds(bands=(GradeBand(50, "A", "x"), GradeBand(0, "A", "y")))
