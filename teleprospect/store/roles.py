"""PostgreSQL roles, grants and row-level security: the database enforces who may do what.

Each person connects with their own login role; the server's ``session_user`` is who acts
(mapped to an account through ``user_account.db_role``). Three group roles per database
(``NOLOGIN``, named after the database so that two teams on one server never share them)
carry the rights:

- ``<db>_teleprospector``: reads the team's data and works leads. Row-level security
  limits the leads (and their calls, answers, history, callbacks, nurture enrolments and
  phones) a rep may change to their own, unassigned ones, those they hold a claim on,
  those with an open team callback, and those on the do-not-call list (suppression flags
  every lead with the number). A trigger keeps reps from giving a lead to anyone or
  claiming it for someone else. No writes to users, settings, scoring rules, scripts,
  tracks, hand-offs or reassignments.
- ``<db>_team_lead``: everything the services let a team lead do.
- ``<db>_admin``: a team lead's rights (admins may act as anyone) plus writing accounts.

Every login role is a member of exactly one of the first two (a role change is a
membership change), and of the admin group when the account is an admin. The audit
trail is insert-and-read for everyone (entries must name the session's own login), and
nobody but the schema owner may change or delete an entry.

Creating and altering login roles needs ``CREATEROLE``, which no person's role has: admins
call :func:`sync_login`, which runs ``teleprospect_sync_login()``, a ``SECURITY DEFINER``
function owned by the schema owner. It derives the role's groups and ``LOGIN`` from the
account row (which only admins may write), refuses roles that are not Teleprospect's
(superusers, the owner, the groups, roles of other applications) and sets passwords only
as SCRAM verifiers computed here, so no password ever reaches the server in clear text.

:func:`ensure_roles` applies all of it and is safe to run again: ``teleprospect db
upgrade`` runs it after the migrations (tables added since are granted too), and ``db
grant`` runs it as a role that may create roles when the schema owner may not.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import stringprep
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from psycopg import sql
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from teleprospect.core.errors import Unavailable
from teleprospect.store.database import Database

__all__ = [
    "GROUPS",
    "TABLE_RIGHTS",
    "GroupRoles",
    "RolesNotSetUp",
    "RolesOutcome",
    "database_identity",
    "ensure_roles",
    "group_roles",
    "scram_sha256_verifier",
    "sync_login",
]

#: The group roles, by the suffix of their names.
GROUPS = ("teleprospector", "team_lead", "admin")

_R = "SELECT"
_RI = "SELECT, INSERT"
_RIU = "SELECT, INSERT, UPDATE"
_RID = "SELECT, INSERT, DELETE"
_RIUD = "SELECT, INSERT, UPDATE, DELETE"

#: What each group may do with each table: (teleprospector, team lead). Admins have the
#: team lead's rights and write ``user_account``. A table missing here is readable by
#: both groups and written by team leads only (tests/store/test_roles.py asks every
#: table of the models to be named, so a new table is a decision, not an accident).
TABLE_RIGHTS: Mapping[str, tuple[str, str]] = {
    "alembic_version": (_R, _R),
    "user_account": (_R, _R),
    "campaign": (_RI, _RIUD),
    "lead": (_RIU, _RIUD),
    "lead_phone": (_RIUD, _RIUD),
    "lead_history": (_RI, _RIUD),
    "call": (_RIU, _RIUD),
    "call_answer": (_RI, _RIUD),
    "lead_answer": (_RIUD, _RIUD),
    "callback": (_RIU, _RIUD),
    "do_not_call": (_RI, _RIUD),
    "nurture_enrollment": (_RIU, _RIUD),
    "nurture_touch": (_RIU, _RIUD),
    "import_batch": (_RIU, _RIUD),
    "saved_mapping": (_RIU, _RIUD),
    "engagement_event": (_RI, _RIUD),
    "team_setting": (_R, _RIUD),
    "scoring_rule_set": (_R, _RIUD),
    "script_version": (_R, _RIUD),
    "nurture_track": (_R, _RIUD),
    "reassignment_batch": (_R, _RIUD),
    "reassignment_move": (_R, _RIUD),
    "handoff_batch": (_R, _RIUD),
    "handoff_item": (_R, _RIUD),
    "audit_entry": (_RI, _RI),
    # Calls a workstation kept while the server was away: sent, and reviewed, by their rep.
    "offline_action": (_RIU, _RIUD),
    # Long writes in short transactions are SQLite's: a PostgreSQL one is one transaction
    # and records no write under way.
    "staged_write": (_R, _R),
    # Changes a long write keeps aside for leads that existed before it (an import's
    # "update", the re-scoring after new activity), applied and deleted in the same
    # transaction on PostgreSQL: reps import too.
    "staged_lead_change": (_RID, _RIUD),
    # The values an import replaced: a rep's "update" import records them; undoing an
    # import is a team lead's act.
    "import_change": (_RI, _RIUD),
    # Leads merged into others: a team lead's act.
    "lead_merge": (_R, _RIUD),
}

_ME = "(SELECT teleprospect_user_id())"

#: The leads a teleprospector may change, as a condition on the lead row ``{t}``.
#: Subqueries around the functions make them run once per statement, not once per row
#: (the claim query walks many rows).
_WORKABLE = (
    f"{_ME} IS NOT NULL AND ("
    "{t}.owner_id IS NULL"
    f" OR {{t}}.owner_id = {_ME}"
    f" OR {{t}}.claimed_by_id = {_ME}"
    " OR EXISTS (SELECT 1 FROM callback AS team_cb WHERE team_cb.lead_id = {t}.id"
    " AND team_cb.owner_id IS NULL AND team_cb.done_at IS NULL)"
    " OR EXISTS (SELECT 1 FROM do_not_call AS dnc"
    " WHERE dnc.phone_e164 = {t}.phone_e164 OR dnc.email = {t}.email))"
)

_LEAD_OF_ROW = "teleprospect_may_work_lead(lead_id)"

#: Row-level security for teleprospectors: (table, command, USING, WITH CHECK). Team leads
#: (and admins, members of the team lead group) may do whatever their grants allow.
_REP_POLICIES: tuple[tuple[str, str, str | None, str | None], ...] = (
    (
        "lead",
        "INSERT",
        None,
        f"{_ME} IS NOT NULL AND (owner_id IS NULL OR owner_id = {_ME})"
        f" AND (claimed_by_id IS NULL OR claimed_by_id = {_ME})",
    ),
    ("lead", "UPDATE", _WORKABLE.format(t="lead"), f"{_ME} IS NOT NULL"),
    ("call", "INSERT", None, f"user_id = {_ME} AND {_LEAD_OF_ROW}"),
    ("call", "UPDATE", f"user_id = {_ME}", f"user_id = {_ME}"),
    (
        "call_answer",
        "INSERT",
        None,
        f"EXISTS (SELECT 1 FROM call AS c WHERE c.id = call_id AND c.user_id = {_ME})",
    ),
    ("lead_answer", "INSERT", None, _LEAD_OF_ROW),
    ("lead_answer", "UPDATE", _LEAD_OF_ROW, _LEAD_OF_ROW),
    ("lead_answer", "DELETE", _LEAD_OF_ROW, None),
    ("lead_history", "INSERT", None, f"(user_id IS NULL OR user_id = {_ME}) AND {_LEAD_OF_ROW}"),
    (
        "callback",
        "INSERT",
        None,
        f"created_by_id = {_ME} AND (owner_id IS NULL OR owner_id = {_ME}) AND {_LEAD_OF_ROW}",
    ),
    ("callback", "UPDATE", _LEAD_OF_ROW, _LEAD_OF_ROW),
    ("nurture_enrollment", "INSERT", None, _LEAD_OF_ROW),
    ("nurture_enrollment", "UPDATE", _LEAD_OF_ROW, _LEAD_OF_ROW),
    ("nurture_touch", "INSERT", None, _LEAD_OF_ROW),
    # A touch a track gives to a user of its own (marketing) is theirs to record.
    ("nurture_touch", "UPDATE", f"({_LEAD_OF_ROW} OR owner_id = {_ME})", None),
    ("lead_phone", "INSERT", None, _LEAD_OF_ROW),
    ("lead_phone", "UPDATE", _LEAD_OF_ROW, _LEAD_OF_ROW),
    ("lead_phone", "DELETE", _LEAD_OF_ROW, None),
    ("do_not_call", "INSERT", None, f"added_by_id = {_ME}"),
    ("offline_action", "INSERT", None, f"user_id = {_ME}"),
    ("offline_action", "UPDATE", f"user_id = {_ME}", f"user_id = {_ME}"),
    # A rep's import keeps changes aside only for leads the rep may change; it deletes
    # them once applied (a long write applies only the rows it made itself).
    ("staged_lead_change", "INSERT", None, _LEAD_OF_ROW),
    ("staged_lead_change", "DELETE", f"{_ME} IS NOT NULL", None),
    ("import_change", "INSERT", None, _LEAD_OF_ROW),
)

#: An audit entry names the session's own login and account; only an admin may record
#: an act done as someone else.
_AUDIT_CHECK = (
    # An empty login: a front-end that did not say who is here (the account still must be
    # the session's own); never anyone else's.
    "by_login IN (session_user, '')"
    " AND by_user_id IS NOT DISTINCT FROM (SELECT teleprospect_user_id())"
    " AND (user_id IS NOT DISTINCT FROM (SELECT teleprospect_user_id())"
    " OR (SELECT teleprospect_is_admin()))"
)

#: The tables under row-level security.
_RLS_TABLES = (
    *dict.fromkeys(table for table, *_ in _REP_POLICIES),
    "lead_merge",
    "audit_entry",
)

#: Our objects' names start with this; policies are dropped and made again on each run.
_PREFIX = "teleprospect_"

_LOCK_KEY = 0x54_4C_50_52  # "TLPR": one set-up at a time per server


class RolesNotSetUp(Unavailable):
    """The database's roles and grants have not been set up (``teleprospect db grant``)."""


