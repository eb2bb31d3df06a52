"""Everything Qt: application start-up, the main window, item models and background work.

Only this package imports Qt (DESIGN.md §2 rule 1). Forms are compiled from ../ui/*.ui
into ``forms/`` and the icons and stylesheet from ../resources into ``resources_rc``;
regenerate both with ``python packaging/build_generated.py``.
"""
