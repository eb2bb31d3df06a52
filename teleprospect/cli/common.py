"""What every command shares: exit codes, errors, the database, the acting user, output.

A command module registers its commands with ``setup_parser(commands)`` and gives each a
``run(args) -> int`` through ``parser.set_defaults(run=...)``. A run function raises; it
never prints an error itself: :func:`teleprospect.cli.main` turns any exception into one
line on stderr and the exit code :func:`exit_code_for` gives it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, time
from enum import Enum, IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teleprospect.config import resolve_db_url
from teleprospect.core.text import printable, shorten

if TYPE_CHECKING:
    from typing import TypeAlias

    from teleprospect.services.database import OpenedDatabase
    from teleprospect.store.database import Database

    #: What ``setup_parser`` receives: the sub-command set of the ``teleprospect`` parser.
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

PROG = "teleprospect"


# ----------------------------------------------------------------------------- exit codes


class ExitCode(IntEnum):
    """What a script calling ``teleprospect`` can tell from the exit status."""

    OK = 0
    #: It failed: not found, a bad file, a conflict, the database unreachable, a bug.
    FAILURE = 1
    #: The command line is wrong: a bad option, value or combination.
    USAGE = 2
    #: A rule of the desk says no (a decision without its bar, a callback out of hours).
    REFUSED = 3
    #: The acting user may not do this (their role, a deactivated or unknown login).
    NOT_PERMITTED = 4
    #: Stopped with Ctrl+C; nothing of the interrupted step was kept.
    INTERRUPTED = 130


EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "done",
    ExitCode.FAILURE: "failed: not found, a bad file, a conflict, the database unreachable",
    ExitCode.USAGE: "the command line is wrong: an unknown option or a bad value",
    ExitCode.REFUSED: "a rule of the desk refused it (e.g. a decision without its bar)",
    ExitCode.NOT_PERMITTED: "your role or account does not allow it",
    ExitCode.INTERRUPTED: "interrupted (Ctrl+C)",
}


def exit_codes_help() -> str:
    """The exit-code table for ``--help`` and the README."""
    lines = ["exit codes:"]
    lines += [f"  {int(code):>3}  {meaning}" for code, meaning in EXIT_CODE_MEANINGS.items()]
    return "\n".join(lines)


class CommandError(Exception):
    """A failure the command itself found (a bad value, a missing option): one line, its code."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    @classmethod
    def about(cls, error: BaseException, message: str) -> CommandError:
        """``error`` told in the command's own words, with the exit code its kind maps to."""
        return cls(message, exit_code_for(error))


def exit_code_for(error: BaseException) -> ExitCode:
    """The one mapping from an error to an exit code: by kind, then today's own classes."""
    # Imported here: the mapping is needed only when something failed.
    from teleprospect.core.errors import Cancelled, Refused
    from teleprospect.core.permissions import PermissionDenied
    from teleprospect.services.calls.decisions import DecisionRefused
    from teleprospect.services.calls.log_call import CallNotAllowed
    from teleprospect.services.queue.claims import ClaimNotHeld

    if isinstance(error, CommandError):
        return error.exit_code
    if isinstance(error, KeyboardInterrupt | Cancelled):
        return ExitCode.INTERRUPTED
    # Someone else holds the lead: a conflict to retry later, not a rule saying no.
    if isinstance(error, ClaimNotHeld):
        return ExitCode.FAILURE
    # Before Refused: not being allowed is a refusal too, but scripts must tell them apart.
    if isinstance(error, PermissionDenied):
        return ExitCode.NOT_PERMITTED
    if isinstance(error, Refused | DecisionRefused | CallNotAllowed):
        return ExitCode.REFUSED
    return ExitCode.FAILURE


#: The longest error line shown; a value typed or read that long is cut (the log has it).
MAX_ERROR_LENGTH = 500


