"""Regenerate the Python files compiled from Designer forms and Qt resources.

    python packaging/build_generated.py           # rewrite what is out of date
    python packaging/build_generated.py --check   # exit 1 and list stale files

Every ``ui/<name>.ui`` becomes ``teleprospect/ui/forms/ui_<name>.py`` (pyside6-uic) and
``resources/teleprospect.qrc`` becomes ``teleprospect/ui/resources_rc.py`` (pyside6-rcc).
The outputs are committed so that the app runs from a checkout without Qt's build tools;
tests/ui/test_generated_files.py fails when they no longer match their sources.

The outputs must be the same on every machine and every run: rcc writes resource format
version 1 (which carries no file timestamps) without compression, and the lines where the
tools name their own version are normalised, so a PySide6 patch release does not make the
committed files look stale.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMS_SOURCE = ROOT / "ui"
FORMS_TARGET = ROOT / "teleprospect" / "ui" / "forms"
QRC_SOURCE = ROOT / "resources" / "teleprospect.qrc"
RESOURCES_TARGET = ROOT / "teleprospect" / "ui" / "resources_rc.py"

COMMAND = "python packaging/build_generated.py"

# "## Created by: Qt User Interface Compiler version 6.12.0" and rcc's equivalent.
_TOOL_VERSION = re.compile(r"^(#+ Created by: .*?) version \d+(?:\.\d+)*\s*$")


def _tool(name: str) -> str:
    """The PySide6 tool of the running interpreter first, so a venv need not be on PATH."""
    beside_python = Path(sys.executable).with_name(name)
    for candidate in (beside_python, beside_python.with_suffix(".exe")):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 in this environment")
    return found


def _run(args: list[str], cwd: Path) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise SystemExit(f"{' '.join(args)} failed: {message}")
    return result.stdout.decode("utf-8")


def _normalise(tool_output: str, source: Path) -> str:
    relative = source.relative_to(ROOT).as_posix() if source.is_relative_to(ROOT) else source.name
    header = f"# Generated from {relative} — do not edit — regenerate with: {COMMAND}\n"
    lines = [_TOOL_VERSION.sub(r"\1", line) for line in tool_output.splitlines()]
    return header + "\n".join(lines) + "\n"


def compile_form(ui_file: Path) -> str:
    # Run from the form's folder so that the tool sees only the bare file name.
    return _normalise(_run([_tool("pyside6-uic"), ui_file.name], cwd=ui_file.parent), ui_file)


def compile_resources(qrc_file: Path) -> str:
    output = _run(
        [
            _tool("pyside6-rcc"),
            "-g",
            "python",
            "--no-compress",
            "--format-version",
            "1",
            qrc_file.name,
        ],
        cwd=qrc_file.parent,
    )
    return _normalise(output, qrc_file)


def generated_outputs() -> dict[Path, str]:
    """Each generated file's path and the text it must contain."""
    outputs = {
        FORMS_TARGET / f"ui_{ui_file.stem}.py": compile_form(ui_file)
        for ui_file in sorted(FORMS_SOURCE.glob("*.ui"))
    }
    outputs[RESOURCES_TARGET] = compile_resources(QRC_SOURCE)
    return outputs


def stale_files(outputs: dict[Path, str]) -> list[Path]:
    return [
        path
        for path, text in outputs.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def orphaned_forms(outputs: dict[Path, str]) -> list[Path]:
    """Compiled forms whose .ui file is gone."""
    return sorted(set(FORMS_TARGET.glob("ui_*.py")) - set(outputs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if a file is out of date"
    )
    args = parser.parse_args(argv)
    outputs = generated_outputs()
    stale = stale_files(outputs)
    orphans = orphaned_forms(outputs)
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}")
        for path in orphans:
            print(f"no source form: {path.relative_to(ROOT)}")
        if stale or orphans:
            print(f"run: {COMMAND}")
            return 1
        return 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        # newline="\n": the same bytes on Windows, so the check agrees on every platform.
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(outputs[path])
        print(f"wrote {path.relative_to(ROOT)}")
    for path in orphans:
        path.unlink()
        print(f"removed {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
