"""One score, one truth: whatever happens to the leads, every lead's stored score, grade
and priority are what the rules in force give for its data today, and every queue reason
agrees with the lead's calls.

The property runs random sequences of what a desk does — imports (with each duplicate
policy), calls with their outcomes, answers and decisions, engagement imported,
contact fields corrected, scoring rules published — and checks after every step,
recomputing each lead's score with the engine from its raw rows (not through the
services' own reading of them). It runs on SQLite; one fixed sequence runs on both
databases.
"""

from __future__ import annotations

import csv
import shutil
import uuid
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition, DuplicatePolicy, EngagementKind, UserRole
from teleprospect.core.queue_policy import DEFAULT_RETRY_RULES, stored_priority
from teleprospect.core.scoring.engine import ScoreInput
from teleprospect.core.scoring.rules import GradeBand, KeywordRule, Thresholds
from teleprospect.core.scripts import DisqualifyReason
from teleprospect.services.calls.decisions import Decision, DecisionRefused
from teleprospect.services.calls.lead_detail import lead_detail, update_contact
from teleprospect.services.calls.log_call import log_call
from teleprospect.services.database import upgrade_database
from teleprospect.services.imports.activity import ActivityImportRequest, import_activity
from teleprospect.services.imports.leads import LeadImportRequest, import_leads
from teleprospect.services.leads.lead_list import lead_page
from teleprospect.services.queue.page import queue_context, queue_entries
from teleprospect.services.scoring.rescore import rescore_all, save_rules
from teleprospect.services.scoring.scores import active_rules, score_breakdown
from teleprospect.services.settings.team_settings import PRIORITY_WEIGHTS, read_setting
from teleprospect.store.database import Database
from teleprospect.store.models import Call, Campaign, EngagementEvent, Lead, LeadAnswer, User
from teleprospect.store.types import utcnow

# ----------------------------------------------------------------------------- the steps


@dataclass(frozen=True)
class ImportLeads:
    #: (first name, title, company, industry, size, country, phone, email) per row.
    rows: tuple[tuple[str, str, str, str, str, str, str, str], ...]
    policy: DuplicatePolicy
    with_campaign: bool


@dataclass(frozen=True)
class Call_:
    lead: int  # an index into the leads there are (modulo their number)
    disposition: Disposition
    answers: tuple[tuple[str, Any], ...]
    decision: DecisionKind | None


@dataclass(frozen=True)
class Activity:
    #: (lead index, kind, days ago) per row.
    rows: tuple[tuple[int, str, int], ...]


@dataclass(frozen=True)
class NewRules:
    vp_points: int
    webinar_points: int
    half_life_days: int
    bands: tuple[int, int, int]  # A, B, C from
    sales_ready: int


@dataclass(frozen=True)
class EditContact:
    lead: int
    title: str
    industry: str


Step = ImportLeads | Call_ | Activity | NewRules | EditContact

FIRST_NAMES = ("Ada", "Bo", "Cem", "Dana")
TITLES = ("VP Sales", "CEO", "Student", "IT Manager", "Head of Data", "Engineer", "")
COMPANIES = ("Vogel GmbH", "Acme Corp", "Nordwind AG", "")
INDUSTRIES = ("Software", "Manufacturing", "Retail", "")
SIZES = ("", "12", "250", "4000")
COUNTRIES = ("DE", "US", "")
PHONES = ("+49 30 901820", "+49 89 1234567", "(312) 555-0100", "12", "")
EMAILS = ("", "ada@vogel.de", "bo@gmail.com", "cem@acme.example", "dana@nordwind.de")
ACTIVITY_KINDS = ("Attended webinar", "Downloaded", "Email Opened", "Visited Web Page")
ANSWERS = st.lists(
    st.one_of(
        st.tuples(st.just("need"), st.booleans()),
        st.tuples(st.just("budget"), st.booleans()),
        st.tuples(st.just("budget_amount"), st.sampled_from([5_000.0, 20_000.0, 80_000.0])),
        st.tuples(
            st.just("timeline"), st.sampled_from(["this_quarter", "this_year", "later", "none"])
        ),
        st.tuples(st.just("authority"), st.sampled_from(["decision_maker", "influencer", "none"])),
    ),
    max_size=4,
    unique_by=lambda pair: pair[0],
).map(tuple)

