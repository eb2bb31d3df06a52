"""Qualification scripts: validation, branching, typed answers, the readiness checklist."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teleprospect.core.scoring.engine import ScoreInput, compile_rules
from teleprospect.core.scoring.rules import default_rules
from teleprospect.core.scripts import (
    AnswerError,
    Bant,
    Choice,
    Condition,
    DisqualifyReason,
    ExceptionReason,
    Question,
    QuestionType,
    ReadyBar,
    Script,
    ScriptError,
    answer_text,
    default_script,
    from_json,
    parse_answer,
    readiness,
    to_json,
    visible_questions,
)

Q = QuestionType


def yes_no(qid: str, **kwargs: Any) -> Question:
    return Question(qid, f"{qid}?", Q.YES_NO, **kwargs)


ROLE = Question(
    "role",
    "Who decides?",
    Q.SINGLE_CHOICE,
    choices=(Choice("boss", "The boss"), Choice("team", "The team"), Choice("me", "Me")),
)
TOOLS = Question(
    "tools",
    "Which tools?",
    Q.MULTI_CHOICE,
    choices=(Choice("excel", "Excel"), Choice("sap", "SAP"), Choice("crm", "A CRM")),
)
AMOUNT = Question("amount", "How much?", Q.NUMBER, label="Amount")
START = Question("start", "When?", Q.DATE)
NOTE = Question("note", "Anything else?", Q.TEXT)


# ----------------------------------------------------------------------- the shipped one


def test_the_shipped_script_answers_score_under_the_shipped_rules() -> None:
    script = default_script()
    rules = default_rules()
    scored_ids = {rule.question_id for rule in rules.qualification}
    assert scored_ids <= {q.id for q in script.questions}
    ids = [q.id for q in script.questions]
    assert ids[:5] == ["need", "timeline", "budget", "budget_amount", "authority"]
    assert {"current_solution", "contact_now", "mailing_list"} <= set(ids)
    assert all(q.help for q in script.questions), "every question tells the rep what to say"
    assert {q.bant for q in script.questions} >= set(Bant)
    assert script.question("budget_amount").show_if == Condition("budget", ("yes",))

    answers = {
        "need": parse_answer(script.question("need"), "yes"),
        "timeline": parse_answer(script.question("timeline"), "This quarter"),
        "budget": parse_answer(script.question("budget"), "y"),
        "budget_amount": parse_answer(script.question("budget_amount"), "$60k"),
        "authority": parse_answer(script.question("authority"), "decision maker"),
    }
    breakdown = compile_rules(rules).score(ScoreInput(answers=answers), date_now())
    reasons = {line.reason: line.points for line in breakdown.lines}
    assert reasons == {
        "Need: yes": 10,
        "Timeline: this quarter": 12,
        "Budget: yes": 10,
        "Budget amount: 60,000 (at least 50,000)": 8,
        "Authority: decision maker": 10,
    }


def date_now():  # noqa: ANN201
    from datetime import UTC, datetime

    return datetime(2026, 1, 5, tzinfo=UTC)


def test_the_shipped_script_round_trips() -> None:
    script = default_script()
    assert Script.from_dict(script.to_dict()) == script


# ----------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ((), "has no questions"),
        ((yes_no("a"), yes_no("a")), "ids must be unique"),
        ((yes_no("Bad id"),), "lower-case letters"),
        ((Question("a", " ", Q.YES_NO),), "no text"),
        ((Question("a", "A?", Q.SINGLE_CHOICE, choices=(Choice("x", "X"),)),), "at least two"),
        ((Question("a", "A?", Q.NUMBER, choices=(Choice("x", "X"), Choice("y", "Y"))),),
         "only choice questions"),
        ((yes_no("b", show_if=Condition("a", ("yes",))), yes_no("a")), "not asked before it"),
        ((yes_no("a", show_if=Condition("zzz", ("yes",))),), "no question here"),
        ((yes_no("a"), yes_no("b", show_if=Condition("a", ("maybe",)))), "“yes” or “no”"),
        ((ROLE, yes_no("b", show_if=Condition("role", ("king",)))), "not one of its choices"),
        ((yes_no("a", show_if=Condition("a", ("yes",))),), "not asked before it"),
        ((yes_no("a", ready_bar=ReadyBar(min_number=3)),), "only number questions"),
        ((yes_no("a"), yes_no("b", show_if=Condition("a", ()))), "names no answer"),
    ],
)  # fmt: skip
def test_scripts_that_cannot_work_are_refused_with_a_reason(
    questions: tuple[Question, ...], message: str
) -> None:
    with pytest.raises(ScriptError, match=message):
        Script("Test", questions)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "something-else", "name": "x", "questions": []}, "not a qualification"),
        ({"version": 99, "name": "x", "questions": []}, "newer Teleprospect"),
        ({"name": "x", "questions": [{"id": "a", "text": "A?", "type": "essay"}]}, "type 'essay'"),
        ({"name": "x", "questions": [{"id": "a", "text": "A?", "type": "yes_no", "bant": "x"}]},
         "BANT category"),
        ({"name": "x"}, "list of questions"),
        ({"name": "x", "questions": ["a"]}, "must be an object"),
        ({"name": "x", "questions": [{"id": "a", "text": 5, "type": "text"}]}, "must be text"),
    ],
)  # fmt: skip
def test_unreadable_script_data_names_the_problem(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ScriptError, match=message):
        Script.from_dict(data)


# ----------------------------------------------------------------------- branching


def test_branches_show_follow_up_questions_only_for_matching_earlier_answers() -> None:
    script = Script(
        "Branches",
        (
            yes_no("budget"),
            Question("amount", "How much?", Q.NUMBER, show_if=Condition("budget", ("yes",))),
            ROLE,
            Question("who", "Name them", Q.TEXT, show_if=Condition("role", ("boss", "team"))),
            TOOLS,
            Question("sap_version", "Which?", Q.TEXT, show_if=Condition("tools", ("sap",))),
            Question("big", "Big?", Q.YES_NO, show_if=Condition("amount", ("50000",))),
        ),
    )

    def shown(answers: dict[str, Any]) -> list[str]:
        return [q.id for q in visible_questions(script, answers)]

    assert shown({}) == ["budget", "role", "tools"]
    assert shown({"budget": False}) == ["budget", "role", "tools"]
    assert shown({"budget": True}) == ["budget", "amount", "role", "tools"]
    assert shown({"budget": True, "amount": 50000.0}) == [
        "budget",
        "amount",
        "role",
        "tools",
        "big",
    ]
    assert shown({"role": "me"}) == ["budget", "role", "tools"]
    assert shown({"role": "team"}) == ["budget", "role", "who", "tools"]
    assert shown({"tools": ["excel", "sap"]}) == ["budget", "role", "tools", "sap_version"]
    # A follow-up of a hidden question stays hidden, whatever its own source says.
    assert shown({"budget": False, "amount": 50000.0}) == ["budget", "role", "tools"]


# ----------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("question", "typed", "value", "text"),
    [
        (yes_no("a"), "Yes", True, "Yes"),
        (yes_no("a"), " n ", False, "No"),
        (yes_no("a"), "ja", True, "Yes"),
        (ROLE, "boss", "boss", "The boss"),
        (ROLE, "the TEAM", "team", "The team"),
        (ROLE, "3", "me", "Me"),
        (TOOLS, "crm, Excel", ["excel", "crm"], "Excel, A CRM"),
        (AMOUNT, "12,000", 12000.0, "12,000"),
        (AMOUNT, "$12k", 12000.0, "12,000"),
        (AMOUNT, "1.5m", 1_500_000.0, "1,500,000"),
        (AMOUNT, "12.000,50", 12000.5, "12,000.5"),
        (AMOUNT, "12,5", 12.5, "12.5"),
        (AMOUNT, "1.200.000", 1_200_000.0, "1,200,000"),
        (AMOUNT, "€ 300", 300.0, "300"),
        (START, "2026-03-01", date(2026, 3, 1), "2026-03-01"),
        (START, "2026/03/01", date(2026, 3, 1), "2026-03-01"),
        (NOTE, "  Uses Salesforce  ", "Uses Salesforce", "Uses Salesforce"),
    ],
)
def test_typed_answers_are_read_as_data_and_written_as_people_read_them(
    question: Question, typed: str, value: Any, text: str
) -> None:
    parsed = parse_answer(question, typed)
    assert parsed == value and type(parsed) is type(value)
    assert answer_text(question, parsed) == text


@pytest.mark.parametrize(
    ("question", "typed", "message"),
    [
        (yes_no("a"), "perhaps", "Answer yes or no"),
        (ROLE, "king", "Choose one of: The boss"),
        (ROLE, "4", "Choose one of"),
        (TOOLS, "excel, oracle", "Choose one of"),
        (AMOUNT, "a lot", "Enter a number"),
        (AMOUNT, "nan", "Enter a number"),
        (START, "next week", "YYYY-MM-DD"),
        (NOTE, "   ", "No answer given"),
    ],
)
def test_answers_that_do_not_fit_say_what_to_type(
    question: Question, typed: str, message: str
) -> None:
    with pytest.raises(AnswerError, match=message):
        parse_answer(question, typed)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (yes_no("a"), "yes"),
        (ROLE, "king"),
        (TOOLS, []),
        (TOOLS, ["excel", "oracle"]),
        (AMOUNT, True),
        (AMOUNT, "12"),
        (START, "2026-01-01"),
        (NOTE, ""),
    ],
)
def test_storing_an_answer_checks_its_type(question: Question, value: Any) -> None:
    with pytest.raises(AnswerError):
        to_json(question, value)


def test_stored_answers_that_no_longer_fit_the_script_are_refused_on_reading() -> None:
    with pytest.raises(AnswerError, match="one of boss, team, me"):
        from_json(ROLE, "ceo")
    with pytest.raises(AnswerError, match="date"):
        from_json(START, "soon")


# ----------------------------------------------------------------------- properties

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e18, max_value=1e18)


@st.composite
def question_and_value(draw: st.DrawFn) -> tuple[Question, Any]:
    kind = draw(st.sampled_from(list(QuestionType)))
    if kind is Q.YES_NO:
        return yes_no("q"), draw(st.booleans())
    if kind is Q.SINGLE_CHOICE:
        return ROLE, draw(st.sampled_from([c.value for c in ROLE.choices]))
    if kind is Q.MULTI_CHOICE:
        chosen = draw(st.sets(st.sampled_from([c.value for c in TOOLS.choices]), min_size=1))
        return TOOLS, [c.value for c in TOOLS.choices if c.value in chosen]
    if kind is Q.NUMBER:
        return AMOUNT, draw(finite)
    if kind is Q.DATE:
        return START, draw(st.dates())
    text = draw(st.text(min_size=1).filter(lambda s: s.strip() and s == s.strip()))
    return NOTE, text


@given(question_and_value())
def test_answer_text_reads_back_to_the_same_value(case: tuple[Question, Any]) -> None:
    question, value = case
    parsed = parse_answer(question, answer_text(question, value))
    assert parsed == value


@given(question_and_value())
def test_storage_form_is_json_and_reads_back(case: tuple[Question, Any]) -> None:
    import json

    question, value = case
    stored = json.loads(json.dumps(to_json(question, value)))
    assert from_json(question, stored) == value


ids = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@st.composite
def scripts(draw: st.DrawFn) -> Script:
    question_ids = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    questions: list[Question] = []
    for qid in question_ids:
        kind = draw(st.sampled_from(list(QuestionType)))
        choices: tuple[Choice, ...] = ()
        if kind.has_choices:
            values = draw(st.lists(ids, min_size=2, max_size=4, unique=True))
            choices = tuple(Choice(v, v.upper()) for v in values)
        show_if = None
        earlier = [q for q in questions if q.type in (Q.YES_NO, Q.SINGLE_CHOICE)]
        if earlier and draw(st.booleans()):
            source = draw(st.sampled_from(earlier))
            options = (
                ["yes", "no"] if source.type is Q.YES_NO else [c.value for c in source.choices]
            )
            show_if = Condition(
                source.id, tuple(draw(st.sets(st.sampled_from(options), min_size=1)))
            )
        bar = None
        if kind is Q.NUMBER and draw(st.booleans()):
            bar = ReadyBar(min_number=draw(finite), label=draw(st.text(max_size=5)))
        elif kind is Q.YES_NO and draw(st.booleans()):
            bar = ReadyBar(any_of=("yes",))
        questions.append(
            Question(
                qid,
                draw(st.text(min_size=1).filter(str.strip)),
                kind,
                help=draw(st.text(max_size=10)),
                bant=draw(st.none() | st.sampled_from(list(Bant))),
                choices=choices,
                show_if=show_if,
                ready_bar=bar,
                required=draw(st.booleans()),
                label=draw(st.text(max_size=6)),
            )
        )
    return Script(draw(st.text(min_size=1).filter(str.strip)), tuple(questions))


@given(scripts())
def test_any_valid_script_round_trips_through_its_dict(script: Script) -> None:
    import json

    assert Script.from_dict(json.loads(json.dumps(script.to_dict()))) == script


# ----------------------------------------------------------------------- readiness


def test_readiness_lists_what_is_missing_until_every_bar_is_met() -> None:
    script = default_script()
    empty = readiness(script, {}, score=60, threshold=75)
    assert not empty.ready
    assert empty.checks[0].label == "Score 60 of at least 75"
    assert empty.checks[0].detail == "15 points short"
    assert empty.missing == (
        "Score 60 of at least 75",
        "Need confirmed",
        "Buying within a year",
        "Budget available",
        "Talking to a decision maker or influencer",
    )
    answers = {"need": True, "timeline": "later", "budget": True, "authority": "influencer"}
    partly = readiness(script, answers, score=80, threshold=75)
    assert partly.missing == ("Buying within a year",)
    assert {c.label: c.detail for c in partly.checks}["Buying within a year"] == (
        "Later than a year"
    )
    answers["timeline"] = "this_year"
    assert readiness(script, answers, score=75, threshold=75).ready


def test_a_bar_on_a_skipped_question_is_not_met_and_says_why() -> None:
    script = Script(
        "Bars",
        (
            yes_no("budget"),
            Question(
                "amount",
                "How much?",
                Q.NUMBER,
                label="Amount",
                show_if=Condition("budget", ("yes",)),
                ready_bar=ReadyBar(min_number=10_000),
            ),
        ),
    )
    skipped = readiness(script, {"budget": False, "amount": 50_000.0}, 90, 75)
    assert skipped.missing == ("Amount: at least 10,000",)
    assert skipped.checks[1].detail == "not asked: an earlier answer skips it"
    low = readiness(script, {"budget": True, "amount": 9_999.0}, 90, 75)
    assert low.missing == ("Amount: at least 10,000",) and low.checks[1].detail == "9,999"
    assert readiness(script, {"budget": True, "amount": 10_000.0}, 90, 75).ready


def test_reason_codes_have_labels_and_other_needs_a_note() -> None:
    assert [r.value for r in DisqualifyReason] == [
        "no_fit", "no_need", "no_budget", "no_authority", "competitor", "student",
        "duplicate", "other",
    ]  # fmt: skip
    assert all(r.label for r in DisqualifyReason) and all(r.label for r in ExceptionReason)
    assert [r for r in DisqualifyReason if r.needs_note] == [DisqualifyReason.OTHER]
    assert [r for r in ExceptionReason if r.needs_note] == [ExceptionReason.OTHER]