@dataclass(frozen=True, slots=True)
class GroupRoles:
    teleprospector: str
    team_lead: str
    admin: str

    def all(self) -> tuple[str, str, str]:
        return (self.teleprospector, self.team_lead, self.admin)


def group_prefix(database_name: str) -> str:
    """The start of the group roles' names: the database's name, made a plain lower-case
    identifier, with a short hash when that changed it (``My-DB`` and ``my_db`` differ)."""
    plain = re.sub(r"[^a-z0-9_]", "_", database_name.lower())[:40]
    if plain != database_name:
        plain = f"{plain}_{hashlib.sha256(database_name.encode()).hexdigest()[:6]}"
    return plain


def group_roles(database_name: str) -> GroupRoles:
    prefix = group_prefix(database_name)
    return GroupRoles(*(f"{prefix}_{group}" for group in GROUPS))


# ----------------------------------------------------------------------------- passwords


def _saslprep(password: str) -> bytes:
    """The password as PostgreSQL's SCRAM reads it (RFC 4013 SASLprep); a password
    SASLprep refuses is used as its raw bytes, as the server does."""
    raw = password.encode()
    if password.isascii():
        return raw
    mapped = "".join(
        " " if stringprep.in_table_c12(ch) else ch
        for ch in password
        if not stringprep.in_table_b1(ch)
    )
    normal = unicodedata.normalize("NFKC", mapped)
    prohibited = (
        stringprep.in_table_c12,
        stringprep.in_table_c21_c22,
        stringprep.in_table_c3,
        stringprep.in_table_c4,
        stringprep.in_table_c5,
        stringprep.in_table_c6,
        stringprep.in_table_c7,
        stringprep.in_table_c8,
        stringprep.in_table_c9,
        stringprep.in_table_a1,
    )
    if not normal or any(test(ch) for ch in normal for test in prohibited):
        return raw
    return normal.encode()


