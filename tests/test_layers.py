"""DESIGN.md §2 rule 1: imports point down (ui → services → store → core; cli → services).

The rules themselves, and how they are read from the source, are in
:mod:`tests.layer_rules`. These tests hold the package to them, and prove that the check
bites: each kind of violation is planted in a copy of the package and must be named.

One exception is deliberate: the CLI may import :data:`~tests.layer_rules.GUI_ENTRY_POINT`
(``teleprospect.ui.app``) inside a function, to start the GUI; the command itself starts
without Qt.
"""

from __future__ import annotations

import shutil
import textwrap
from functools import cache
from pathlib import Path

import pytest

from tests.layer_rules import PACKAGE, Violation, check_package, report

ROOT = Path(__file__).resolve().parents[1]

RULE_FAMILIES = {
    "core": ("core-",),
    "store": ("store-",),
    "services": ("services-",),
    "ui": ("ui-",),
    "cli": ("cli-", "main-"),
    "demo": ("demo-",),
    "config and package root": ("config-", "root-"),
    "cycles": ("no-cycle",),
}


@cache
def violations_in_package() -> tuple[Violation, ...]:
    return tuple(check_package(ROOT))


def test_every_layer_has_modules() -> None:
    for layer in ("core", "store", "services", "ui", "demo"):
        assert list((ROOT / PACKAGE / layer).rglob("*.py")), f"{PACKAGE}/{layer} has no modules"
    assert (ROOT / PACKAGE / "cli.py").exists() or (ROOT / PACKAGE / "cli").is_dir()


@pytest.mark.parametrize("family", list(RULE_FAMILIES))
def test_the_package_keeps_its_import_rules(family: str) -> None:
    found = [v for v in violations_in_package() if v.rule.startswith(RULE_FAMILIES[family])]
    assert not found, report(found)


def test_every_rule_broken_belongs_to_a_family() -> None:
    prefixes = tuple(p for family in RULE_FAMILIES.values() for p in family)
    assert [v for v in violations_in_package() if not v.rule.startswith(prefixes)] == []


