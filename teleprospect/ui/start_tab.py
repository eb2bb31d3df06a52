"""The tab the window opens on: a teleprospector's queue, or where a team lead left off.

A rep's day is the queue, so the window opens there (not on the Leads list); a team lead,
who moves between the team, the audit trail and the leads, finds the tab they last had.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTabWidget, QWidget

#: The QSettings key of the tab the window had when it was closed (its title).
LAST_TAB_KEY = "mainWindow/lastTab"
#: What the user's role allows that makes them a team lead here (they keep their tab).
TEAM_LEAD_ACTION = "view_workload"


def remember_tab(settings: QSettings, tabs: QTabWidget) -> None:
    settings.setValue(LAST_TAB_KEY, tabs.tabText(tabs.currentIndex()).replace("&", ""))


def choose_start_tab(
    settings: QSettings, tabs: QTabWidget, queue_tab: QWidget, allowed: frozenset[str]
) -> None:
    """Show the queue to a teleprospector; a team lead's last tab to a team lead (the
    queue when it is gone or was never kept)."""
    if TEAM_LEAD_ACTION in allowed:
        last = settings.value(LAST_TAB_KEY)
        for index in range(tabs.count()):
            if isinstance(last, str) and last and tabs.tabText(index).replace("&", "") == last:
                tabs.setCurrentIndex(index)
                return
    tabs.setCurrentWidget(queue_tab)