def scram_sha256_verifier(
    password: str, *, salt: bytes | None = None, iterations: int = 4096
) -> str:
    """What PostgreSQL stores for ``password`` with SCRAM-SHA-256 (RFC 5802, 7677):
    ``SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>``."""
    salt = os.urandom(16) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", _saslprep(password), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


# ----------------------------------------------------------------------------- who is connected


@dataclass(frozen=True, slots=True)
class DatabaseIdentity:
    """Who the server says this connection is."""

    #: ``session_user``: the role that logged in (``SET ROLE`` cannot change it).
    login: str
    #: The schema owner, a member of its role, or a superuser: may change anything anyway.
    is_owner: bool


def database_identity(session: Session) -> DatabaseIdentity:
    row = session.execute(
        text(
            "SELECT session_user, pg_has_role(session_user,"
            " (SELECT relowner FROM pg_class WHERE oid = 'user_account'::regclass), 'MEMBER')"
        )
    ).one()
    return DatabaseIdentity(str(row[0]), bool(row[1]))


# ----------------------------------------------------------------------------- login roles


def _functions_exist(session: Session) -> bool:
    found = session.scalar(
        text("SELECT to_regprocedure('teleprospect_sync_login(integer, boolean, text)')")
    )
    return found is not None


def sync_login(
    session: Session, user_id: int, *, create: bool = False, verifier: str | None = None
) -> bool:
    """Make the login role of account ``user_id`` match the account: its group (by role),
    the admin group, ``LOGIN`` while active, ``NOLOGIN`` once deactivated; made when
    ``create``, given the password ``verifier`` when one is passed. In the caller's
    transaction. False when there is no role to sync (no such role and no ``create``).

    Raises :class:`RolesNotSetUp` when a role must be made or a password set but the
    database's roles were never set up."""
    if not _functions_exist(session):
        if create or verifier is not None:
            raise RolesNotSetUp(
                "This database's roles are not set up yet: a database administrator runs "
                "`teleprospect db grant` once (see Team server security in the README)."
            )
        return False
    done = session.scalar(
        text("SELECT teleprospect_sync_login(:user_id, :create, :verifier)"),
        {"user_id": user_id, "create": create, "verifier": verifier},
    )
    return bool(done)


