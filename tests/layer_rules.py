"""The import rules of DESIGN.md §2 (rule 1), checked on the source with :mod:`ast`.

Every module of the package is parsed; relative imports are resolved to the module
they name; imports inside functions count like imports at the top; only imports under
``if TYPE_CHECKING:`` are left out (they never run). :func:`check_package` returns one
:class:`Violation` per broken rule, naming the file, the line and the rule.

The layers, from the bottom up, and what each may import of ours at run time:

==========  ===============================================================
core        nothing of ours; no database, no Qt, and no I/O (package data
            only through :data:`PACKAGE_DATA_HELPER`)
config      nothing of ours (a leaf: anyone above core may import it); ``logfile``
            (the log in the data folder) belongs to it and may import config
store       core
services    store, core, config
demo        services, store, core, config
ui          services, core, config, demo (store only under TYPE_CHECKING)
cli         services, core, config, demo (store only under TYPE_CHECKING);
            of ui only :data:`GUI_ENTRY_POINT`, imported inside a function, so
            that the command starts without Qt
==========  ===============================================================

The package's ``__init__`` (name and version) is a leaf like config; ``__main__`` starts
the CLI. Nothing below ui imports Qt, and no two modules import each other, directly or
round a longer circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "teleprospect"

#: The one module of core allowed to read files: package data via importlib.resources.
PACKAGE_DATA_HELPER = f"{PACKAGE}.core.data"
#: The one module of ui the CLI may import (inside a function): it starts the GUI.
GUI_ENTRY_POINT = f"{PACKAGE}.ui.app"

QT = ("PySide6", "shiboken6")
DATABASE_LIBRARIES = ("sqlalchemy", "alembic", "psycopg", "psycopg2", "sqlite3")

#: Layer → the layers of ours it may import at run time.
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset({"core"}),
    "config": frozenset({"config"}),
    "root": frozenset({"root"}),
    "store": frozenset({"store", "core"}),
    "services": frozenset({"services", "store", "core", "config", "root"}),
    "demo": frozenset({"demo", "services", "store", "core", "config", "root"}),
    "ui": frozenset({"ui", "services", "core", "config", "demo", "root"}),
    "cli": frozenset({"cli", "services", "core", "config", "demo", "root"}),
    "main": frozenset({"cli"}),
}

#: Modules whose import means I/O (files, processes, network, databases).
IO_MODULES = (
    "os",
    "pathlib",
    "shutil",
    "subprocess",
    "socket",
    "sqlite3",
    "urllib",
    "http",
    "tempfile",
    "glob",
    "fileinput",
    "ftplib",
    "smtplib",
    "importlib.resources",
    "requests",
    # io's in-memory streams and wrappers are fine; these open files:
    "io.open",
    "io.FileIO",
    "io.open_code",
    "codecs.open",
)
#: Names of ``io`` that touch files, when called as ``io.x(...)``.
IO_NAMES_IN_IO = frozenset({"open", "FileIO", "open_code"})
#: Calls that read or write files, whatever object they are called on.
IO_METHODS = frozenset(
    {"read_text", "read_bytes", "write_text", "write_bytes", "open", "mkdir", "unlink", "rmdir"}
)
IO_BUILTINS = frozenset({"open"})


@dataclass(frozen=True, order=True)
class Violation:
    path: str  # relative to the directory holding the package: "teleprospect/ui/x.py"
    line: int
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.detail}"


@dataclass(frozen=True)
class Import:
    target: str  # the absolute module name imported
    line: int
    in_function: bool


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    tree: ast.Module


def layer_of(module: str) -> str | None:
    """The layer a module of ours belongs to; None for a module not of ours."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    if len(parts) == 1:
        return "root"
    top = parts[1]
    if top == "__main__":
        return "main"
    if top == "cli" or top.startswith("cli_"):
        return "cli"  # a module cli.py (with cli_*.py beside it) or a package cli/
    if top in ("core", "store", "services", "ui", "demo", "config"):
        return top
    if top == "logfile":
        return "config"  # the log file in the data folder: a leaf beside config, held alike
    return "root"  # another module beside config: held to the leaf rule