# --- the check bites ---------------------------------------------------------------------


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the package to plant violations in; returns the directory holding it."""
    shutil.copytree(
        ROOT / PACKAGE, tmp_path / PACKAGE, ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


def plant(root: Path, relative: str, source: str) -> str:
    path = root / PACKAGE / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if not (path.parent / "__init__.py").exists():
        (path.parent / "__init__.py").write_text("", encoding="utf-8")
    path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return f"{PACKAGE}/{relative}"


def new_violations(root: Path) -> set[tuple[str, int, str]]:
    before = {(v.path, v.line, v.rule) for v in violations_in_package()}
    return {(v.path, v.line, v.rule) for v in check_package(root)} - before


# The CLI is a module cli.py (with cli_*.py beside it) or a package cli/: plant beside it.
CLI_PLANT = "cli/planted.py" if (ROOT / PACKAGE / "cli").is_dir() else "cli_planted.py"

PLANTED = {
    "ui imports store at run time": (
        "ui/planted.py",
        """
        from __future__ import annotations

        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from teleprospect.store.models import Lead  # fine: types only

        def open_it(url: str) -> None:
            from teleprospect.store.database import Database
            Database(url)
        """,
        9,
        "ui-no-store",
    ),
    "ui imports cli": (
        "ui/planted.py",
        """
        from teleprospect.services.errors import ServiceError
        from teleprospect import cli
        """,
        2,
        "ui-no-cli",
    ),
    "core imports sqlalchemy": (
        "core/planted.py",
        """
        import dataclasses
        from sqlalchemy import select
        """,
        2,
        "core-no-database",
    ),
    "core imports Qt": (
        "core/planted.py",
        """
        from PySide6.QtCore import QObject
        """,
        1,
        "core-no-qt",
    ),
    "core imports a module of ours": (
        "core/planted.py",
        """
        from teleprospect.config import data_dir
        """,
        1,
        "core-no-config",
    ),
    "core opens a file": (
        "core/planted.py",
        """
        def rules(name: str) -> str:
            with open(name, encoding="utf-8") as stream:
                return stream.read()
        """,
        2,
        "core-no-io",
    ),
    "core reads a path": (
        "core/planted.py",
        """
        def rules(path) -> str:
            return path.read_text(encoding="utf-8")
        """,
        2,
        "core-no-io",
    ),
    "core imports os inside a function": (
        "core/planted.py",
        """
        def home() -> str:
            import os
            return os.environ["HOME"]
        """,
        2,
        "core-no-io",
    ),
    "services import ui": (
        "services/planted.py",
        """
        def show() -> None:
            from teleprospect.ui.errors import show_error
        """,
        2,
        "services-no-ui",
    ),
    "services import Qt": (
        "services/planted.py",
        """
        from PySide6.QtCore import Signal
        """,
        1,
        "services-no-qt",
    ),
    "services import demo": (
        "services/planted.py",
        """
        from teleprospect.demo import loader
        """,
        1,
        "services-no-demo",
    ),
    "store imports services": (
        "store/planted.py",
        """
        from teleprospect.services import errors
        """,
        1,
        "store-no-services",
    ),
    "a relative import goes up a layer": (
        "store/planted.py",
        """
        from __future__ import annotations

        from ..services.errors import ServiceError
        """,
        3,
        "store-no-services",
    ),
    "a relative import from inside a package goes up a layer": (
        "core/planted/__init__.py",
        """
        from ...store import database
        """,
        1,
        "core-no-store",
    ),
    "cli imports store at run time": (
        CLI_PLANT,
        """
        from teleprospect.store.database import Database
        """,
        1,
        "cli-no-store",
    ),
    "cli imports ui other than the GUI entry point": (
        CLI_PLANT,
        """
        def run() -> None:
            from teleprospect.ui.main_window import MainWindow
        """,
        2,
        "cli-no-ui",
    ),
    "cli imports the GUI entry point at the top": (
        CLI_PLANT,
        """
        from teleprospect.ui.app import run_gui
        """,
        1,
        "cli-no-ui",
    ),
    "demo imports ui": (
        "demo/planted.py",
        """
        from teleprospect.ui import main_window
        """,
        1,
        "demo-no-ui",
    ),
    "config imports a layer": (
        "config_planted.py",
        """
        from teleprospect.services import errors
        """,
        1,
        "root-no-services",
    ),
}


@pytest.mark.parametrize("case", list(PLANTED))
def test_a_planted_violation_is_named_with_file_line_and_rule(
    case: str, package_copy: Path
) -> None:
    relative, source, line, rule = PLANTED[case]
    path = plant(package_copy, relative, source)
    assert (path, line, rule) in new_violations(package_copy), case


def test_a_planted_cycle_between_two_services_modules_is_named(package_copy: Path) -> None:
    first = plant(
        package_copy,
        "services/queue/planted_order.py",
        """
        from teleprospect.services.calls import planted_outcome
        """,
    )
    second = plant(
        package_copy,
        "services/calls/planted_outcome.py",
        """
        def next_lead() -> None:
            from teleprospect.services.queue.planted_order import nothing
        """,
    )
    found = new_violations(package_copy)
    assert (first, 1, "no-cycle") in found
    assert (second, 2, "no-cycle") in found


def test_a_planted_relative_cycle_is_named(package_copy: Path) -> None:
    first = plant(package_copy, "services/planted/a.py", "from . import b\n")
    second = plant(package_copy, "services/planted/b.py", "from .a import x\n")
    found = new_violations(package_copy)
    assert {(first, 1, "no-cycle"), (second, 1, "no-cycle")} <= found


def test_the_allowed_imports_are_not_flagged(package_copy: Path) -> None:
    plant(
        package_copy,
        "ui/planted.py",
        """
        from __future__ import annotations

        from typing import TYPE_CHECKING

        import teleprospect.services.errors
        from teleprospect.config import data_dir
        from teleprospect.demo import loader

        if TYPE_CHECKING:
            from teleprospect.store.database import Database
        """,
    )
    plant(
        package_copy,
        CLI_PLANT,
        """
        def gui() -> None:
            from teleprospect.ui.app import run_gui
        """,
    )
    plant(
        package_copy,
        "core/planted.py",
        """
        import io

        from teleprospect.core.data import read_json

        def text(data: bytes) -> str:
            return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()
        """,
    )
    assert new_violations(package_copy) == set()