def error_message(error: BaseException) -> str:
    """The one line a user reads for ``error``: no control characters, no traceback."""
    from teleprospect.services.errors import user_message

    if isinstance(error, CommandError) or type(error).__module__.startswith("teleprospect."):
        # Our own errors are written as one sentence for the user, whatever their kind.
        text = str(error).strip()
        line = text.splitlines()[0] if text else type(error).__name__
    else:
        line = user_message(error)
    return shorten(printable(line), MAX_ERROR_LENGTH)


# ----------------------------------------------------------------------------- database


def open_db(
    args: argparse.Namespace,
    *,
    upgrade: bool = True,
    create: bool = False,
    roles: bool | None = None,
) -> OpenedDatabase:
    """The database of ``--db`` (else the environment, else the user's file), up to date.

    Only the commands that make a database (``db upgrade``, ``demo``) pass ``create``;
    every other one on a missing SQLite file is refused and makes nothing."""
    from teleprospect.services.database import open_database

    return open_database(resolve_db_url(args.db).url, upgrade=upgrade, create=create, roles=roles)


@contextmanager
def database(args: argparse.Namespace, *, create: bool = False) -> Iterator[Database]:
    """``with database(args) as db:`` — the opened database, closed afterwards; whoever
    the database (or the operating system) proves is at this workstation is known to it,
    so every act is recorded in their name."""
    from teleprospect.services.identity.current_user import establish

    db = open_db(args, create=create).db
    try:
        establish(db)
        yield db
    finally:
        db.dispose()


# ----------------------------------------------------------------------------- acting user


#: What ``--as`` says in every command's help.
AS_HELP = (
    "act as this user: for admins only, and recorded in the audit trail (default: you, "
    "as the database proves it: your PostgreSQL login, or your computer account on SQLite)"
)


def add_as_option(parser: argparse.ArgumentParser) -> None:
    """``--as LOGIN``: the one way every command acts for someone else (admins only)."""
    parser.add_argument("--as", dest="as_login", metavar="LOGIN", help=AS_HELP)


def acting_user(
    db: Database, args: argparse.Namespace, *, allow_unknown: bool = False
) -> int | None:
    """The id of the user the command acts as: you (your database login on PostgreSQL,
    your computer account on SQLite), or ``--as LOGIN`` when you are an admin (recorded
    in the audit trail).

    A deactivated account, a login that is no user, and ``--as`` from anyone but an admin
    are not permitted (exit 4); with ``allow_unknown`` a login that is no user gives None
    when it may set the team up (the database's owner, or no admin yet).
    """
    from teleprospect.core.errors import NotFound
    from teleprospect.services.errors import UnknownUser
    from teleprospect.services.identity import current_user

    try:
        return current_user.acting_user_id(
            db,
            as_login=args.as_login,
            allow_unknown=allow_unknown,
            purpose=" ".join(
                part for part in (PROG, args.command, getattr(args, "users_command", None)) if part
            ),
        )
    except (UnknownUser, NotFound):
        raise CommandError(f"There is no user with the login {args.as_login!r}.") from None


def acting_user_id(db: Database, args: argparse.Namespace) -> int:
    """The id of the user the command acts as; a login that is no user is not permitted."""
    user_id = acting_user(db, args)
    assert user_id is not None  # acting_user refuses unknown logins unless allowed
    return user_id


def who_is_here(db: Database) -> str:
    """The login proven at this workstation (for records such as an import's)."""
    from teleprospect.services.identity.current_user import current_login

    return current_login(db)


def user_by_login(db: Database, login: str) -> int:
    """The id of the user another option names (``--from``, ``--to``, ``--owner``…)."""
    from teleprospect.core.errors import NotFound
    from teleprospect.services.errors import UnknownUser
    from teleprospect.services.team.users import find_user

    try:
        return find_user(db, login).id
    except (UnknownUser, NotFound):
        raise CommandError(f"There is no user with the login {login!r}.") from None


# ----------------------------------------------------------------------------- output


def add_json_option(parser: argparse.ArgumentParser, what: str = "the result") -> None:
    parser.add_argument("--json", action="store_true", help=f"print {what} as JSON")


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


