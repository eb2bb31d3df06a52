"""DESIGN.md §2 rule 1: imports point down (ui → services → store → core; cli → services)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "teleprospect"
QT_MODULES = ("PySide6", "shiboken6")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_in(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def offenders(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in modules_in(layer):
        for name in imported_modules(path):
            if name.split(".")[0] in forbidden or name.startswith(forbidden):
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return found


def test_layers_exist() -> None:
    for layer in ("core", "store", "services", "ui"):
        assert modules_in(layer), f"teleprospect/{layer} has no modules"


def test_nothing_below_ui_imports_qt() -> None:
    for layer in ("core", "store", "services"):
        assert offenders(layer, QT_MODULES) == []


def test_core_imports_nothing_of_ours_and_no_storage() -> None:
    assert (
        offenders(
            "core",
            (
                "teleprospect.store",
                "teleprospect.services",
                "teleprospect.ui",
                "teleprospect.cli",
                "teleprospect.config",
                "sqlalchemy",
                "alembic",
                "psycopg",
            ),
        )
        == []
    )


def test_store_does_not_reach_up() -> None:
    assert (
        offenders("store", ("teleprospect.services", "teleprospect.ui", "teleprospect.cli")) == []
    )


def test_services_do_not_reach_up() -> None:
    assert offenders("services", ("teleprospect.ui", "teleprospect.cli")) == []


def test_cli_imports_qt_only_lazily() -> None:
    """The CLI must start without Qt; the GUI is imported only when it is launched."""
    top_level = set()
    for path in modules_in("cli"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Import):
                top_level.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                top_level.add(node.module)
    assert not any(n.startswith(QT_MODULES) or n.startswith("teleprospect.ui") for n in top_level)
    assert not any(n.startswith("teleprospect.store") for n in top_level), "cli → services only"
