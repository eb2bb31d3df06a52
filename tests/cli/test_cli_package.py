"""Issue 11: the command line is a package without an import cycle: the package's
``__init__`` registers the areas, the areas share only ``common``, nothing imports back."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import teleprospect.cli
from teleprospect.cli import AREAS

PACKAGE = Path(teleprospect.cli.__file__).resolve().parent
ROOT = PACKAGE.parents[1]
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def cli_imports(path: Path) -> set[str]:
    """The modules of the cli package ``path`` imports, at any depth, as their short names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "teleprospect.cli":
                found.update(alias.name for alias in node.names)
                found.add("__init__")
            elif node.module.startswith("teleprospect.cli."):
                found.add(node.module.removeprefix("teleprospect.cli."))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "teleprospect.cli":
                    found.add("__init__")
                elif alias.name.startswith("teleprospect.cli."):
                    found.add(alias.name.removeprefix("teleprospect.cli."))
    return found


@pytest.mark.parametrize("module", MODULES)
def test_no_module_imports_the_package_back_and_areas_share_only_common(module: str) -> None:
    imported = cli_imports(PACKAGE / f"{module}.py")
    assert "__init__" not in imported, f"cli/{module}.py imports the package's __init__"
    allowed = set() if module == "common" else {"common"}
    assert imported <= allowed, f"cli/{module}.py imports {sorted(imported - allowed)}"


def test_the_package_registers_every_area_module() -> None:
    registered = {setup.__module__.removeprefix("teleprospect.cli.") for setup in AREAS}
    assert registered == set(MODULES) - {"common"}


@pytest.mark.parametrize("module", ["__init__", *MODULES])
def test_each_module_imports_on_its_own(module: str) -> None:
    name = "teleprospect.cli" if module == "__init__" else f"teleprospect.cli.{module}"
    done = subprocess.run(
        [sys.executable, "-c", f"import {name}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