# ----------------------------------------------------------------------------- setting up


@dataclass(frozen=True, slots=True)
class RolesOutcome:
    """What :func:`ensure_roles` did, in one sentence for the person who ran it."""

    applied: bool
    message: str
    groups: GroupRoles | None = None


@dataclass(frozen=True, slots=True)
class _Facts:
    database: str
    schema: str
    me: str
    owner: str
    is_superuser: bool
    may_create_roles: bool
    owns_database: bool
    missing_groups: tuple[str, ...]


def _facts(conn: Connection, groups: GroupRoles) -> _Facts:
    row = conn.execute(
        text(
            "SELECT current_database(), current_schema(), current_user,"
            " pg_get_userbyid((SELECT relowner FROM pg_class"
            "  WHERE oid = 'user_account'::regclass)),"
            " r.rolsuper, r.rolsuper OR r.rolcreaterole,"
            " (SELECT datdba FROM pg_database WHERE datname = current_database()) = r.oid"
            " FROM pg_roles AS r WHERE r.rolname = current_user"
        )
    ).one()
    existing = set(
        conn.scalars(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
            {"names": list(groups.all())},
        )
    )
    return _Facts(
        database=row[0],
        schema=row[1],
        me=row[2],
        owner=row[3],
        is_superuser=bool(row[4]),
        may_create_roles=bool(row[5]),
        owns_database=bool(row[6]),
        missing_groups=tuple(name for name in groups.all() if name not in existing),
    )


