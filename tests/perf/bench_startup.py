"""Start-up budget (DESIGN.md §4): the main window is shown within 1.5× a bare PySide6 window.

    python tests/perf/bench_startup.py [--runs 5] [--leads 100000] [--platform offscreen]

Each start is a separate process (a cold interpreter, as a user gets it). The time is
from just before the process is spawned to the first event-loop turn after the window is
shown: (a) a bare QMainWindow, (b) Teleprospect's main window on a prepared SQLite
database (migrated, with demo leads); both report from a zero-delay timer queued by the
show, i.e. at the first event-loop turn after it. Bytecode is cached (as for an installed
app) and one untimed start of each warms the cache. Runs alternate a/b so that machine
noise hits both alike; the medians and their ratio are printed, ratios being what these
noisy machines can compare. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUDGET_RATIO = 1.5

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1200, 720)
def shown():
    print(f"SHOWN {time.time():.6f}", flush=True)
    app.quit()
window.show()
QTimer.singleShot(0, shown)
app.exec()
"""

TELEPROSPECT = """
import sys, time
from teleprospect.ui.app import run_gui
def shown(window):
    print(f"SHOWN {time.time():.6f}", flush=True)
    # Also when the first leads are on screen (informative; not part of the ratio).
    def rows_arrived():
        print(f"ROWS {time.time():.6f}", flush=True)
        window.close()
    window.lead_model.rowsInserted.connect(rows_arrived)
raise SystemExit(run_gui(sys.argv[1], after_show=shown))
"""


def prepare_database(folder: Path, leads: int) -> Path:
    path = folder / f"bench-{leads}.sqlite3"
    if path.exists():
        return path
    sys.path.insert(0, str(ROOT))
    from teleprospect.demo.loader import load_demo
    from teleprospect.services.database import open_database

    opened = open_database(str(path))
    started = time.perf_counter()
    load_demo(opened.db, leads=leads, seed=1)
    opened.db.dispose()
    print(f"prepared {path} with {leads:,} leads in {time.perf_counter() - started:.1f} s")
    return path


#: Seconds from spawn to the first leads on screen, per Teleprospect start.
rows_seen: list[float] = []


def start_once(code: str, args: list[str], env: dict[str, str]) -> float:
    spawned = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    marks = dict(
        line.split() for line in done.stdout.splitlines() if line[:5] in ("SHOWN", "ROWS ")
    )
    if done.returncode != 0 or "SHOWN" not in marks:
        raise SystemExit(f"start failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    if "ROWS" in marks:
        rows_seen.append(float(marks["ROWS"]) - spawned)
    return float(marks["SHOWN"]) - spawned


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument(
        "--platform",
        default=os.environ.get("QT_QPA_PLATFORM")
        or ("xcb" if os.environ.get("DISPLAY") else "offscreen"),
        help="Qt platform plugin (offscreen, xcb, wayland, windows, cocoa)",
    )
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "tp-bench")
    options = parser.parse_args()

    options.data.mkdir(parents=True, exist_ok=True)
    database = prepare_database(options.data, options.leads)
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = options.platform
    # Keep the bench's window geometry out of the user's own settings.
    env["XDG_CONFIG_HOME"] = str(options.data / "config")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    # An installed app starts from bytecode (pip compiles it): cache it outside the tree
    # even where PYTHONDONTWRITEBYTECODE is set, and warm the cache with one untimed start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(options.data / "pycache")
    start_once(BARE, [], env)
    start_once(TELEPROSPECT, [str(database)], env)

    bare: list[float] = []
    app: list[float] = []
    rows_seen.clear()
    for _ in range(options.runs):
        bare.append(start_once(BARE, [], env))
        app.append(start_once(TELEPROSPECT, [str(database)], env))

    bare_ms, app_ms = statistics.median(bare) * 1000, statistics.median(app) * 1000
    ratio = app_ms / bare_ms
    verdict = "within" if ratio <= BUDGET_RATIO else "OVER"
    print(
        f"start-up to window shown, median of {options.runs} ({options.platform}, "
        f"{options.leads:,} leads): bare PySide6 {bare_ms:.0f} ms, Teleprospect {app_ms:.0f} ms, "
        f"ratio {ratio:.2f} ({verdict} the {BUDGET_RATIO}× budget)"
    )
    print("  bare:", " ".join(f"{t * 1000:.0f}" for t in bare), "ms")
    print("  app: ", " ".join(f"{t * 1000:.0f}" for t in app), "ms")
    if rows_seen:
        print(f"  first leads on screen (median): {statistics.median(rows_seen) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
