"""Issue: the database enforces the roles. Each person connects with their own login role;
a teleprospector's login, used directly with psycopg (not through Teleprospect), cannot
rewrite users, settings, hand-offs, other reps' leads or the audit trail, while a rep's
whole call flow works under it and a team lead's operations succeed by their grants.
PostgreSQL only: SQLite has one user, its file's owner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import errors as pg_errors
from psycopg import sql
from sqlalchemy import func, select

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import UserRole
from teleprospect.core.handoff import ExportFormat
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import PermissionDenied
from teleprospect.services.calls.decisions import Decision
from teleprospect.services.calls.log_call import LeadNotYours, log_call, start_call
from teleprospect.services.database import upgrade_database
from teleprospect.services.queue.claims import claim_next, open_lead
from teleprospect.services.settings.team_settings import CALLING_HOURS, write_setting
from teleprospect.services.team.handoff import ExportRequest, export_handoff
from teleprospect.services.team.reassign import LeadSelection, ReassignRequest, reassign
from teleprospect.services.team.users import set_role
from teleprospect.store.database import Database, NotPermittedByDatabase
from teleprospect.store.models import (
    AuditEntry,
    Call,
    CallbackEntry,
    DoNotCallEntry,
    HandoffBatch,
    Lead,
    LeadHistory,
    TeamSetting,
    User,
)
from teleprospect.store.roles import GroupRoles, group_roles
from tests.services.call_fixtures import NOW, add_campaign
from tests.services.call_fixtures import add_lead as add_callable_lead
from tests.services.identity_fixtures import give_logins, url_as
from tests.services.team_fixtures import Team, make_team

pytestmark = pytest.mark.postgresql

READY_ANSWERS = {
    "need": True,
    "timeline": "this_quarter",
    "budget": True,
    "budget_amount": 60_000.0,
    "authority": "decision_maker",
}


@dataclass(frozen=True)
class Server:
    db: Database
    team: Team
    groups: GroupRoles
    campaign: int


@pytest.fixture
def server(pg_url: str) -> Iterator[Server]:
    """A team on a PostgreSQL server, everyone with their own login role (boss: team lead
    and admin; lead2: team lead; sam, julie, jonas: teleprospectors)."""
    db = Database(pg_url)
    upgrade_database(db)
    team = make_team(db)
    give_logins(db, team.boss, team.lead2, team.sam, team.julie, team.jonas)
    yield Server(db, team, group_roles(db.url.database or ""), add_campaign(db))
    db.dispose()


def connect(db: Database, role: str) -> psycopg.Connection:
    """A plain psycopg connection as ``role``: no Teleprospect in between."""
    url = db.url.set(drivername="postgresql", username=role, password=None)
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def lead_at(server: Server, first: str, **fields: object) -> int:
    """A lead callable now (Berlin, inside the calling window at NOW)."""
    fields.setdefault("email", f"{first.lower()}@{first.lower()}.example")
    fields.setdefault("phone_e164", f"+4930{sum(map(ord, first)):06d}")
    return add_callable_lead(server.db, server.campaign, first_name=first, **fields)


def snapshot(db: Database) -> dict[str, object]:
    """What the refused attempts must leave as it was."""
    with db.read() as s:
        return {
            "users": s.execute(
                select(User.login, User.role, User.is_admin, User.is_active).order_by(User.id)
            ).all(),
            "settings": s.execute(select(TeamSetting.key, TeamSetting.value)).all(),
            "handoffs": s.scalar(select(func.count()).select_from(HandoffBatch)),
            "owners": s.execute(select(Lead.id, Lead.owner_id).order_by(Lead.id)).all(),
            "calls": s.scalar(select(func.count()).select_from(Call)),
            "audit": s.execute(
                select(AuditEntry.id, AuditEntry.subject).order_by(AuditEntry.id)
            ).all(),
        }


def refused(conn: psycopg.Connection, statement: str, *params: object) -> str:
    """Run ``statement``: the database must refuse it (a missing grant, row-level
    security or the lead guard all say "insufficient privilege")."""
    with pytest.raises(pg_errors.InsufficientPrivilege) as error:
        conn.execute(statement, params or None)
    return str(error.value)


def test_a_teleprospectors_own_login_cannot_rewrite_the_desk(server: Server) -> None:
    team, db = server.team, server.db
    theirs = lead_at(server, "Theirs", owner_id=team.julie)
    free = lead_at(server, "Free")
    with db.write() as s:  # something in the trail to try to rewrite
        s.add(AuditEntry(kind="setting_changed", subject="calling hours", by_login="boss"))
    before = snapshot(db)
    with connect(db, "sam") as rep:
        # Users: no new one, no promotion, no group of their own choosing.
        refused(
            rep,
            "INSERT INTO user_account (login, name, role, is_admin, is_active, created_at)"
            " VALUES ('mallory', 'Mallory', 'team_lead', true, true, now())",
        )
        refused(rep, "UPDATE user_account SET role = 'team_lead' WHERE login = 'sam'")
        refused(rep, "UPDATE user_account SET is_admin = true WHERE login = 'sam'")
        refused(rep, sql.SQL("GRANT {} TO sam").format(sql.Identifier(server.groups.team_lead)))  # type: ignore[arg-type]
        refused(rep, "SELECT teleprospect_sync_login(%s, true, NULL)", team.julie)
        # Settings, scoring rules, scripts, tracks, hand-offs, reassignments.
        refused(
            rep,
            "INSERT INTO team_setting (key, value, updated_at) VALUES ('calling_hours',"
            " '{}', now())",
        )
        refused(rep, "UPDATE team_setting SET value = '{}'")
        for table in ("scoring_rule_set", "script_version", "nurture_track"):
            refused(rep, f"DELETE FROM {table}")  # noqa: S608 - the test's own table names
        refused(
            rep,
            "INSERT INTO handoff_batch (created_at, format, file_path, file_sha256, leads,"
            " selection, again) VALUES (now(), 'full', '', '', 0, '', false)",
        )
        refused(
            rep,
            "INSERT INTO reassignment_batch (at, reason, spread, selection, moved,"
            " skipped_claimed, undo_note) VALUES (now(), '', '', '', 0, 0, '')",
        )
        # Another rep's lead: not theirs to take, and an unassigned one not theirs to give.
        taken = rep.execute("UPDATE lead SET owner_id = %s WHERE id = %s", (team.sam, theirs))
        assert taken.rowcount == 0  # row-level security: not a row they may change
        assert "give a lead to someone else" in refused(
            rep, "UPDATE lead SET owner_id = %s WHERE id = %s", team.julie, free
        )
        assert "claimed only for oneself" in refused(
            rep, "UPDATE lead SET claimed_by_id = %s WHERE id = %s", team.julie, free
        )
        # A call in someone else's name.
        assert "row-level security" in refused(
            rep,
            "INSERT INTO call (lead_id, user_id, started_at, notes, dialed_number,"
            " decision_reason) VALUES (%s, %s, now(), '', '', '')",
            free,
            team.julie,
        )
        # The audit trail: no change, no deletion, no entry in someone else's name.
        refused(rep, "UPDATE audit_entry SET subject = 'nothing happened'")
        refused(rep, "DELETE FROM audit_entry")
        refused(rep, "TRUNCATE audit_entry")
        assert "row-level security" in refused(
            rep,
            "INSERT INTO audit_entry (kind, by_login, workstation, subject)"
            " VALUES ('setting_changed', 'boss', '', 'forged')",
        )
        # Reading the team's queue stays possible.
        leads = rep.execute("SELECT count(*) FROM lead").fetchone()
        assert leads is not None and leads[0] == 2
    assert snapshot(db) == before


def test_a_reps_whole_call_flow_works_under_their_own_login(server: Server) -> None:
    team, db = server.team, server.db
    mine = [lead_at(server, name, owner_id=team.sam) for name in ("Ann", "Ben", "Cid", "Dee")]
    pool = lead_at(server, "Pool", inbound=True)
    # Julie's lead with a team callback (anyone may make it), and one sharing Dee's email.
    team_callback = lead_at(server, "Tea", owner_id=team.julie)
    twin = lead_at(server, "Twin", owner_id=team.julie, email="dee@dee.example")
    with db.write() as s:
        s.add(CallbackEntry(lead_id=team_callback, due_at=NOW - timedelta(hours=1)))
    as_sam = Database(url_as(db, "sam"))
    try:
        claimed = claim_next(as_sam, team.sam, now=NOW)
        assert claimed is not None and claimed.lead_id == team_callback  # due team callback
        started = start_call(as_sam, team_callback, team.sam, now=NOW)
        log_call(
            as_sam, team_callback, team.sam, disposition="connected", call_id=started.call_id,
            answers={"need": True}, now=NOW,
        )  # fmt: skip
        decisions = {
            mine[0]: Decision(DecisionKind.SALES_READY),
            mine[1]: Decision(DecisionKind.NURTURE, track_key="twelve-touch"),
            mine[2]: Decision(
                DecisionKind.CALLBACK, callback_at=NOW + timedelta(days=1), personal=True
            ),
            pool: Decision(DecisionKind.DISQUALIFY, reason="competitor"),
            mine[3]: Decision(DecisionKind.DO_NOT_CALL, note="Asked firmly."),
        }
        for lead_id, decision in decisions.items():
            opened = open_lead(as_sam, lead_id, team.sam, now=NOW)
            assert not opened.read_only, lead_id
            log_call(
                as_sam, lead_id, team.sam, disposition="connected", answers=READY_ANSWERS,
                decision=decision, now=NOW,
            )  # fmt: skip
        # Another rep's lead stays theirs: read-only to open, refused to log, in a sentence.
        assert open_lead(as_sam, twin, team.sam, now=NOW).read_only is False  # DNC'd: flagged
        other = lead_at(server, "Other", owner_id=team.julie)
        assert open_lead(as_sam, other, team.sam, now=NOW).read_only
        with pytest.raises(LeadNotYours, match=f"Lead {other} is Julie Moreau's"):
            log_call(as_sam, other, team.sam, disposition="busy", now=NOW)
    finally:
        as_sam.dispose()
    with db.read() as s:
        status = dict(s.execute(select(Lead.id, Lead.status)).all())
        assert [status[i] for i in mine[:3]] == [
            LeadStatus.SALES_READY,
            LeadStatus.NURTURE,
            LeadStatus.WORKING,
        ]
        assert status[pool] is LeadStatus.DISQUALIFIED
        assert s.get(Lead, twin).do_not_call  # type: ignore[union-attr] - flagged with Dee
        assert s.scalar(select(func.count()).select_from(DoNotCallEntry)) == 2
        calls = s.execute(select(Call.user_id)).scalars().all()
        assert len(calls) == 6 and set(calls) == {team.sam}
        assert set(s.scalars(select(LeadHistory.user_id))) == {team.sam}
        assert s.scalar(select(CallbackEntry.done_at).where(CallbackEntry.lead_id == team_callback))


def test_team_lead_acts_go_through_the_services_and_the_databases_grants(
    server: Server, tmp_path: Path
) -> None:
    team, db = server.team, server.db
    ready = lead_at(server, "Ready", owner_id=team.sam, status=LeadStatus.SALES_READY)
    moving = lead_at(server, "Moving", owner_id=team.sam)
    as_lead2 = Database(url_as(db, "lead2"))
    as_sam = Database(url_as(db, "sam"))
    try:
        done = reassign(
            as_lead2,
            ReassignRequest(LeadSelection(lead_ids=(moving,)), (team.julie,)),
            team.lead2,
            now=NOW,
        )
        assert done.moved == 1
        exported = export_handoff(
            as_lead2, ExportRequest(tmp_path / "sales.csv", ExportFormat.FULL), team.lead2
        )
        assert exported.leads == 1 and exported.batch_id is not None
        write_setting(as_lead2, CALLING_HOURS, CALLING_HOURS.default, user_id=team.lead2)
        # The service refuses a rep in a sentence before the database is asked…
        with pytest.raises(PermissionDenied, match="Only a team lead can export"):
            export_handoff(as_sam, ExportRequest(tmp_path / "x.csv", ExportFormat.FULL), team.sam)
        # …and a rep's login that gets past the service (claiming to act for a team lead)
        # is refused by the database's grants.
        with pytest.raises(NotPermittedByDatabase, match="permission denied for table"):
            write_setting(as_sam, CALLING_HOURS, CALLING_HOURS.default, user_id=team.lead2)
        with pytest.raises(NotPermittedByDatabase):
            set_role(as_sam, team.sam, UserRole.TEAM_LEAD, acting_user_id=team.boss)
    finally:
        as_lead2.dispose()
        as_sam.dispose()
    with db.read() as s:
        assert s.get(Lead, ready).status is LeadStatus.HANDED_OFF  # type: ignore[union-attr]
        assert s.get(User, team.sam).role is UserRole.TELEPROSPECTOR  # type: ignore[union-attr]


def test_a_rep_imports_leads_under_row_level_security(server: Server, tmp_path: Path) -> None:
    # COPY cannot write into a table under row-level security: the rows go by INSERT.
    from teleprospect.services.imports.leads import LeadImportRequest, import_leads

    path = tmp_path / "leads.csv"
    path.write_text(
        "First Name,Last Name,Company,Email,Phone,Country\n"
        "Ada,Lovelace,Analytical Ltd,ada@analytical.example,+44 20 7946 0000,GB\n"
        "Alan,Turing,Bletchley Ltd,alan@bletchley.example,+44 20 7946 0001,GB\n",
        encoding="utf-8",
    )
    as_sam = Database(url_as(server.db, "sam"))
    try:
        summary = import_leads(as_sam, LeadImportRequest(path, campaign_name="Fair", login="sam"))
    finally:
        as_sam.dispose()
    assert summary.imported == 2
    with server.db.read() as s:
        owners = s.scalars(select(Lead.owner_id).where(Lead.email.like("%.example"))).all()
    assert owners == [None, None]


def test_a_reps_update_import_keeps_its_changes_aside_and_applies_only_its_own(
    server: Server, tmp_path: Path
) -> None:
    """An "update" import keeps its changes to existing leads aside (staged_lead_change)
    in its one transaction: a rep's login may do so for the leads it may change, and a
    long write applies only the changes it kept itself, never one a login left there."""
    from psycopg.types.json import Jsonb

    from teleprospect.core.domain import DuplicatePolicy
    from teleprospect.services.imports.leads import LeadImportRequest, import_leads
    from teleprospect.store.models import StagedLeadChange

    team, db = server.team, server.db
    ada = lead_at(server, "Ada", email="ada@analytical.example", title="")
    free = lead_at(server, "Free")
    theirs = lead_at(server, "Theirs", owner_id=team.julie)
    moving = lead_at(server, "Moving", owner_id=team.sam)
    planted = {
        "do": "move", "batch": 0, "by": team.sam, "at": NOW.isoformat(), "from": None,
        "to": team.sam, "from_login": None, "to_login": "sam", "callbacks": [],
        "enrollments": [], "claimed_too": True, "why": "planted",
    }  # fmt: skip
    insert_change = "INSERT INTO staged_lead_change (staged_write_id, lead_id, change)"
    with connect(db, "sam") as rep:
        # A lead the rep may change: the row goes in (a rep's import does the same)…
        rep.execute(insert_change + " VALUES (0, %s, %s)", (free, Jsonb(planted)))
        # …another rep's lead: refused.
        assert "row-level security" in refused(
            rep, insert_change + " VALUES (0, %s, %s)", theirs, Jsonb(planted)
        )
    path = tmp_path / "update.csv"
    path.write_text(
        "First Name,Last Name,Company,Email,Title\n"
        "Ada,Vogel,Vogel Software GmbH,ada@analytical.example,Chief Technology Officer\n",
        encoding="utf-8",
    )
    as_sam = Database(url_as(db, "sam"))
    as_lead2 = Database(url_as(db, "lead2"))
    try:
        summary = import_leads(
            as_sam,
            LeadImportRequest(path, on_duplicate=DuplicatePolicy.UPDATE, login="sam"),
        )
        # A team lead's reassignment applies its own moves, not the one planted above.
        reassign(
            as_lead2,
            ReassignRequest(LeadSelection(lead_ids=(moving,)), (team.julie,)),
            team.lead2,
            now=NOW,
        )
    finally:
        as_sam.dispose()
        as_lead2.dispose()
    assert summary.updated == 1
    with db.read() as s:
        assert s.get(Lead, ada).title == "Chief Technology Officer"  # type: ignore[union-attr]
        assert s.get(Lead, moving).owner_id == team.julie  # type: ignore[union-attr]
        assert s.get(Lead, free).owner_id is None  # type: ignore[union-attr]
        left = s.execute(select(StagedLeadChange.lead_id)).scalars().all()
    assert left == [free]  # what the login left there, untouched
