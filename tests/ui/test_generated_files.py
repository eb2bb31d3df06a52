"""The committed forms and resources module are what the tools make from ui/ and resources/
(DESIGN.md §2 rule 5). If this fails, run: python packaging/build_generated.py"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_generated", ROOT / "packaging" / "build_generated.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build() -> ModuleType:
    return load_build_script()


@pytest.fixture(scope="module")
def outputs(build: ModuleType) -> dict[Path, str]:
    return build.generated_outputs()


def test_every_form_and_the_resources_are_generated(build, outputs) -> None:
    expected = {build.FORMS_TARGET / f"ui_{ui.stem}.py" for ui in (ROOT / "ui").glob("*.ui")}
    expected.add(build.RESOURCES_TARGET)
    assert set(outputs) == expected


def test_committed_files_match_their_sources(build, outputs) -> None:
    stale = [str(path.relative_to(ROOT)) for path in build.stale_files(outputs)]
    assert stale == [], "out of date; run: python packaging/build_generated.py"
    assert build.orphaned_forms(outputs) == []


def test_each_file_says_it_is_generated_and_how_to_regenerate(outputs) -> None:
    for text in outputs.values():
        first = text.splitlines()[0]
        assert first.startswith("# Generated from ")
        assert "do not edit" in first
        assert "python packaging/build_generated.py" in first


def test_no_tool_version_is_written(outputs) -> None:
    """A PySide6 patch release must not make the committed files look stale."""
    for text in outputs.values():
        created = [line for line in text.splitlines() if "Created by:" in line]
        assert created and not any("version" in line for line in created)


def test_the_same_text_on_every_run(build, outputs) -> None:
    assert build.generated_outputs() == outputs


def test_a_changed_form_changes_the_output(build, tmp_path) -> None:
    original = ROOT / "ui" / "main_window.ui"
    changed = tmp_path / "main_window.ui"
    changed.write_text(
        original.read_text(encoding="utf-8").replace("&amp;Refresh", "&amp;Reload"),
        encoding="utf-8",
    )
    assert build.compile_form(changed) != build.compile_form(original)


def test_a_changed_resource_changes_the_output(build, tmp_path) -> None:
    copy = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", copy)
    before = build.compile_resources(copy / "teleprospect.qrc")
    style = copy / "style.qss"
    style.write_text(style.read_text(encoding="utf-8") + "\nQLabel { }\n", encoding="utf-8")
    assert build.compile_resources(copy / "teleprospect.qrc") != before


def test_check_mode_lists_stale_files_and_exits_1(build, monkeypatch, tmp_path, capsys) -> None:
    target = tmp_path / "ui_main_window.py"
    target.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(build, "generated_outputs", lambda: {target: "# new\n"})
    monkeypatch.setattr(build, "orphaned_forms", lambda outputs: [])
    monkeypatch.setattr(build, "ROOT", tmp_path)
    assert build.main(["--check"]) == 1
    assert "out of date: ui_main_window.py" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == "# old\n"
    assert build.main([]) == 0
    assert target.read_text(encoding="utf-8") == "# new\n"
    assert build.main(["--check"]) == 0
