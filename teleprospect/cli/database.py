"""``teleprospect db upgrade|current``: the database's schema version."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from teleprospect.cli.common import CommandError, ExitCode, open_db, say

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands


def setup_parser(commands: Commands) -> None:
    db = commands.add_parser("db", help="database schema: show or upgrade its version")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = actions.add_parser(
        "upgrade",
        help="bring the schema to this version (a SQLite file is backed up first); on "
        "PostgreSQL also the team's roles, grants and row-level security",
    )
    upgrade.set_defaults(run=run_upgrade)
    grant = actions.add_parser(
        "grant",
        help="set up the team's PostgreSQL roles and grants, once, as a role with CREATEROLE",
        description="Create the team's group roles and apply the grants and row-level "
        "security, for a schema owner that may not create roles: run once by a database "
        "administrator (a superuser, or a role with CREATEROLE that is a member of the "
        "schema owner's role). `db upgrade` keeps them up to date afterwards.",
    )
    grant.set_defaults(run=run_grant)
    current = actions.add_parser(
        "current", help="show the database, its schema version and the newest"
    )
    current.set_defaults(run=run_current)


def run_upgrade(args: argparse.Namespace) -> int:
    opened = open_db(args, upgrade=True, create=True, roles=True)
    db, result = opened.db, opened.upgrade
    try:
        if not result.changed:
            say(f"{db.describe()}: already at the newest schema ({result.after}).")
        else:
            say(f"{db.describe()}: upgraded from {result.before or 'empty'} to {result.after}.")
            if result.backup:
                say(f"Backup of the previous file: {result.backup}")
        if result.roles is not None:
            say(result.roles.message)
        return ExitCode.OK
    finally:
        db.dispose()


def run_grant(args: argparse.Namespace) -> int:
    from teleprospect.services.database import grant_database_roles

    db = open_db(args, upgrade=False).db
    try:
        if db.is_sqlite:
            raise CommandError(
                "A SQLite database has one user, its file's owner: there are no roles to grant."
            )
        outcome = grant_database_roles(db)
        if not outcome.applied:
            raise CommandError(outcome.message, ExitCode.NOT_PERMITTED)
        say(outcome.message)
        return ExitCode.OK
    finally:
        db.dispose()


def run_current(args: argparse.Namespace) -> int:
    from teleprospect.services.database import schema_status

    db = open_db(args, upgrade=False).db
    try:
        status = schema_status(db)
        say(f"database: {db.describe()}")
        say(f"schema:   {status.current or 'empty (no schema yet)'}")
        say(f"newest:   {status.head}")
        if not status.up_to_date:
            say("Run `teleprospect db upgrade` (the app also upgrades on start-up).")
        return ExitCode.OK
    finally:
        db.dispose()