leads_rows = st.lists(
    st.tuples(
        st.sampled_from(FIRST_NAMES),
        st.sampled_from(TITLES),
        st.sampled_from(COMPANIES),
        st.sampled_from(INDUSTRIES),
        st.sampled_from(SIZES),
        st.sampled_from(COUNTRIES),
        st.sampled_from(PHONES),
        st.sampled_from(EMAILS),
    ),
    min_size=1,
    max_size=4,
).map(tuple)

steps = st.lists(
    st.one_of(
        st.builds(ImportLeads, leads_rows, st.sampled_from(list(DuplicatePolicy)), st.booleans()),
        st.builds(
            Call_,
            st.integers(0, 20),
            st.sampled_from(list(Disposition)),
            ANSWERS,
            st.sampled_from(
                [
                    None,
                    None,
                    DecisionKind.NURTURE,
                    DecisionKind.CALLBACK,
                    DecisionKind.DISQUALIFY,
                    DecisionKind.SALES_READY,
                ]
            ),  # fmt: skip
        ),
        st.builds(
            Activity,
            st.lists(
                st.tuples(st.integers(0, 20), st.sampled_from(ACTIVITY_KINDS), st.integers(0, 90)),
                min_size=1,
                max_size=4,
            ).map(tuple),
        ),
        st.builds(
            NewRules,
            st.integers(0, 45),
            st.integers(0, 40),
            st.integers(1, 60),
            st.tuples(st.integers(61, 95), st.integers(41, 60), st.integers(1, 40)),
            st.integers(40, 95),
        ),
        st.builds(
            EditContact, st.integers(0, 20), st.sampled_from(TITLES), st.sampled_from(INDUSTRIES)
        ),
    ),
    min_size=1,
    max_size=6,
)

# ----------------------------------------------------------------------------- running them


@dataclass
class Desk:
    db: Database
    folder: Path
    user: int
    campaign: int

    def lead_ids(self) -> list[int]:
        with self.db.read() as s:
            return list(s.scalars(select(Lead.id).order_by(Lead.id)))

    def pick(self, index: int) -> int | None:
        ids = self.lead_ids()
        return ids[index % len(ids)] if ids else None


def make_desk(db: Database, folder: Path) -> Desk:
    with db.write() as s:
        # A team lead who also calls: the one person who may publish rules and log calls.
        user = User(login="maria", name="Maria", role=UserRole.TEAM_LEAD)
        campaign = Campaign(name="Webinar", channel="webinar", default_region="DE")
        s.add_all([user, campaign])
        s.flush()
        return Desk(db, folder, user.id, campaign.id)


