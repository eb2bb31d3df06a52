"""Start-up budget (DESIGN.md §4): what the first window does not need is not loaded before
it is on screen. The database layer (SQLAlchemy, Alembic), phone data and the team leads'
pages cost more than a bare window's whole start-up; they come after the first paint.

Each check starts the application in a fresh interpreter, as a user does, and lists the
modules loaded at the moment the window reports itself shown.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FIRST_PAINT = """
import json, sys
from teleprospect.ui.app import run_gui
def shown(window):
    print("LOADED " + json.dumps(sorted(sys.modules)), flush=True)
    window.close()
raise SystemExit(run_gui(sys.argv[1], after_show=shown))
"""

#: Loaded only once the window is up (the database opens on a worker after the first paint).
NOT_BEFORE_FIRST_PAINT = (
    "sqlalchemy",
    "alembic",
    "psycopg",
    "phonenumbers",
    "teleprospect.services",
    "teleprospect.store",
    "teleprospect.core.scoring",
    "teleprospect.ui.team",
    "teleprospect.ui.workspace",
    "teleprospect.ui.imports.wizard",
)


@pytest.fixture(scope="module")
def loaded_at_first_paint(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("startup")
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(folder / "config")
    env["TELEPROSPECT_DATA_DIR"] = str(folder / "data")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, str(folder / "new.sqlite3")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("LOADED ")]
    assert lines, f"the window was not shown ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return list(json.loads(lines[0].removeprefix("LOADED ")))


@pytest.mark.parametrize("package", NOT_BEFORE_FIRST_PAINT)
def test_the_first_window_appears_before_this_is_loaded(
    loaded_at_first_paint: list[str], package: str
) -> None:
    early = [m for m in loaded_at_first_paint if m == package or m.startswith(package + ".")]
    assert early == [], f"{package} is loaded before the first paint: {early[:5]}"


def test_the_first_window_is_the_application_s_own(loaded_at_first_paint: list[str]) -> None:
    # The check above proves something only if the real window was the one shown.
    assert "teleprospect.ui.main_window" in loaded_at_first_paint
    assert "teleprospect.ui.desk.queue_desk" in loaded_at_first_paint