def _run(conn: Connection, statement: sql.Composable) -> None:
    """Run one statement on the transaction's own driver connection, as written: psycopg
    reads no placeholders in a statement given no parameters (the functions' bodies
    hold ``%`` signs)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute(statement)


def ensure_roles(db: Database) -> RolesOutcome:
    """Create the group roles, grant every table, install the functions and row-level
    security (see the module docstring). Re-runnable; one transaction; PostgreSQL only.

    Run by the schema owner (who needs ``CREATEROLE`` when the group roles do not exist
    yet) or by a superuser or role with ``CREATEROLE`` that is a member of the owner's
    role: then the groups are made by it and everything else as the owner."""
    if db.is_sqlite:
        return RolesOutcome(False, "A SQLite database has one user, its file's owner: no roles.")
    with db.engine.begin() as conn:
        database = conn.scalar(text("SELECT current_database()"))
        groups = group_roles(str(database))
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        facts = _facts(conn, groups)
        member_of_owner = bool(
            conn.scalar(
                text("SELECT pg_has_role(current_user, :owner, 'MEMBER')"),
                {"owner": facts.owner},
            )
        )
        if not member_of_owner:
            return RolesOutcome(
                False,
                f"Only the schema owner {facts.owner} (or a superuser) can set up the "
                "database's roles and grants.",
                groups,
            )
        if not facts.may_create_roles:
            return RolesOutcome(
                False,
                f"The database roles are not set up: {facts.me} may not create roles, which "
                "the team's login roles need. A database administrator runs `teleprospect db "
                "grant` once (as a superuser), or gives the schema owner CREATEROLE.",
                groups,
            )
        for name in facts.missing_groups:
            _run(conn, sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
        _grant_database(conn, facts, groups)
        if facts.me != facts.owner:
            # A database administrator sets up for an owner who may not create roles: the
            # owner gets CREATEROLE (its functions make the team's login roles) and may
            # grant the groups (PostgreSQL 16 asks for ADMIN OPTION even with CREATEROLE).
            # The rest is done as the owner, so the functions run with the owner's rights.
            _run(conn, sql.SQL("ALTER ROLE {} CREATEROLE").format(sql.Identifier(facts.owner)))
            for name in groups.all():
                _run(
                    conn,
                    sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(
                        sql.Identifier(name), sql.Identifier(facts.owner)
                    ),
                )
            _run(conn, sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(facts.owner)))
        _grant_admin_team_lead_rights(conn, groups)
        _grant_tables(conn, facts.schema, groups)
        _install_functions(conn, facts, groups)
        _install_row_security(conn, groups)
    return RolesOutcome(
        True,
        f"Roles and grants are set up: {groups.teleprospector}, {groups.team_lead} and "
        f"{groups.admin}.",
        groups,
    )


def _grant_admin_team_lead_rights(conn: Connection, groups: GroupRoles) -> None:
    already = conn.scalar(
        text(
            "SELECT EXISTS (SELECT 1 FROM pg_auth_members AS m"
            " JOIN pg_roles AS g ON g.oid = m.roleid JOIN pg_roles AS r ON r.oid = m.member"
            " WHERE g.rolname = :team_lead AND r.rolname = :admin)"
        ),
        {"team_lead": groups.team_lead, "admin": groups.admin},
    )
    if not already:
        _run(
            conn,
            sql.SQL("GRANT {} TO {}").format(
                sql.Identifier(groups.team_lead), sql.Identifier(groups.admin)
            ),
        )


def _grant_database(conn: Connection, facts: _Facts, groups: GroupRoles) -> None:
    """Let the groups connect and use the schema, where this role may say so (the
    database's owner, the schema's owner); elsewhere PostgreSQL's defaults let them."""
    names = sql.SQL(", ").join(sql.Identifier(g) for g in groups.all())
    if facts.owns_database or facts.is_superuser:
        # Only the team's roles (and the owner) connect: a role of another application on
        # the same server, named like one of the team's logins, is kept out.
        database = sql.Identifier(facts.database)
        _run(conn, sql.SQL("REVOKE CONNECT, TEMPORARY ON DATABASE {} FROM PUBLIC").format(database))
        _run(conn, sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, names))
    owns_schema = conn.scalar(
        text(
            "SELECT pg_has_role(current_user, nspowner, 'USAGE') FROM pg_namespace"
            " WHERE nspname = current_schema()"
        )
    )
    if owns_schema:
        schema = sql.Identifier(facts.schema)
        _run(conn, sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, names))


