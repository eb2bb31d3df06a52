"""Demo data: realistic, deterministic users, campaigns, leads, calls and their past.

``load_demo(db, leads=2000, seed=1)`` fills a database so the app has something to
show and the benchmarks have something to chew on. The same seed and the same
``now`` always give the same rows (only database ids may differ), on SQLite and on
PostgreSQL alike.

Rules the caller can rely on:

* A database that already holds leads is refused (:class:`DemoRefused`, a
  ``ValueError``) unless ``append=True``. Appending reuses the demo users and
  campaigns by login and name; use another seed, or the same people and phone
  numbers come again.
* Everything is loaded as one long write (:class:`~teleprospect.store.staging.LongWrite`):
  on SQLite in short transactions, so nobody waits for the load, with the new rows hidden
  until they all appear at once; a cancel (:class:`DemoCancelled`) or an error removes
  them again (the shipped script and tracks it stores, when missing, stay).
* Phone fields are what :func:`teleprospect.core.phones.parse_phone` says about
  ``phone_raw`` read with the campaign's default region. About 2 % of the numbers
  are bad (too short, letters, another country's number) and are kept, flagged.
* Phone numbers are unique up to roughly a million leads; beyond that some repeat.
* The leads themselves, their calls and the campaigns they answered come from
  :mod:`teleprospect.demo.leads`.
* The worked leads have a past (:mod:`teleprospect.demo.history`): script
  answers on connected calls, and leads that are sales-ready, disqualified, do-not-call,
  in a nurture track or waiting for a callback (most of them due today), with history.
  Every lead has engagement (:mod:`teleprospect.demo.engagement`).
* Every lead is scored as the app scores any lead, once its past is made: by the rules in
  force, with its engagement and answers, through
  :class:`~teleprospect.services.scoring.scores.LeadScorer` (score, grade, priority and
  calling zones as ``teleprospect rescore`` would store them at ``now``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.orm import Session

from teleprospect.core.domain import UserRole
from teleprospect.demo.history import DemoHistory, reserve_call_ids
from teleprospect.demo.leads import DEMO_CAMPAIGNS, DemoLeadFactory
from teleprospect.services.scoring.scores import LeadScorer
from teleprospect.store.database import Database
from teleprospect.store.models import Call, Campaign, DoNotCallEntry, Lead, User
from teleprospect.store.staging import ChunkSizer, LongWrite, discard_abandoned_writes

__all__ = [
    "DEMO_USERS",
    "DemoCancelled",
    "DemoRefused",
    "DemoSummary",
    "DemoUser",
    "load_demo",
]

#: Leads between two progress reports and cancel checks (a second or so of work).
CHUNK_SIZE = 5_000
#: SQLite writes them in steps (short transactions) sized by how long the ones before took.
STEP_FIRST_LEADS = 100

#: Above this many leads the planner statistics are refreshed after loading, so
#: that queue queries are index-backed straight away.
ANALYZE_FROM = 50_000


class DemoRefused(ValueError):
    """The database already holds leads and ``append`` was not asked for."""


class DemoCancelled(Exception):
    """The caller cancelled; the transaction was rolled back, nothing was loaded."""


@dataclass(frozen=True)
class DemoSummary:
    users: int
    campaigns: int
    leads: int
    invalid_phones: int
    seconds: float


@dataclass(frozen=True)
class DemoUser:
    login: str
    name: str
    role: UserRole
    #: May manage users (the demo team has one admin, as a real one should).
    is_admin: bool = False


# The table below is laid out by hand to stay readable.
# fmt: off
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("maria.lopez", "María López", UserRole.TEAM_LEAD, is_admin=True),
    DemoUser("sam.carter", "Sam Carter", UserRole.TELEPROSPECTOR),
    DemoUser("julie.moreau", "Julie Moreau", UserRole.TELEPROSPECTOR),
    DemoUser("jonas.weber", "Jonas Weber", UserRole.TELEPROSPECTOR),
    DemoUser("priya.nair", "Priya Nair", UserRole.TELEPROSPECTOR),
    DemoUser("tom.okafor", "Tom Okafor", UserRole.TELEPROSPECTOR),
)
# fmt: on


def load_demo(
    db: Database,
    *,
    leads: int = 2000,
    seed: int = 1,
    append: bool = False,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    handoffs: bool = True,
    you: str | None = None,
) -> DemoSummary:
    """Fill ``db`` with demo users, campaigns, ``leads`` leads, their calls and their past.

    ``now`` anchors every generated time (leads are up to ~90 days old); pass a
    fixed value to get identical rows twice. ``progress(done, total)`` is called
    after each batch and ``should_cancel()`` before each; cancelling raises
    :class:`DemoCancelled` after rolling everything back. ``handoffs`` adds hand-off
    batches to sales with their verdicts (:mod:`teleprospect.demo.handoff`).

    ``you``: the login of the person loading the demo (the front-ends pass the
    operating-system login). Into a database with no users yet, they join the demo team
    as a team lead and admin who also works leads, so they try the desk as themselves:
    their own queue, the Team tab, and every command without ``--as``.
    """
    if leads < 0:
        raise ValueError("the number of demo leads cannot be negative")
    started = time.perf_counter()
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    invalid = 0
    discard_abandoned_writes(db)  # what a killed load or import left behind goes first
    with LongWrite(db, "demo data", about=f"{leads:,} demo leads", login=you or "") as write:
        with write.step() as session:
            if not append and session.scalar(select(Lead.id).limit(1)) is not None:
                raise DemoRefused(
                    "The database already holds leads. Demo data is loaded into an empty "
                    "database only, unless you ask to append it (teleprospect demo --append)."
                )
            team_is_new = session.scalar(select(User.id).limit(1)) is None
            user_ids = _ensure_users(session, now)
            owner_ids = user_ids[1:]
            # Only a new team gets you as its admin: appending demo data to a real team's
            # database makes nobody an admin.
            if you and team_is_new and you not in {user.login for user in DEMO_USERS}:
                # You come first in the round of owners, so your queue fills from the start.
                you_id = _ensure_you(session, you, now)
                user_ids, owner_ids = [*user_ids, you_id], [you_id, *owner_ids]
            campaign_ids = _ensure_campaigns(session, now)
            history = DemoHistory.for_load(
                session,
                seed=seed,
                now=now,
                campaigns=dict(zip(campaign_ids, DEMO_CAMPAIGNS, strict=True)),
            )
            scorer = LeadScorer.in_session(session, now)
        factory = DemoLeadFactory(
            seed=seed,
            now=now,
            campaign_ids=campaign_ids,
            owner_ids=owner_ids,
        )
        writer = _DemoWriter(write, factory, history, scorer)
        if progress:
            progress(0, leads)
        done = 0
        sizer = ChunkSizer(STEP_FIRST_LEADS, most=CHUNK_SIZE)
        while done < leads:
            if should_cancel and should_cancel():
                raise DemoCancelled("Loading the demo data was cancelled; nothing was kept.")
            size = min(CHUNK_SIZE, leads - done)
            write.in_steps(size, writer.write_leads, sizer)
            done += size
            if progress:
                progress(done, leads)
        invalid = writer.invalid
        if leads and handoffs:
            # Sales' side of the story: hand-off batches, some accepted, some rejected,
            # some waiting too long for a verdict, a piece per step.
            from teleprospect.demo.handoff import demo_handoff_steps

            steps = demo_handoff_steps(write.session, seed=seed, now=now)
            done_handing_off = False
            while not done_handing_off:
                with write.step():
                    try:
                        next(steps)
                    except StopIteration:
                        done_handing_off = True
        with write.publish() as session:
            # Numbers and addresses the demo's people asked never to be called on: on the
            # list only from now on, with the leads they belong to.
            writer.list_do_not_call(session)
    if leads >= ANALYZE_FROM:
        _refresh_statistics(db)
    return DemoSummary(
        users=len(user_ids),
        campaigns=len(campaign_ids),
        leads=leads,
        invalid_phones=invalid,
        seconds=time.perf_counter() - started,
    )


class _DemoWriter:
    """Writes demo leads, their calls and their past, a step's worth at a time."""

    def __init__(
        self,
        write: LongWrite,
        factory: DemoLeadFactory,
        history: DemoHistory,
        scorer: LeadScorer,
    ) -> None:
        self.write = write
        self.factory = factory
        self.history = history
        self.scorer = scorer
        self.invalid = 0
        self.is_sqlite = write.db.is_sqlite
        self.do_not_call: list[dict[str, Any]] = []

    def write_leads(self, session: Session, start: int, stop: int) -> None:
        connection = session.connection()
        lead_table, call_table = cast(Table, Lead.__table__), cast(Table, Call.__table__)
        ids = _reserve_lead_ids(connection, stop - start, self.is_sqlite)
        rows: list[dict[str, Any]] = []
        calls: list[dict[str, Any]] = []
        for lead_id, (row, lead_calls) in zip(ids, self.factory.leads(stop - start), strict=True):
            row["id"] = lead_id
            row["staged_write_id"] = self.write.write_id
            events, answers = self.history.add(row, lead_calls)
            row.update(self.scorer.queue_values(row, events=events, answers=answers))
            self.invalid += not row["phone_valid"]
            rows.append(row)
            for call in lead_calls:
                call["lead_id"] = lead_id
                calls.append(call)
        connection.execute(insert(lead_table), rows)
        if calls:
            call_ids = reserve_call_ids(connection, len(calls), self.is_sqlite)
            for call, call_id in zip(calls, call_ids, strict=True):
                call["id"] = call_id
            connection.execute(insert(call_table), calls)
        self.do_not_call += self.history.flush(
            connection, keep_do_not_call=True, staged_write_id=self.write.write_id
        )

    def list_do_not_call(self, session: Session) -> None:
        if self.do_not_call:
            session.execute(insert(cast(Table, DoNotCallEntry.__table__)), self.do_not_call)


