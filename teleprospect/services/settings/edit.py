"""Team settings by name, as the command line shows and sets them.

Every setting reads as flat ``key.path = value`` lines (``routing.min_score = 80``,
``retry_rules.by_disposition.no_answer.delay_minutes = 240``); :func:`set_setting_value`
changes one line — or a whole setting given as JSON — checks the result with the
setting's own types and rules, and stores it through
:func:`~teleprospect.services.settings.team_settings.change_team_setting` (a team lead's
act, in the audit trail). A value that cannot be used is refused in one sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from teleprospect.core.errors import Invalid, TeleprospectError
from teleprospect.services.settings.team_settings import (
    SETTINGS,
    Setting,
    change_team_setting,
    read_setting,
)
from teleprospect.store.database import Database

__all__ = [
    "SettingChange",
    "SettingInvalid",
    "flat_lines",
    "set_setting_value",
    "settings_json",
]

#: Leaves that may be "off" (null) although their default is a number.
_MAY_BE_OFF: set[tuple[str, ...]] = {("routing", "min_score"), ("routing", "min_company_size")}
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
#: Leaves with a fixed set of values.
_CHOICES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("retry_rules", "on_exhausted"): ("nurture", "closed_unreachable")
}


class SettingInvalid(Invalid):
    """A setting name or value that cannot be used; the message is one sentence."""


@dataclass(frozen=True)
class SettingChange:
    key: str
    before: dict[str, Any]
    after: dict[str, Any]


def settings_json(db: Database) -> dict[str, dict[str, Any]]:
    """Every team setting as stored (its default when never set), by key."""
    with db.read() as session:
        return {key: s.to_json(read_setting(session, s)) for key, s in SETTINGS.items()}


def flat_lines(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """(``a.b.c``, leaf value) for every leaf of a setting's JSON; lists are leaves."""
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            yield from flat_lines(inner, f"{prefix}.{key}")
    else:
        yield prefix, value


def _parse(text: str) -> Any:
    """A typed value: JSON (numbers, true/false, lists, objects), ``off``/``none`` for
    null, anything else as text."""
    if text.strip().lower() in {"off", "none", "null"}:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text.strip()


def _kind(value: Any) -> str:
    if value is None:
        return "off"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of settings"
    return "text"


def _check_leaf(path: tuple[str, ...], old: Any, new: Any) -> None:
    name = ".".join(path)
    if new is None:
        if old is None or path in _MAY_BE_OFF:
            return
        raise SettingInvalid(f"{name} cannot be off; give {_kind(old)}.")
    wanted = _kind(old) if old is not None else "a number"
    if _kind(new) != wanted:
        raise SettingInvalid(f"{name} must be {wanted}, not {json.dumps(new, ensure_ascii=False)}.")
    choices = _CHOICES.get(path)
    if choices is not None and new not in choices:
        raise SettingInvalid(f"{name} must be one of {', '.join(choices)}, not {new!r}.")
    if path[-1] in {"start", "end"} and path[0] == "calling_hours" and not _TIME.match(new):
        raise SettingInvalid(f"{name} must be a time such as 09:00, not {new!r}.")


def _replace(data: dict[str, Any], path: tuple[str, ...], new: Any) -> dict[str, Any]:
    """``data`` with the leaf at ``path`` (below the setting's key) set to ``new``."""
    data = deepcopy(data)
    node: Any = data
    for depth, part in enumerate(path[1:-1], start=1):
        if not isinstance(node, dict) or part not in node:
            _unknown(path[: depth + 1], node)
        node = node[part]
    last = path[-1]
    if not isinstance(node, dict) or last not in node:
        _unknown(path, node)
    _check_leaf(path, node[last], new)
    node[last] = new
    return data


def _unknown(path: tuple[str, ...], node: Any) -> None:
    where = ".".join(path[:-1])
    has = ", ".join(sorted(node)) if isinstance(node, dict) else "nothing below it"
    raise SettingInvalid(f"{where} has no setting {path[-1]!r} (it has: {has}).")


def _value_of(setting: Setting[Any], data: dict[str, Any]) -> Any:
    try:
        return setting.from_json(data)
    except TeleprospectError as error:
        raise SettingInvalid(str(error)) from None
    except (ValueError, TypeError, KeyError) as error:
        message = str(error).strip("'\"")
        if message and message[0].isupper() and message.endswith("."):
            raise SettingInvalid(message) from None  # our own rules speak in sentences
        raise SettingInvalid(
            f"The {setting.name} cannot be stored that way ({message or type(error).__name__})."
        ) from None


def set_setting_value(db: Database, user_id: int, name: str, text: str) -> SettingChange:
    """Set the team setting ``name`` (``routing`` or a leaf such as ``routing.min_score``)
    to ``text`` (JSON, ``off``, or plain text); a team lead's act, recorded."""
    path = tuple(part for part in name.strip().split(".") if part)
    if not path or path[0] not in SETTINGS:
        known = ", ".join(SETTINGS)
        first = path[0] if path else name
        raise SettingInvalid(f"There is no team setting {first!r}; the settings are: {known}.")
    setting = SETTINGS[path[0]]
    before = settings_json(db)[setting.key]
    new = _parse(text)
    if len(path) == 1:
        if not isinstance(new, dict):
            raise SettingInvalid(
                f"Give the whole {setting.name} as a JSON object, or set one of its lines"
                f" (such as {next(flat_lines(before, setting.key))[0]})."
            )
        unknown = sorted(set(new) - set(before))
        if unknown:
            _unknown((setting.key, unknown[0]), before)
        after = {**before, **new}
    else:
        after = _replace(before, path, new)
    value = _value_of(setting, after)
    change_team_setting(db, setting, value, user_id=user_id)
    return SettingChange(setting.key, before, setting.to_json(value))
