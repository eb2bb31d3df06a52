"""Scoring rules as a team lead handles them: shown, exported to a file, read back from one,
previewed (how many leads would change grade) and published (then every lead re-scored).

Publishing is :func:`teleprospect.services.scoring.rescore.save_rules`; the preview
scores every lead with the new rules exactly as re-scoring would, in the same chunks
(:class:`~teleprospect.services.scoring.rescore._ChunkScorer`), and writes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from teleprospect.core.errors import Invalid
from teleprospect.core.scoring.answers import answer_options, is_scorable, mismatches
from teleprospect.core.scoring.rules import AnswerRule, ScoringRules
from teleprospect.core.scripts import Question
from teleprospect.services.calls.scripts import active_script_in_session
from teleprospect.services.clock import decision_time
from teleprospect.services.scoring.rescore import (
    RESCORE_CHUNK,
    CancelCheck,
    ProgressCallback,
    RescoreCancelled,
    _ChunkScorer,
)
from teleprospect.services.scoring.scores import ActiveRules, compiled_for, rules_in_session
from teleprospect.services.settings.team_settings import PRIORITY_WEIGHTS, read_setting
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead, ScoringRuleSet, User

__all__ = [
    "GradePreview",
    "RulesFileError",
    "RulesInForce",
    "ScorableQuestion",
    "export_rules",
    "preview_rules",
    "read_rules_file",
    "rules_in_force",
    "scorable_questions",
]


class RulesFileError(Invalid):
    """A rules file that cannot be read; the message is one sentence."""


@dataclass(frozen=True)
class RulesInForce:
    version: int
    rules: ScoringRules
    published_at: datetime | None
    published_by: str
    note: str
    #: Where the rules give points the published script's answers can never earn.
    mismatches: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "published_by": self.published_by,
            "note": self.note,
            "mismatches": list(self.mismatches),
            "rules": self.rules.to_dict(),
        }


def rules_in_force(db: Database) -> RulesInForce:
    """The rules in force, who published them and when, and how they fit the script."""
    with db.read() as session:
        active = rules_in_session(session)
        row = session.execute(
            select(ScoringRuleSet.created_at, ScoringRuleSet.note, User.name)
            .outerjoin(User, User.id == ScoringRuleSet.created_by_id)
            .where(ScoringRuleSet.version == active.version)
        ).first()
        script = active_script_in_session(session).script
    return RulesInForce(
        active.version,
        active.rules,
        row.created_at if row else None,
        (row.name if row and row.name else "Teleprospect"),
        row.note if row else "",
        tuple(mismatches(active.rules, script)),
    )


def export_rules(db: Database, path: Path) -> int:
    """Write the rules in force to ``path`` as JSON (what ``publish`` reads); their version."""
    active = rules_in_force(db)
    try:
        path.write_text(
            json.dumps(active.rules.to_dict(), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    except OSError as error:
        raise RulesFileError(
            f"The rules could not be written to {path}: {error.strerror or error}."
        ) from None
    return active.version


def read_rules_file(path: Path) -> ScoringRules:
    """Rules from a JSON file; one sentence saying what is wrong otherwise."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RulesFileError(f"There is no file {path}.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RulesFileError(f"The file {path} could not be read: {error}.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RulesFileError(
            f"The file {path.name} is not JSON (line {error.lineno}: {error.msg})."
        ) from None
    return ScoringRules.from_dict(data)


# ----------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class ScorableQuestion:
    """A question of the published script that may carry points, with the rule in force."""

    question: Question
    #: (stored value, label) of each answer; empty for a number question.
    options: tuple[tuple[str, str], ...]
    rule: AnswerRule | None


def scorable_questions(db: Database) -> list[ScorableQuestion]:
    """The published script's questions whose answers may earn points, in script order."""
    with db.read() as session:
        script = active_script_in_session(session).script
        rules = {r.question_id: r for r in rules_in_session(session).rules.qualification}
    return [
        ScorableQuestion(q, tuple(answer_options(q)), rules.get(q.id))
        for q in script.questions
        if is_scorable(q)
    ]


# ----------------------------------------------------------------------------- preview


@dataclass
class GradePreview:
    """What publishing rules would do to the leads, counted before anything is written."""

    leads: int = 0
    #: Leads whose score would change.
    changed_scores: int = 0
    #: Leads whose grade would change, by (grade now, grade then).
    moves: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Leads that would reach, or fall below, the sales-ready threshold.
    become_sales_ready: int = 0
    stop_being_sales_ready: int = 0

    @property
    def changed_grades(self) -> int:
        return sum(self.moves.values())

    def describe(self) -> str:
        """One sentence: "12 of 3,400 leads change grade (B→A 9, C→B 3)."."""
        if not self.leads:
            return "There are no leads to re-score."
        moves = ", ".join(f"{a}→{b} {n:,}" for (a, b), n in sorted(self.moves.items()))
        text = f"{self.changed_grades:,} of {self.leads:,} leads change grade"
        text += f" ({moves})" if moves else ""
        text += f"; {self.changed_scores:,} change score"
        if self.become_sales_ready or self.stop_being_sales_ready:
            text += (
                f"; {self.become_sales_ready:,} reach the sales-ready threshold,"
                f" {self.stop_being_sales_ready:,} fall below it"
            )
        return text + "."

    def as_json(self) -> dict[str, Any]:
        return {
            "leads": self.leads,
            "changed_scores": self.changed_scores,
            "changed_grades": self.changed_grades,
            "moves": [{"from": a, "to": b, "leads": n} for (a, b), n in sorted(self.moves.items())],
            "become_sales_ready": self.become_sales_ready,
            "stop_being_sales_ready": self.stop_being_sales_ready,
        }


def preview_rules(
    db: Database,
    rules: ScoringRules,
    *,
    now: datetime | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    chunk: int = RESCORE_CHUNK,
) -> GradePreview:
    """How many leads would change grade (and score, and sales-readiness) if ``rules`` were
    published now: every lead scored as re-scoring would, nothing written."""
    ScoringRules.from_dict(rules.to_dict())  # what could not be published is not previewed
    with db.read() as session:
        now = decision_time(session, now)
        current = rules_in_session(session).rules.thresholds
        weights = read_setting(session, PRIORITY_WEIGHTS)
        total = session.scalar(select(func.count(Lead.id))) or 0
        campaigns = dict(session.execute(select(Campaign.id, Campaign.default_region)).all())
    scorer = _ChunkScorer(ActiveRules(0, rules, compiled_for(rules)), weights, campaigns, now)
    new = rules.thresholds
    preview = GradePreview()
    after = 0
    if progress:
        progress(0, total)
    while True:
        if should_cancel and should_cancel():
            raise RescoreCancelled("The preview was cancelled; nothing was changed.")
        with db.read() as session:
            scored = scorer.read_and_score(session.connection(), after, chunk)
        if scored is None:
            break
        for old_score, score in zip(scored.old_scores, scored.scores, strict=True):
            preview.leads += 1
            if old_score == score and current == new:
                continue
            preview.changed_scores += old_score != score
            was, will = current.grade_for(old_score).grade, new.grade_for(score).grade
            if was != will:
                preview.moves[(was, will)] += 1
            ready_then, ready_now = current.is_sales_ready(old_score), new.is_sales_ready(score)
            preview.become_sales_ready += ready_now and not ready_then
            preview.stop_being_sales_ready += ready_then and not ready_now
        after = scored.ids[-1]
        if progress:
            progress(preview.leads, max(total, preview.leads))
    return preview
