"""Data files shipped inside the package, read with importlib.resources (no Qt needed).

This is the one place in ``core`` that reads anything: the rest of core is pure rules
on values (the layer test holds it to that).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["read_json"]


def read_json(name: str) -> Any:
    """The parsed JSON of the data file ``name`` (``"default_tracks.json"``)."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)