def _ensure_users(session: Session, now: datetime) -> list[int]:
    """The demo users' ids, team lead first; existing logins are reused as they are."""
    logins = [user.login for user in DEMO_USERS]
    existing = {
        user.login: user for user in session.scalars(select(User).where(User.login.in_(logins)))
    }
    users = []
    for spec in DEMO_USERS:
        user = existing.get(spec.login)
        if user is None:
            user = User(
                login=spec.login,
                name=spec.name,
                role=spec.role,
                is_admin=spec.is_admin,
                created_at=now,
            )
            session.add(user)
        users.append(user)
    session.flush()
    return [user.id for user in users]


def _ensure_you(session: Session, login: str, now: datetime) -> int:
    """The account of the person loading the demo: a team lead and admin (as one person
    running the desk alone is); an existing account is reused as it is."""
    user = session.scalars(select(User).where(User.login == login)).first()
    if user is None:
        name = " ".join(part.capitalize() for part in login.replace("_", ".").split(".") if part)
        user = User(
            login=login,
            name=name or login,
            role=UserRole.TEAM_LEAD,
            is_admin=True,
            created_at=now,
        )
        session.add(user)
        session.flush()
    return user.id


def _ensure_campaigns(session: Session, now: datetime) -> list[int]:
    names = [campaign.name for campaign in DEMO_CAMPAIGNS]
    existing = {
        campaign.name: campaign
        for campaign in session.scalars(select(Campaign).where(Campaign.name.in_(names)))
    }
    campaigns = []
    for spec in DEMO_CAMPAIGNS:
        campaign = existing.get(spec.name)
        if campaign is None:
            starts_on = now - timedelta(days=spec.window_days[0])
            campaign = Campaign(
                name=spec.name,
                channel=spec.channel,
                offer=spec.offer,
                default_region=spec.default_region,
                starts_on=starts_on,
                created_at=starts_on,
            )
            session.add(campaign)
        campaigns.append(campaign)
    session.flush()
    return [campaign.id for campaign in campaigns]


def _reserve_lead_ids(connection: Connection, count: int, is_sqlite: bool) -> list[int]:
    """Ids for the next ``count`` leads, known before insert so that calls can point at them.

    SQLite: the write transaction began with BEGIN IMMEDIATE, so nobody else can
    insert meanwhile and the next ids follow the largest one. PostgreSQL: taken from
    the column's sequence, which stays correct with other writers at work.
    """
    if is_sqlite:
        last = connection.scalar(select(func.coalesce(func.max(Lead.id), 0))) or 0
        return list(range(last + 1, last + 1 + count))
    reserved = connection.scalars(
        text("SELECT nextval(pg_get_serial_sequence('lead', 'id')) FROM generate_series(1, :n)"),
        {"n": count},
    )
    return sorted(reserved)


def _refresh_statistics(db: Database) -> None:
    with db.write() as session:
        if db.is_sqlite:
            # A sampled ANALYZE: seconds instead of a full scan of every index.
            session.execute(text("PRAGMA analysis_limit=2000"))
            session.execute(text("ANALYZE"))
            session.execute(text("PRAGMA analysis_limit=0"))
        else:
            session.execute(text("ANALYZE lead"))
            session.execute(text("ANALYZE call"))
            session.execute(text("ANALYZE callback"))
