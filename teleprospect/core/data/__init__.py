"""Data files shipped inside the package, read with importlib.resources (no Qt needed).

This is the one place in ``core`` that reads anything: the rest of core is pure rules
on values (the layer test holds it to that).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["read_json", "read_time_zone_file"]


def read_json(name: str) -> Any:
    """The parsed JSON of the data file ``name`` (``"default_tracks.json"``)."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


def read_time_zone_file(name: str) -> str | None:
    """A text file of the IANA time-zone database (``"tzdata.zi"``, ``"zone.tab"``), from
    where :mod:`zoneinfo` reads the zones themselves: the system's folders first, then the
    ``tzdata`` package. None when neither has it."""
    import zoneinfo
    from pathlib import Path

    for folder in zoneinfo.TZPATH:
        try:
            return (Path(folder) / name).read_text(encoding="utf-8")
        except OSError:
            continue
    try:
        return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return None
