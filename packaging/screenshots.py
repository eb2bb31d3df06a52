"""Take the README's screenshots on a fresh demo database.

    python packaging/screenshots.py [--out docs] [--leads 3000]

Run it in a real window (e.g. under ``xvfb-run -a -s "-screen 0 1400x900x24"``) or with
``QT_QPA_PLATFORM=offscreen``. The clock is frozen on a Wednesday afternoon (UTC), so the
demo's European and American calling windows are open; the user is the demo team lead.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QTimer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2025, 6, 11, 14, 0, tzinfo=UTC)
LOGIN = "maria.lopez"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--leads", type=int, default=3000)
    args = parser.parse_args(argv)

    import teleprospect.services.identity.current_user as current_user
    from teleprospect.core.decisions import DecisionKind
    from teleprospect.demo.loader import load_demo
    from teleprospect.store.database import Database
    from teleprospect.store.migrate import upgrade_to_head
    from teleprospect.ui.app import create_application
    from teleprospect.ui.main_window import MainWindow

    current_user.os_login = lambda: LOGIN
    folder = Path(tempfile.mkdtemp(prefix="teleprospect-shots-"))
    db = Database(str(folder / "demo.sqlite3"))
    upgrade_to_head(db)
    load_demo(db, leads=args.leads, seed=3, now=NOW)
    app = create_application()
    window = MainWindow(db, now_provider=lambda: NOW)
    window.resize(1366, 860)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        window.grab().save(str(args.out / name))
        print("wrote", args.out / name)

    def tab(widget: object) -> None:
        window.ui.mainTabs.setCurrentWidget(widget)

    def call_in_progress() -> None:
        workspace = window.workspace
        editors = workspace.script_runner.editors
        editors["need"].set_value(True)
        editors["timeline"].set_value("this_quarter")
        editors["budget"].set_value(True)
        workspace.notes.setPlainText(
            "Read the paper for their Q3 cloud migration; comparing two vendors."
        )
        workspace.lead_panel.tabs.setCurrentIndex(1)
        workspace.decision_panel.choose_disposition(1)
        workspace.decision_panel.set_decision(DecisionKind.SALES_READY)

    def search_leads() -> None:
        """The Leads tab with a search typed and filters in use."""
        bar = window.lead_list.search_bar
        window.lead_list.focus_search()
        bar.status.setCurrentIndex(bar.status.findText("Working"))
        bar.box.setText("son")
        bar.search_now()
    def import_history() -> None:
        if window.lead_tools is not None:
            window.lead_tools.open_history()

    def shot_dialog(name: str) -> None:
        tools = window.lead_tools
        if tools is not None and tools.history_dialog is not None:
            tools.history_dialog.grab().save(str(args.out / name))
            print("wrote", args.out / name)
            tools.history_dialog.close()

    steps: list[tuple[int, Callable[[], None]]] = [
        (1500, lambda: tab(window.ui.leadsTab)),
        (800, lambda: shot("screenshot.png")),
        (10, lambda: tab(window.ui.queueTab)),
        (1200, lambda: shot("queue.png")),
        (10, lambda: tab(window.callbacks_view)),
        (1200, lambda: shot("callbacks.png")),
        (10, window.next_lead),
        (1500, call_in_progress),
        (1200, lambda: shot("workspace.png")),
        (10, lambda: tab(window.team_view)),
        (1500, lambda: shot("team.png")),
        (10, search_leads),
        (1500, lambda: shot("leads-search.png")),
        (10, import_history),
        (1200, lambda: shot_dialog("import_history.png")),
        (10, app.quit),
    ]

    def run(index: int) -> None:
        if index < len(steps):
            delay, step = steps[index]
            QTimer.singleShot(delay, lambda: (step(), run(index + 1)))

    run(0)
    app.exec()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