def write_csv(folder: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    path = folder / f"{uuid.uuid4().hex}.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


LEAD_HEADER = ("First Name", "Title", "Company", "Industry", "Employees", "Country", "Phone",
               "Email")  # fmt: skip


def run(desk: Desk, step: Step) -> None:
    db, now = desk.db, utcnow()
    if isinstance(step, ImportLeads):
        import_leads(
            db,
            LeadImportRequest(
                path=write_csv(desk.folder, LEAD_HEADER, step.rows),
                campaign_id=desk.campaign if step.with_campaign else None,
                on_duplicate=step.policy,
                allow_reimport=True,
                parallel=False,
            ),
        )
    elif isinstance(step, Activity):
        rows = []
        for index, kind, days in step.rows:
            lead_id = desk.pick(index)
            with db.read() as s:
                email = s.scalar(select(Lead.email).where(Lead.id == lead_id)) if lead_id else None
            if email:
                when = (now - timedelta(days=days, minutes=7)).isoformat()
                rows.append((email, kind, when, "from the property test"))
        if rows:
            header = ("Email Address", "Activity Type", "Activity Date", "Asset Name")
            path = write_csv(desk.folder, header, rows)
            import_activity(db, ActivityImportRequest(path=path, allow_reimport=True))
    elif isinstance(step, Call_):
        lead_id = desk.pick(step.lead)
        if lead_id is None:
            return
        # A refused decision writes nothing: there is nothing new to check then.
        with suppress(DecisionRefused):
            log_call(
                db,
                lead_id,
                desk.user,
                disposition=step.disposition,
                answers=dict(step.answers),
                decision=_decision(step.decision, now),
            )
    elif isinstance(step, NewRules):
        rules = active_rules(db).rules
        seniority = tuple(
            replace(rule, points=step.vp_points) if rule.label == "VP-level" else rule
            for rule in rules.fit.seniority
        ) or (KeywordRule("VP-level", ("vp",), step.vp_points),)
        engagement = tuple(
            replace(rule, points=step.webinar_points, half_life_days=step.half_life_days)
            if rule.kind is EngagementKind.WEBINAR_ATTENDED
            else rule
            for rule in rules.engagement
        )
        a, b, c = step.bands
        thresholds = Thresholds(
            step.sales_ready,
            (GradeBand(a, "A", "Hot"), GradeBand(b, "B", "Warm"), GradeBand(c, "C", "Cool"),
             GradeBand(0, "D", "Cold")),
        )  # fmt: skip
        save_rules(
            db,
            replace(
                rules,
                fit=replace(rules.fit, seniority=seniority),
                engagement=engagement,
                thresholds=thresholds,
            ),
            desk.user,
            "from the property test",
        )
    elif isinstance(step, EditContact):
        lead_id = desk.pick(step.lead)
        if lead_id is None:
            return
        version = lead_detail(db, lead_id).version
        update_contact(
            db,
            lead_id,
            desk.user,
            {"title": step.title, "industry": step.industry},
            expected_version=version,
        )


def _decision(kind: DecisionKind | None, now: datetime) -> Decision | None:
    if kind is None:
        return None
    if kind is DecisionKind.DISQUALIFY:
        return Decision(kind, reason=DisqualifyReason.NO_NEED.value)
    if kind is DecisionKind.CALLBACK:
        at = (now + timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
        return Decision(kind, callback_at=at, at_lead_request=True)
    return Decision(kind)


# ----------------------------------------------------------------------------- the checks


def assert_one_score(desk: Desk) -> None:
    """Every lead's stored values are what the rules in force give today, on every
    screen's reading of them; every queue reason agrees with the lead's calls."""
    db, now = desk.db, utcnow()
    rules = active_rules(db)
    listed = {row.id: row for row in lead_page(db, after_id=None, limit=1_000)}
    with db.read() as s:
        weights = read_setting(s, PRIORITY_WEIGHTS)
        leads = list(s.scalars(select(Lead).order_by(Lead.id)))
        events: dict[int, list[tuple[Any, datetime]]] = {}
        for lead_id, kind, at in s.execute(
            select(EngagementEvent.lead_id, EngagementEvent.kind, EngagementEvent.occurred_at)
        ):
            events.setdefault(lead_id, []).append((kind, at))
        answers: dict[int, dict[str, Any]] = {}
        for lead_id, qid, value in s.execute(
            select(LeadAnswer.lead_id, LeadAnswer.question_id, LeadAnswer.value)
        ):
            answers.setdefault(lead_id, {})[qid] = value
        calls: dict[int, list[Disposition]] = {}
        for lead_id, disposition in s.execute(
            select(Call.lead_id, Call.disposition)
            .where(Call.disposition.is_not(None))
            .order_by(Call.started_at, Call.id)
        ):
            calls.setdefault(lead_id, []).append(disposition)
        ctx = queue_context(s, desk.user, now, None)
        entries = {e.lead_id: e for e in queue_entries(s, ctx, [x.id for x in leads], {}, UTC)}
    for lead in leads:
        has_phone = bool(lead.phone_raw or lead.phone_e164)
        expected = rules.compiled.score(
            ScoreInput(
                title=lead.title,
                industry=lead.industry,
                company_size=lead.company_size,
                country=lead.country,
                email=lead.email,
                phone_valid=bool(lead.phone_valid) if has_phone else None,
                company=lead.company,
                events=tuple(events.get(lead.id, ())),
                answers=answers.get(lead.id, {}),
            ),
            now,
        )
        name = f"lead {lead.id} ({lead.title!r})"
        assert lead.score == expected.total, name
        assert lead.rules_version == rules.version, name
        touch = lead.last_attempt_at or lead.created_at
        assert lead.priority == stored_priority(lead.score, lead.attempts, touch, weights), name
        # Every screen reads the same score and grade.
        detail = lead_detail(db, lead.id)
        assert (detail.score, detail.grade) == (expected.total, expected.grade), name
        assert (listed[lead.id].score, listed[lead.id].grade) == (expected.total, expected.grade)
        entry = entries[lead.id]
        assert (entry.score, entry.grade) == (expected.total, expected.grade), name
        assert sum(
            int(line.split()[0].replace("\u2212", "-")) for line in detail.breakdown_lines
        ) == (lead.score), name
        assert score_breakdown(db, lead.id).total == lead.score, name
        # The queue's reason agrees with the calls.
        made = calls.get(lead.id, [])
        assert entry.calls == len(made), name
        assert entry.last_outcome == (made[-1].label if made else None), name
        counted = sum(DEFAULT_RETRY_RULES[d].counts_as_attempt for d in made)
        assert 0 <= lead.attempts <= counted, name
        if "not tried yet" in entry.reason:
            assert not made, f"{name}: {entry.reason}"
        if entry.reason.startswith("score "):
            assert entry.reason.startswith(f"score {lead.score}, "), entry.reason
            tries = entry.reason.split(", ")[1]
            if not made:
                assert tries == "not tried yet", entry.reason
            elif lead.attempts:
                assert tries == f"{lead.attempts} attempt{'s' if lead.attempts > 1 else ''}"
            else:
                assert tries == f"last call {made[-1].label.lower()}", entry.reason


def run_and_check(desk: Desk, sequence: Sequence[Step]) -> None:
    for step in sequence:
        run(desk, step)
        assert_one_score(desk)
    # Nothing left to re-score: the stored values were right all along.
    summary = rescore_all(desk.db)
    assert (summary.changed, summary.reordered) == (0, 0)


# ----------------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the newest schema, copied for each example (migrating is slow)."""
    path = tmp_path_factory.mktemp("template") / "desk.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade_database(db)
    db.dispose()
    return path


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("examples")


FIXED: tuple[Step, ...] = (
    ImportLeads(
        (("Ada", "VP Sales", "Vogel GmbH", "Software", "250", "DE", "+49 30 901820",
          "ada@vogel.de"),
         ("Bo", "Student", "", "", "", "US", "12", "bo@gmail.com")),
        DuplicatePolicy.SKIP, True,
    ),
    Activity(((0, "Attended webinar", 3), (0, "Downloaded", 40), (1, "Email Opened", 0))),
    Call_(0, Disposition.NO_ANSWER, (), None),
    Call_(0, Disposition.CONNECTED, (("need", True), ("budget", True),
                                     ("budget_amount", 80_000.0)), None),
    EditContact(1, "CEO", "Software"),
    ImportLeads(
        (("Ada", "Chief Executive Officer", "Vogel GmbH", "Manufacturing", "4000", "DE",
          "+49 30 901820", "ada@vogel.de"),),
        DuplicatePolicy.UPDATE, False,
    ),
    NewRules(40, 30, 10, (85, 55, 30), 60),
    Call_(1, Disposition.CONNECTED, (("authority", "decision_maker"),), DecisionKind.NURTURE),
)  # fmt: skip


@given(steps)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(FIXED)
def test_every_lead_keeps_one_score_whatever_happens(
    template: Path, examples: Path, sequence: list[Step]
) -> None:
    folder = examples / uuid.uuid4().hex
    folder.mkdir()
    shutil.copy(template, folder / "desk.sqlite3")
    db = Database(f"sqlite:///{folder / 'desk.sqlite3'}")
    try:
        run_and_check(make_desk(db, folder), sequence)
    finally:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def test_one_day_at_a_desk_keeps_one_score(db: Database, tmp_path: Path) -> None:
    run_and_check(make_desk(db, tmp_path), FIXED)