def _grant_tables(conn: Connection, schema: str, groups: GroupRoles) -> None:
    tables = conn.scalars(
        text("SELECT tablename FROM pg_tables WHERE schemaname = :schema ORDER BY tablename"),
        {"schema": schema},
    ).all()
    everyone = sql.SQL(", ").join([sql.SQL("PUBLIC"), *(sql.Identifier(g) for g in groups.all())])
    for table in tables:
        target = sql.Identifier(schema, table)
        rep, lead = TABLE_RIGHTS.get(table, (_R, _RIUD))
        _run(conn, sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(target, everyone))
        for rights, group in ((rep, groups.teleprospector), (lead, groups.team_lead)):
            _run(
                conn,
                sql.SQL("GRANT {} ON TABLE {} TO {}").format(
                    sql.SQL(rights), target, sql.Identifier(group)
                ),
            )
    _run(
        conn,
        sql.SQL("GRANT INSERT, UPDATE ON TABLE {} TO {}").format(
            sql.Identifier(schema, "user_account"), sql.Identifier(groups.admin)
        ),
    )
    schema_id = sql.Identifier(schema)
    _run(conn, sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM PUBLIC").format(schema_id))
    _run(
        conn,
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
            schema_id,
            sql.SQL(", ").join(
                sql.Identifier(g) for g in (groups.teleprospector, groups.team_lead)
            ),
        ),
    )


def _install_functions(conn: Connection, facts: _Facts, groups: GroupRoles) -> None:
    path = sql.SQL("SET search_path = {}, pg_catalog, pg_temp").format(sql.Identifier(facts.schema))
    team_lead, admin, rep = (
        sql.Literal(g) for g in (groups.team_lead, groups.admin, groups.teleprospector)
    )
    owner = sql.Literal(facts.owner)
    workable = sql.SQL(_WORKABLE.format(t="l"))
    statements = [
        # The account of whoever logged in; none for a deactivated one.
        sql.SQL(
            "CREATE OR REPLACE FUNCTION teleprospect_user_id() RETURNS integer"
            " LANGUAGE sql STABLE SECURITY DEFINER {path} AS"
            " $$ SELECT id FROM user_account WHERE db_role = session_user AND is_active $$"
        ).format(path=path),
        sql.SQL(
            "CREATE OR REPLACE FUNCTION teleprospect_is_team_lead() RETURNS boolean"
            " LANGUAGE sql STABLE {path} AS"
            " $$ SELECT pg_has_role(session_user, {team_lead}, 'MEMBER')"
            " OR pg_has_role(session_user, {owner}, 'MEMBER') $$"
        ).format(path=path, team_lead=team_lead, owner=owner),
        sql.SQL(
            "CREATE OR REPLACE FUNCTION teleprospect_is_admin() RETURNS boolean"
            " LANGUAGE sql STABLE {path} AS"
            " $$ SELECT pg_has_role(session_user, {admin}, 'MEMBER')"
            " OR pg_has_role(session_user, {owner}, 'MEMBER') $$"
        ).format(path=path, admin=admin, owner=owner),
        sql.SQL(
            "CREATE OR REPLACE FUNCTION teleprospect_may_work_lead(p_lead_id integer)"
            " RETURNS boolean LANGUAGE sql STABLE {path} AS"
            " $$ SELECT EXISTS (SELECT 1 FROM lead AS l WHERE l.id = p_lead_id AND ({workable}))"
            " $$"
        ).format(path=path, workable=workable),
        sql.SQL(
            "CREATE OR REPLACE FUNCTION teleprospect_guard_lead() RETURNS trigger"
            " LANGUAGE plpgsql {path} AS $$ BEGIN"
            " IF teleprospect_is_team_lead() THEN RETURN NEW; END IF;"
            " IF NEW.owner_id IS DISTINCT FROM OLD.owner_id THEN"
            "  RAISE EXCEPTION 'only a team lead can give a lead to someone else'"
            "  USING ERRCODE = 'insufficient_privilege'; END IF;"
            " IF NEW.claimed_by_id IS DISTINCT FROM OLD.claimed_by_id"
            "  AND NEW.claimed_by_id IS DISTINCT FROM teleprospect_user_id()"
            "  AND NEW.claimed_by_id IS NOT NULL THEN"
            "  RAISE EXCEPTION 'a lead can be claimed only for oneself'"
            "  USING ERRCODE = 'insufficient_privilege'; END IF;"
            " RETURN NEW; END $$"
        ).format(path=path),
        sql.SQL("DROP TRIGGER IF EXISTS teleprospect_guard_lead ON lead"),
        sql.SQL(
            "CREATE TRIGGER teleprospect_guard_lead BEFORE UPDATE OF owner_id, claimed_by_id"
            " ON lead FOR EACH ROW EXECUTE FUNCTION teleprospect_guard_lead()"
        ),
        _sync_login_function(path, rep, team_lead, admin, owner),
    ]
    for statement in statements:
        _run(conn, statement)
    names = sql.SQL(", ").join(sql.Identifier(g) for g in (groups.teleprospector, groups.team_lead))
    for signature in (
        "teleprospect_user_id()",
        "teleprospect_is_team_lead()",
        "teleprospect_is_admin()",
        "teleprospect_may_work_lead(integer)",
        "teleprospect_guard_lead()",
        "teleprospect_sync_login(integer, boolean, text)",
    ):
        _run(conn, sql.SQL("REVOKE ALL ON FUNCTION {} FROM PUBLIC").format(sql.SQL(signature)))
        _run(conn, sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(sql.SQL(signature), names))


