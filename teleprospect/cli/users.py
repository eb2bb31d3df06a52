"""``teleprospect users``: the team's users (add, list, set-role, set-admin, deactivate…)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from teleprospect.cli.common import (
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
        help="the team's users: add, list, set role or admin, deactivate, reactivate",
        description="Managing users is for admins; while the team has no admin yet, whoever "
        "sets it up may (add the first team lead with --admin).",
    )
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a user (their login is their computer login)")
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--name", required=True, help="the name colleagues know them by")
    add.add_argument("--role", choices=["teleprospector", "team-lead"], default="teleprospector")
    add.add_argument("--admin", action="store_true", help="may manage users")
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
    for parser in (add, listing, role, admin, off, on):
        add_as_option(parser)
        add_json_option(parser)
    users.set_defaults(run=run_users)


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
                args.login, args.name, UserRole(ROLE_CHOICES[args.role]), args.admin
            )
            user = users.add_user(db, new, acting_user_id=acting)
            message = f"Added {user.name} ({user.login}), {user.role_text}."
        else:
            target = user_by_login(db, args.login)
            if command == "set-role":
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
