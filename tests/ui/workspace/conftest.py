"""The call workspace's window fixtures (a demo database, the rep's login, a frozen clock,
an open main window), shared by the workspace's test modules."""

from tests.ui.workspace.test_call_workspace import (  # noqa: F401 - fixtures
    clock,
    demo_db,
    dialler,
    login,
    open_window,
)