#: What JSON may carry raw but a terminal would obey: DEL and the C1 controls (0x9b is CSI).
_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def json_text(data: Any) -> str:
    """``data`` as one line of JSON: times in ISO 8601, enums by value, text unescaped.

    The encoder escapes C0 controls (ESC is written ``\\u001b``); DEL and C1 controls are
    escaped here, so no value can drive the terminal the JSON is printed on.
    """
    text = json.dumps(data, ensure_ascii=False, default=_json_value)
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def say(text: str = "") -> None:
    """Print a line of text output, without control characters or escape sequences.

    Whatever a lead's fields carry (a CSV cell with a colour code, a window title, a
    "clear screen"), none of it reaches the terminal.
    """
    print(printable(text, multiline=True))


def print_json(data: Any) -> None:
    """Print ``data`` as one JSON document on one line."""
    print(json_text(data))


def print_json_lines(rows: Iterable[Any]) -> None:
    """Print one JSON object per line (JSON Lines), for streams a script reads row by row."""
    for row in rows:
        print(json_text(row))


class TerminalProgress:
    """A one-line progress counter on stderr, shown only on a terminal."""

    def __init__(self, label: str) -> None:
        self.label = printable(label)  # a file's name may carry escape sequences too
        self.active = sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.active:
            percent = 100 * done // total if total else 100
            print(f"\r{self.label}: {done:,}/{total:,} ({percent}%)", end="", file=sys.stderr)
            self.shown = True

    def finish(self) -> None:
        if self.shown:
            print(file=sys.stderr)


# ----------------------------------------------------------------------------- argument types

#: Ids are 32-bit on PostgreSQL: anything larger cannot name a row.
MAX_ID = 2**31 - 1


def whole_number(low: int, high: int, *, unit: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, else a clear error."""
    suffix = f" {unit}" if unit else ""

    def parse(text: str) -> int:
        digits = text.strip().removeprefix("+")
        if digits.isdigit() and len(digits) > len(str(high)):
            # Also spares int() numbers too long to read (Python refuses 4,300 digits).
            raise argparse.ArgumentTypeError(f"{shorten(digits, 20)} is too large")
        try:
            value = int(text.strip())
        except ValueError:
            shown = shorten(printable(text), 40)
            raise argparse.ArgumentTypeError(f"{shown!r} is not a whole number") from None
        if low <= value <= high:
            return value
        if high < MAX_ID:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}{suffix}")
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low:,}{suffix}")
        raise argparse.ArgumentTypeError(f"{value:,} is too large")

    parse.__name__ = "whole number"
    return parse


#: A lead's (or a batch's) id: from 1 to the largest id a database can hold.
record_id = whole_number(1, MAX_ID)

#: Names (a campaign, a saved mapping) are stored in at most 200 characters.
MAX_NAME_LENGTH = 200


def short_text(limit: int = MAX_NAME_LENGTH) -> Callable[[str], str]:
    """An argparse type: text of at most ``limit`` characters, without control characters."""

    def parse(text: str) -> str:
        if len(text) > limit:
            raise argparse.ArgumentTypeError(
                f"too long: {len(text):,} characters, at most {limit:,}"
            )
        if printable(text) != text:
            raise argparse.ArgumentTypeError("holds control characters")
        return text

    parse.__name__ = "text"
    return parse


#: A name: a campaign, a saved column mapping.
name_text = short_text()


def delimiter(text: str) -> str:
    """An argparse type: one column separator; a tab may be written \\t or "tab"."""
    value = "\t" if text in ("\\t", "tab", "TAB") else text
    if len(value) != 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not one character; write a tab as \\t or tab"
        )
    return value


def id_list(text: str | None, option: str) -> tuple[int, ...]:
    """``1,2,3`` given to ``option`` as ids (empty when not given)."""
    if not text:
        return ()
    ids = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or len(part) > 10 or not 1 <= int(part) <= MAX_ID:
            shown = shorten(printable(part), 20)
            raise CommandError(f"{option}: {shown!r} is not a lead id.", ExitCode.USAGE)
        ids.append(int(part))
    return tuple(ids)