def _sync_login_function(
    path: sql.Composable,
    rep: sql.Composable,
    team_lead: sql.Composable,
    admin: sql.Composable,
    owner: sql.Composable,
) -> sql.Composable:
    """``teleprospect_sync_login(account, create, verifier)``: see :func:`sync_login`.

    Anyone may sync their own role (its state comes from the account row, which only
    admins write) and set their own password; only admins (and the owner) touch other
    people's roles or make new ones."""
    return sql.SQL(
        "CREATE OR REPLACE FUNCTION teleprospect_sync_login("
        " p_user_id integer, p_create boolean, p_verifier text) RETURNS boolean"
        " LANGUAGE plpgsql SECURITY DEFINER {path} AS $$"
        " DECLARE"
        "  account record;"
        "  target text;"
        "  caller_is_admin boolean := teleprospect_is_admin();"
        "  groups text[] := ARRAY[{rep}, {team_lead}, {admin}];"
        "  wanted text[];"
        "  grp text;"
        "  existing pg_roles%ROWTYPE;"
        " BEGIN"
        "  SELECT id, db_role, role, is_admin, is_active INTO account"
        "   FROM user_account WHERE id = p_user_id;"
        "  IF NOT FOUND THEN RAISE EXCEPTION 'there is no user with id %', p_user_id; END IF;"
        "  target := account.db_role;"
        "  IF target IS NULL THEN RETURN false; END IF;"
        "  IF NOT caller_is_admin AND target IS DISTINCT FROM session_user THEN"
        "   RAISE EXCEPTION 'only an admin can change another person''s database login'"
        "   USING ERRCODE = 'insufficient_privilege'; END IF;"
        "  SELECT * INTO existing FROM pg_roles WHERE rolname = target;"
        "  IF FOUND THEN"
        "   IF existing.rolsuper OR target = {owner} OR target = ANY(groups)"
        "    OR pg_has_role(target, {owner}, 'MEMBER') THEN"
        "    RAISE EXCEPTION 'the database role % is no Teleprospect login and is left as it is',"
        "     target USING ERRCODE = 'insufficient_privilege'; END IF;"
        "   IF NOT EXISTS (SELECT 1 FROM pg_auth_members AS m JOIN pg_roles AS g"
        "    ON g.oid = m.roleid WHERE m.member = existing.oid AND g.rolname = ANY(groups)) THEN"
        "    RAISE EXCEPTION 'the database role % exists already and is no Teleprospect login:"
        " a database administrator grants it % first to let it in', target, {rep}"
        "     USING ERRCODE = 'insufficient_privilege'; END IF;"
        "  ELSIF NOT p_create THEN RETURN false;"
        "  ELSIF NOT caller_is_admin THEN"
        "   RAISE EXCEPTION 'only an admin can create a database login'"
        "   USING ERRCODE = 'insufficient_privilege';"
        "  ELSE EXECUTE format('CREATE ROLE %I NOLOGIN', target);"
        "  END IF;"
        "  wanted := ARRAY[(CASE WHEN account.role = 'team_lead' THEN {team_lead} ELSE {rep} END)"
        "   ::text];"
        "  IF account.is_admin THEN wanted := array_append(wanted, {admin}::text); END IF;"
        # A deactivated login keeps the least rights (sessions opened before stay open,
        # and row-level security already gives them nothing): the teleprospector group
        # only, which also marks the role as the team's for its reactivation.
        "  IF NOT account.is_active THEN wanted := ARRAY[{rep}::text]; END IF;"
        "  FOREACH grp IN ARRAY groups LOOP"
        "   IF grp = ANY(wanted) AND NOT EXISTS (SELECT 1 FROM pg_auth_members AS m"
        "    JOIN pg_roles AS g ON g.oid = m.roleid JOIN pg_roles AS r ON r.oid = m.member"
        "    WHERE g.rolname = grp AND r.rolname = target) THEN"
        "    EXECUTE format('GRANT %I TO %I', grp, target);"
        "   ELSIF NOT grp = ANY(wanted) AND EXISTS (SELECT 1 FROM pg_auth_members AS m"
        "    JOIN pg_roles AS g ON g.oid = m.roleid JOIN pg_roles AS r ON r.oid = m.member"
        "    WHERE g.rolname = grp AND r.rolname = target) THEN"
        "    EXECUTE format('REVOKE %I FROM %I', grp, target);"
        "   END IF;"
        "  END LOOP;"
        "  EXECUTE format('ALTER ROLE %I WITH %s', target,"
        "   CASE WHEN account.is_active THEN 'LOGIN' ELSE 'NOLOGIN' END);"
        "  IF p_verifier IS NOT NULL THEN"
        "   IF p_verifier !~"
        "    '^SCRAM-SHA-256\\$[0-9]+:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$'"
        "   THEN RAISE EXCEPTION 'a password is stored as a SCRAM-SHA-256 verifier only'; END IF;"
        "   EXECUTE format('ALTER ROLE %I WITH PASSWORD %L', target, p_verifier);"
        "  END IF;"
        "  RETURN true;"
        " END $$"
    ).format(path=path, rep=rep, team_lead=team_lead, admin=admin, owner=owner)