def load_package(root: Path) -> dict[str, Module]:
    """Every module of the package under ``root`` (the directory holding ``teleprospect/``)."""
    modules: dict[str, Module] = {}
    base = root / PACKAGE
    for path in sorted(base.rglob("*.py")):
        relative = path.relative_to(root).with_suffix("")
        parts = list(relative.parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        name = ".".join(parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        modules[name] = Module(name, path, is_package, tree)
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _run_time_nodes(tree: ast.AST) -> Iterator[tuple[ast.AST, bool]]:
    """Every node that can run, with whether it sits inside a function; the bodies of
    ``if TYPE_CHECKING:`` are skipped (their ``else`` is not)."""
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, in_function = stack.pop()
        yield node, in_function
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            children: Iterable[ast.AST] = node.orelse
        else:
            children = ast.iter_child_nodes(node)
        inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        stack.extend((child, inner) for child in children)


def _resolve_base(module: Module, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module.name.split(".")
    if not module.is_package:
        package = package[:-1]
    if node.level > 1:
        package = package[: len(package) - (node.level - 1)]
    if node.module:
        package = [*package, *node.module.split(".")]
    return ".".join(package)


def imports_of(module: Module, known: Iterable[str]) -> list[Import]:
    """The modules ``module`` imports at run time, relative imports resolved.

    ``from a.b import c`` names ``a.b.c`` when that is a module of ours, else ``a.b``;
    outside the package it always names ``a.b.c`` (the check looks at prefixes).
    """
    known_modules = set(known)
    found: list[Import] = []
    for node, in_function in _run_time_nodes(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(alias.name, node.lineno, in_function))
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_base(module, node)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if layer_of(base) is not None:
                    target = candidate if candidate in known_modules else base
                else:
                    target = candidate  # `from importlib import resources` names the module
                found.append(Import(target, node.lineno, in_function))
    return found


def _names(target: str, prefixes: Iterable[str]) -> bool:
    return any(target == p or target.startswith(p + ".") for p in prefixes)


def _layer_violations(module: Module, imports: list[Import], rel: str) -> Iterator[Violation]:
    layer = layer_of(module.name)
    if layer is None:
        return
    allowed = ALLOWED[layer]
    for item in imports:
        target_layer = layer_of(item.target)
        if target_layer is None:
            if _names(item.target, QT) and layer != "ui":
                yield Violation(
                    rel, item.line, f"{layer}-no-qt", f"imports {item.target}: only ui uses Qt"
                )
            elif layer == "core" and _names(item.target, DATABASE_LIBRARIES):
                yield Violation(
                    rel,
                    item.line,
                    "core-no-database",
                    f"imports {item.target}: core holds pure rules, storage is store's",
                )
            continue
        if target_layer in allowed:
            continue
        if layer == "cli" and item.target == GUI_ENTRY_POINT and item.in_function:
            continue  # `teleprospect gui` starts the window; Qt loads only then
        if target_layer == "store" and layer in ("ui", "cli"):
            rule, why = f"{layer}-no-store", "at run time (store types only under TYPE_CHECKING)"
        else:
            rule, why = f"{layer}-no-{target_layer}", _why(layer, target_layer)
        yield Violation(rel, item.line, rule, f"imports {item.target} {why}")


def _why(layer: str, target_layer: str) -> str:
    if layer == "core":
        return "(core imports nothing of ours)"
    allowed = sorted(ALLOWED[layer] - {layer, "root"})
    return f"({layer} may import only {', '.join(allowed) or 'nothing of ours'})"


def _io_violations(module: Module, imports: list[Import], rel: str) -> Iterator[Violation]:
    if layer_of(module.name) != "core" or module.name == PACKAGE_DATA_HELPER:
        return
    for item in imports:
        if _names(item.target, IO_MODULES):
            yield Violation(
                rel,
                item.line,
                "core-no-io",
                f"imports {item.target}: core does no I/O "
                f"(package data through {PACKAGE_DATA_HELPER})",
            )
    for node, _ in _run_time_nodes(module.tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in IO_BUILTINS:
            yield Violation(rel, node.lineno, "core-no-io", f"calls {func.id}(): core does no I/O")
        elif isinstance(func, ast.Attribute) and (
            func.attr in IO_METHODS
            or (
                func.attr in IO_NAMES_IN_IO
                and isinstance(func.value, ast.Name)
                and func.value.id == "io"
            )
        ):
            yield Violation(
                rel, node.lineno, "core-no-io", f"calls .{func.attr}(): core does no I/O"
            )


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return sorted(components)


def _cycle_violations(
    modules: dict[str, Module], graph: dict[str, dict[str, int]], root: Path
) -> Iterator[Violation]:
    for component in _cycles(graph):
        members = set(component)
        circle = ", ".join(component)
        for name in component:
            rel = modules[name].path.relative_to(root).as_posix()
            for target, line in sorted(graph[name].items()):
                if target in members:
                    yield Violation(
                        rel,
                        line,
                        "no-cycle",
                        f"imports {target}, which imports it back (circle: {circle})",
                    )


def check_package(root: Path) -> list[Violation]:
    """Every broken import rule in the package under ``root``, sorted by file and line."""
    modules = load_package(root)
    graph: dict[str, dict[str, int]] = {name: {} for name in modules}
    violations: list[Violation] = []
    for name, module in modules.items():
        rel = module.path.relative_to(root).as_posix()
        imports = imports_of(module, modules)
        violations.extend(_layer_violations(module, imports, rel))
        violations.extend(_io_violations(module, imports, rel))
        for item in imports:
            if item.target in modules and item.target != name:
                graph[name].setdefault(item.target, item.line)
    violations.extend(_cycle_violations(modules, graph, root))
    return sorted(set(violations))


def report(violations: Iterable[Violation]) -> str:
    lines = [str(v) for v in violations]
    return f"{len(lines)} import rule(s) broken:\n" + "\n".join(lines)
