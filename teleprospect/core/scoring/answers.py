"""Points for script answers: any question of the qualification script may carry them.

A question added to the script is scored once the rules have an :class:`AnswerRule` for
its id; these functions build that rule from the question itself (its type, its choices),
so what a team lead edits is "points per answer of this question", and check that rules
and script still agree after either changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from teleprospect.core.scoring.rules import AnswerRule, AnswerType, ScoringRules
from teleprospect.core.scripts import Question, QuestionType, Script

__all__ = [
    "answer_options",
    "answer_rule_type",
    "is_scorable",
    "mismatches",
    "with_answer_points",
]

_RULE_TYPES = {
    QuestionType.YES_NO: AnswerType.YES_NO,
    QuestionType.SINGLE_CHOICE: AnswerType.CHOICE,
    QuestionType.MULTI_CHOICE: AnswerType.CHOICE,
    QuestionType.NUMBER: AnswerType.NUMBER,
}


def is_scorable(question: Question) -> bool:
    """Dates and free text earn no points; every other answer may."""
    return question.type in _RULE_TYPES


def answer_rule_type(question: Question) -> AnswerType:
    return _RULE_TYPES[question.type]


def answer_options(question: Question) -> list[tuple[str, str]]:
    """(stored value, what the rep sees) of each answer that can carry points; empty for a
    number question (its points go by thresholds)."""
    if question.type is QuestionType.YES_NO:
        return [("yes", "Yes"), ("no", "No")]
    return [(c.value, c.label) for c in question.choices]


def with_answer_points(
    rules: ScoringRules,
    question: Question,
    points: Mapping[str, int],
    thresholds: Sequence[tuple[float, int]] = (),
) -> ScoringRules:
    """``rules`` where ``question``'s answers give ``points`` (number questions:
    ``thresholds``); answers at zero points are left out, and a question left with none
    has no rule at all."""
    kept = {answer: value for answer, value in points.items() if value}
    steps = tuple((minimum, value) for minimum, value in thresholds if value)
    others = tuple(r for r in rules.qualification if r.question_id != question.id)
    if not is_scorable(question) or not (kept or steps):
        qualification = others
    else:
        rule = AnswerRule(
            question.id,
            question.title,
            answer_rule_type(question),
            points=kept if question.type is not QuestionType.NUMBER else {},
            thresholds=steps if question.type is QuestionType.NUMBER else (),
        )
        old = [r.question_id for r in rules.qualification]
        listed = list(others)
        # Keep the rule where it was, so a diff of two versions shows one changed line.
        listed.insert(old.index(question.id) if question.id in old else len(listed), rule)
        qualification = tuple(listed)
    return ScoringRules(
        rules.fit, rules.engagement, qualification, rules.negative, rules.thresholds
    )


def mismatches(rules: ScoringRules, script: Script) -> list[str]:
    """Where the rules give points the script's answers can never earn, one sentence each:
    a question not in the script, of another type, or a choice it does not offer."""
    questions = {q.id: q for q in script.questions}
    found = []
    for rule in rules.qualification:
        question = questions.get(rule.question_id)
        if question is None:
            found.append(
                f"The rules give points for “{rule.label}” ({rule.question_id}), a question the"
                " script does not ask."
            )
            continue
        if not is_scorable(question) or answer_rule_type(question) is not rule.answer_type:
            found.append(
                f"The rules score “{rule.label}” as {rule.answer_type.value.replace('_', '/')},"
                f" but the script asks it as {question.type.label.lower()}."
            )
            continue
        offered = {value for value, _ in answer_options(question)}
        for answer in rule.points:
            if question.type is not QuestionType.NUMBER and answer not in offered:
                found.append(
                    f"The rules give points for the answer “{answer}” to “{rule.label}”,"
                    " which the script does not offer."
                )
    return found