def _install_row_security(conn: Connection, groups: GroupRoles) -> None:
    rep, lead = sql.Identifier(groups.teleprospector), sql.Identifier(groups.team_lead)
    both = sql.SQL("{}, {}").format(rep, lead)
    for table in _RLS_TABLES:
        existing = conn.scalars(
            text(
                "SELECT policyname FROM pg_policies"
                " WHERE schemaname = current_schema() AND tablename = :table"
                " AND policyname LIKE 'teleprospect\\_%'"
            ),
            {"table": table},
        ).all()
        target = sql.Identifier(table)
        for name in existing:
            _run(conn, sql.SQL("DROP POLICY {} ON {}").format(sql.Identifier(name), target))
        _run(conn, sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(target))
        _run(
            conn,
            sql.SQL(
                "CREATE POLICY teleprospect_team_reads ON {} FOR SELECT TO {} USING ({})"
            ).format(target, both, sql.SQL(f"{_ME} IS NOT NULL")),
        )
        if table == "audit_entry":
            _run(
                conn,
                sql.SQL(
                    "CREATE POLICY teleprospect_acts_recorded ON {} FOR INSERT TO {}"
                    " WITH CHECK ({})"
                ).format(target, both, sql.SQL(_AUDIT_CHECK)),
            )
            continue
        _run(
            conn,
            sql.SQL(
                "CREATE POLICY teleprospect_team_lead_writes ON {} FOR ALL TO {}"
                " USING ({me} IS NOT NULL) WITH CHECK ({me} IS NOT NULL)"
            ).format(target, lead, me=sql.SQL(_ME)),
        )
    for index, (table, command, using, check) in enumerate(_REP_POLICIES):
        statement = sql.SQL("CREATE POLICY {} ON {} FOR {} TO {}").format(
            sql.Identifier(f"{_PREFIX}rep_{command.lower()}_{index}"),
            sql.Identifier(table),
            sql.SQL(command),
            rep,
        )
        if using is not None:
            statement += sql.SQL(" USING ({})").format(sql.SQL(using))
        if check is not None:
            statement += sql.SQL(" WITH CHECK ({})").format(sql.SQL(check))
        _run(conn, statement)
