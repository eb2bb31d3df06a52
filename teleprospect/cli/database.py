"""``teleprospect db upgrade|current``: the database's schema version."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from teleprospect.cli.common import ExitCode, open_db, say

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands


def setup_parser(commands: Commands) -> None:
    db = commands.add_parser("db", help="database schema: show or upgrade its version")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = actions.add_parser(
        "upgrade", help="bring the schema to this version (a SQLite file is backed up first)"
    )
    upgrade.set_defaults(run=run_upgrade)
    current = actions.add_parser(
        "current", help="show the database, its schema version and the newest"
    )
    current.set_defaults(run=run_current)


def run_upgrade(args: argparse.Namespace) -> int:
    opened = open_db(args, upgrade=True, create=True)
    db, result = opened.db, opened.upgrade
    try:
        if not result.changed:
            say(f"{db.describe()}: already at the newest schema ({result.after}).")
        else:
            say(f"{db.describe()}: upgraded from {result.before or 'empty'} to {result.after}.")
            if result.backup:
                say(f"Backup of the previous file: {result.backup}")
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
