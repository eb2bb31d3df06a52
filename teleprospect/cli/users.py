"""``teleprospect users``: the team's users (add, list, set-role, set-admin, deactivate…)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from teleprospect.cli.common import (
    CommandError,
    ExitCode,
    acting_user,
    add_as_option,
    add_json_option,
    database,
    print_json,
    say,
    user_by_login,
)

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands

ROLE_CHOICES = {
    "teleprospector": "teleprospector",
    "team-lead": "team_lead",
    "team_lead": "team_lead",
}


def setup_parser(commands: Commands) -> None:
    users = commands.add_parser(
        "users",
        help="the team's users: add, list, set role or admin, password, deactivate, reactivate",
        description="Managing users is for admins; while the team has no admin yet, whoever "
        "sets it up may (add the first team lead with --admin), and so may the database's "
        "owner. On a PostgreSQL server each user gets their own login role, made by `users "
        "add` (password from a prompt or --password-stdin) and disabled by `deactivate`.",
    )
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add a user (and their PostgreSQL login role)",
        description="Add a user. Their login is their computer login (SQLite) or the name of "
        "their PostgreSQL login role, which is made with them: its password is asked at "
        "the terminal, or read from the first line of standard input (--password-stdin); "
        "--no-password when the server authenticates them otherwise (peer, Kerberos, "
        "certificates).",
    )
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--name", required=True, help="the name colleagues know them by")
    add.add_argument("--role", choices=["teleprospector", "team-lead"], default="teleprospector")
    add.add_argument("--admin", action="store_true", help="may manage users")
    add.add_argument(
        "--db-role",
        metavar="ROLE",
        help="their PostgreSQL login role when it is not named like LOGIN",
    )
    _add_password_options(add, allow_none=True)
    password = actions.add_parser(
        "set-password",
        help="set a user's PostgreSQL password (making their login role if they have none)",
        description="Set the password of a user's PostgreSQL login role: admins for anyone, "
        "everyone for themselves. An account from before per-person logins gets its login "
        "role here (see Team server security in the README).",
    )
    password.add_argument("login", metavar="LOGIN")
    _add_password_options(password, allow_none=False)
    listing = actions.add_parser("list", help="list the users")
    listing.add_argument("--active", action="store_true", help="only active users")
    role = actions.add_parser("set-role", help="make a user a teleprospector or a team lead")
    role.add_argument("login", metavar="LOGIN")
    role.add_argument(
        "role", choices=sorted(ROLE_CHOICES), metavar="ROLE", help="teleprospector or team-lead"
    )
    admin = actions.add_parser("set-admin", help="give or take a user's admin rights")
    admin.add_argument("login", metavar="LOGIN")
    admin.add_argument("admin", choices=["on", "off"], metavar="on|off")
    off = actions.add_parser(
        "deactivate", help="deactivate a user and list the open work to reassign"
    )
    off.add_argument("login", metavar="LOGIN")
    on = actions.add_parser("reactivate", help="let a deactivated user work again")
    on.add_argument("login", metavar="LOGIN")
    for parser in (add, password, listing, role, admin, off, on):
        add_as_option(parser)
        add_json_option(parser)
    users.set_defaults(run=run_users)


def _add_password_options(parser: argparse.ArgumentParser, *, allow_none: bool) -> None:
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (never put it on "
        "the command line: other users of the computer can read that)",
    )
    if allow_none:
        choice.add_argument(
            "--no-password",
            action="store_true",
            help="no password: the server authenticates them otherwise",
        )


def read_password(args: argparse.Namespace, *, is_sqlite: bool) -> str | None:
    """The password a ``users`` command was given: from standard input, else asked twice at
    the terminal; None on SQLite and with ``--no-password``."""
    import getpass
    import sys

    asked_stdin = getattr(args, "password_stdin", False)
    if is_sqlite:
        if asked_stdin or args.users_command == "set-password":
            raise CommandError(
                "A SQLite database has one user, its file's owner: passwords are for the "
                "logins of a PostgreSQL server.",
                ExitCode.USAGE,
            )
        return None
    if getattr(args, "no_password", False):
        return None
    if asked_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if not password:
            raise CommandError("No password on standard input.", ExitCode.USAGE)
        return password
    if not sys.stdin.isatty():
        raise CommandError(
            "Give the password with --password-stdin (or at a terminal), or --no-password "
            "when the server authenticates this login otherwise.",
            ExitCode.USAGE,
        )
    first = getpass.getpass(f"Password for {args.login}: ")
    if getpass.getpass("The same password again: ") != first:
        raise CommandError("The two passwords differ; nothing was changed.", ExitCode.USAGE)
    return first


def _user_json(user: Any) -> dict[str, Any]:
    return {
        "id": user.id,
        "login": user.login,
        "name": user.name,
        "role": user.role,
        "admin": user.is_admin,
        "active": user.is_active,
    }


def run_users(args: argparse.Namespace) -> int:
    from teleprospect.core.domain import UserRole
    from teleprospect.services.team import users

    with database(args) as db:
        command = args.users_command
        if command == "list":
            found = users.list_users(db, include_inactive=not args.active)
            if args.json:
                print_json([_user_json(u) for u in found])
            elif not found:
                say("No users yet: add the first with `teleprospect users add LOGIN --name …`.")
            else:
                width = max(len(u.login) for u in found)
                for u in found:
                    say(f"{u.login:<{width}}  {u.name} — {u.role_text}")
            return ExitCode.OK
        acting = acting_user(db, args, allow_unknown=True)
        if command == "add":
            new = users.NewUser(
                args.login,
                args.name,
                UserRole(ROLE_CHOICES[args.role]),
                args.admin,
                args.db_role,
            )
            secret = read_password(args, is_sqlite=db.is_sqlite)
            user = users.add_user(db, new, acting_user_id=acting, password=secret)
            message = f"Added {user.name} ({user.login}), {user.role_text}."
            if not db.is_sqlite:
                message += f" They connect as the database login {new.db_role or user.login!r}."
        else:
            target = user_by_login(db, args.login)
            if command == "set-password":
                secret = read_password(args, is_sqlite=db.is_sqlite)
                assert secret is not None  # read_password refuses SQLite
                user = users.set_password(db, target, secret, acting_user_id=acting)
                message = f"The database password of {user.name} ({user.login}) is set."
            elif command == "set-role":
                user = users.set_role(
                    db, target, UserRole(ROLE_CHOICES[args.role]), acting_user_id=acting
                )
                message = f"{user.name} ({user.login}) is now: {user.role_text}."
            elif command == "set-admin":
                user = users.set_admin(db, target, args.admin == "on", acting_user_id=acting)
                message = f"{user.name} ({user.login}) is now: {user.role_text}."
            elif command == "reactivate":
                user = users.reactivate_user(db, target, acting_user_id=acting)
                message = f"{user.name} ({user.login}) is active again."
            else:
                done = users.deactivate_user(db, target, acting_user_id=acting)
                if args.json:
                    work = done.open_work
                    print_json(
                        {
                            **_user_json(done.user),
                            "open_work": {
                                "owned_leads": work.owned_leads,
                                "open_callbacks": work.open_callbacks,
                                "live_claims": work.live_claims,
                            },
                            "claims_released": done.claims_released,
                        }
                    )
                    return ExitCode.OK
                say(done.describe())
                if not done.open_work.is_empty:
                    say(
                        f"Reassign them with: teleprospect reassign --from {done.user.login} "
                        "--to LOGIN[,LOGIN…]"
                    )
                return ExitCode.OK
    if args.json:
        print_json(_user_json(user))
    else:
        say(message)
    return ExitCode.OK
