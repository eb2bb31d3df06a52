"""``teleprospect gui``: the main window (also what ``teleprospect`` alone opens)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from teleprospect.config import resolve_db_url

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands


def setup_parser(commands: Commands) -> None:
    gui = commands.add_parser("gui", help="open the main window (the default)")
    gui.set_defaults(run=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    # Imported here so that the scriptable commands start without loading Qt.
    from teleprospect.ui.app import run_gui as start_gui

    return start_gui(resolve_db_url(args.db).url)
